import type {
	IAuthenticate,
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

	/**
	 * `Authorization: Bearer <key>`, set in code: n8n would evaluate a declarative `=Bearer {{…}}` with its
	 * expression engine on every request, which costs more than a listing's own work per page.
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		(requestOptions.headers ??= {}).Authorization = `Bearer ${String(credentials.apiKey ?? '')}`;
		return requestOptions;
	};

	/**
	 * n8n's credential dialog shows a rule's message for the status it matches, and only the HTTP status text
	 * ("Unauthorized") otherwise: each of Awardee's refusals gets its reason and what to do.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/me',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Invalid API key: Awardee answered 401 to GET /me (the key is wrong, revoked or expired). Copy a current key from Settings → API keys in the Awardee dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'API key not allowed: Awardee answered 403 to GET /me (the key is paused, or may not read the account). Resume it in Settings → API keys, or use another key.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Awardee API at this Base URL: GET /me answered 404. Use https://api.awardee.dev/v1 unless you reach Awardee through a proxy.',
				},
			},
		],
	};
}
