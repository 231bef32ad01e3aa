import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class AwardeeApi implements ICredentialType {
	name = 'awardeeApi';

	displayName = 'Awardee API';

	icon: Icon = { light: 'file:../icons/awardee.svg', dark: 'file:../icons/awardee.dark.svg' };

	documentationUrl = 'https://api-docs.awardee.dev/concepts/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. aw_live_4f8a…9f7e',
			description: 'A personal API key from Settings → API keys in the Awardee dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.awardee.dev/v1',
			description: 'The API root. Change it only to reach a proxy or a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/me',
		},
	};
}
