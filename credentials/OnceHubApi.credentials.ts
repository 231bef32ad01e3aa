import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OnceHubApi implements ICredentialType {
	name = 'onceHubApi';

	displayName = 'OnceHub API';

	icon: Icon = { light: 'file:../icons/oncehub.svg', dark: 'file:../icons/oncehub.dark.svg' };

	documentationUrl = 'https://developers.oncehub.com/docs/overview/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An API key from Account Integrations → APIs & Webhooks in OnceHub. It is shown only once, when it is created.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.oncehub.com/v2',
			description: 'The API root. Change it only to reach a proxy or a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/test',
		},
	};
}
