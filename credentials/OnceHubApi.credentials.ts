import type {
	IAuthenticate,
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

	/** The `API-Key` header, set in code rather than by an expression n8n would evaluate on every request. */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		(requestOptions.headers ??= {})['API-Key'] = String(credentials.apiKey ?? '');
		return requestOptions;
	};

	/**
	 * n8n's credential dialog shows a rule's message for the status it matches, and only the HTTP status text
	 * ("Unauthorized") otherwise: each of OnceHub's refusals gets its reason and what to do.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/test',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Invalid API key: OnceHub answered 401 to GET /test. Copy the key from Account Integrations → APIs & Webhooks in OnceHub (it is shown only once, when it is created).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'API access not allowed: OnceHub answered 403 to GET /test (the account plan may not include API access).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No OnceHub API at this Base URL: GET /test answered 404. Use https://api.oncehub.com/v2 unless you reach OnceHub through a proxy.',
				},
			},
		],
	};
}
