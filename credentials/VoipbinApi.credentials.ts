import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class VoipbinApi implements ICredentialType {
	name = 'voipbinApi';

	displayName = 'VoIPbin API';

	icon: Icon = { light: 'file:../icons/voipbin.svg', dark: 'file:../icons/voipbin.dark.svg' };

	documentationUrl = 'https://api.voipbin.net/docs/accesskey_overview.html';

	properties: INodeProperties[] = [
		// A password field although the scanner warns (credential-unnecessary-password guesses secrets from field
		// names and misses `accessKey`): the access key is the account's whole secret. The README says so.
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. vb_a3Bf9xKm…',
			description:
				'An access key (vb_…) from the VoIPbin admin console. It is shown only once, when it is created.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.voipbin.net/v1.0',
			description: 'The API root. Change it only to reach a proxy or a test server.',
		},
	];

	// VoIPbin reads an access key from the `accesskey` cookie or query parameter, never from Authorization. The
	// cookie keeps the key out of URLs, and so out of proxy and server logs.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Cookie: '=accesskey={{$credentials.accessKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/customer',
		},
	};
}
