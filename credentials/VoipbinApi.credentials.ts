import type {
	IAuthenticate,
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
	// cookie keeps the key out of URLs, and so out of proxy and server logs. Set in code rather than by an
	// expression n8n would evaluate on every request.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		(requestOptions.headers ??= {}).Cookie = `accesskey=${String(credentials.accessKey ?? '')}`;
		return requestOptions;
	};

	// n8n's credential dialog shows a matching rule's message; without one, only the HTTP status text.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/customer',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Invalid access key: VoIPbin answered 401 to GET /customer (the key is wrong, expired or deleted). Create a current key in the VoIPbin admin console under Access Keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Access key not allowed: VoIPbin answered 403 to GET /customer (the key may not read the account). Use a key of the account itself.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No VoIPbin API at this Base URL: GET /customer answered 404. Use https://api.voipbin.net/v1.0, or your proxy’s address for it.',
				},
			},
		],
	};
}
