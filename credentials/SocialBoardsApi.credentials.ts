import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

const DISPLAY_NAME = 'SocialBoards API';

/** How often a token exchange refused with 429 or a 5xx gateway answer is sent again, and how long it may wait. */
const EXCHANGE_RETRIES = 3;
const EXCHANGE_MAX_WAIT_MS = 30_000;
const EXCHANGE_TIMEOUT_MS = 30_000;

/**
 * A failed token exchange. It carries no `code`, `httpCode` or `response`, so that n8n keeps its message (which
 * names the credential) in the credential dialog and in the node's error, and the node's transport passes it on
 * instead of taking it for a network failure.
 */
class TokenExchangeError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'TokenExchangeError';
	}
}

interface TokenAnswer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function retryAfterMs(headers: IDataObject): number | undefined {
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : undefined;
}

/** The OAuth error of a refused exchange (A2: `{error, error_description}`), or the envelope's `errorText`. */
function refusal(body: unknown): string | undefined {
	const answer = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const code = text(answer.error);
	const reason = text(answer.error_description) ?? text(answer.errorText) ?? text(answer.message);
	if (code && reason) return `${code}: ${reason}`;
	return code ?? reason ?? (typeof body === 'string' ? text(body)?.slice(0, 300) : undefined);
}

function refusedError(answer: TokenAnswer): TokenExchangeError {
	const { statusCode, body } = answer;
	const said = refusal(body);
	const oauthError = text((body as IDataObject | undefined)?.error);
	const because = said ? `: ${said}` : '';
	if (oauthError === 'invalid_grant') {
		return new TokenExchangeError(
			`SocialBoards refused the refresh token of the "${DISPLAY_NAME}" credential (HTTP ${statusCode}${because})`,
			'The refresh token is wrong or was deleted. Create one in the SocialBoards Inbox under Settings → Installation → Public API and paste it into the credential.',
		);
	}
	if (oauthError === 'invalid_client') {
		return new TokenExchangeError(
			`SocialBoards refused the Client ID of the "${DISPLAY_NAME}" credential (HTTP ${statusCode}${because})`,
			'Copy the Client ID from the SocialBoards Inbox under Settings → Installation → Public API.',
		);
	}
	return new TokenExchangeError(
		`SocialBoards refused the token exchange of the "${DISPLAY_NAME}" credential (HTTP ${statusCode}${because})`,
		'Check the Client ID, the Refresh Token and the Token URL of the credential.',
	);
}

/**
 * Which Client ID, refresh token and token URL an access token was obtained with: FNV-1a, 32 bits, so that it tells
 * an edited credential from the one the token belongs to without revealing anything of the refresh token.
 */
function exchangedWith(credentials: ICredentialDataDecryptedObject): string {
	let hash = 0x811c9dc5;
	const text = [credentials.clientId, credentials.refreshToken, credentials.tokenUrl].map((value) => String(value ?? '')).join('\n');
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/** A text with the credential's secrets taken out: the vendor may echo what it was sent. */
function scrub(value: string, credentials: ICredentialDataDecryptedObject): string {
	let result = value;
	for (const secret of [credentials.refreshToken, credentials.accessToken]) {
		if (typeof secret === 'string' && secret.length >= 4) {
			for (const form of [secret, encodeURIComponent(secret)]) result = result.split(form).join('[redacted]');
		}
	}
	return result;
}

export class SocialBoardsApi implements ICredentialType {
	name = 'socialBoardsApi';

	displayName = DISPLAY_NAME;

	icon: Icon = { light: 'file:../icons/socialboards.svg', dark: 'file:../icons/socialboards.dark.svg' };

	documentationUrl = 'https://developers.socialboards.com/docs/apis/tickets/authorization-headers/access-tokens-v2';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 9f1c2e7a-4b3d-4e8f-a6c5-2d7b9e0f1a34',
			description: 'The Client ID shown in the SocialBoards Inbox under Settings → Installation → Public API',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A refresh token created on the same page (give it a name such as "n8n"). n8n exchanges it for short-lived access tokens.',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: 'https://api.socialboards.com/token',
			description: 'Where refresh tokens are exchanged. Change it only to reach a proxy or a test server.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.socialboards.com',
			description: 'The API root (working assumption A1). Change it only to reach a proxy or a test server.',
		},
		{
			// Filled by preAuthentication and saved by n8n; emptied or expired, n8n exchanges the refresh token again.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// Which credential values the saved access token was obtained with (see `authenticate`).
			displayName: 'Obtained With',
			name: 'obtainedWith',
			type: 'hidden',
			default: '',
		},
	];

	/**
	 * A2: `POST <tokenUrl>` form-urlencoded with `grant_type=refresh_token`, `refresh_token`, `client_id`; the answer's
	 * `access_token` is valid for about an hour. Refresh tokens do not rotate; should the answer carry another one, it
	 * is returned too, and n8n saves it with the access token.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const tokenUrl = String(credentials.tokenUrl ?? '').trim();
		if (!/^https?:\/\//i.test(tokenUrl)) {
			throw new TokenExchangeError(
				`The "${DISPLAY_NAME}" credential has no valid Token URL`,
				'Set Token URL to https://api.socialboards.com/token, or your proxy’s address for it.',
			);
		}
		const form = new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: String(credentials.refreshToken ?? ''),
			client_id: String(credentials.clientId ?? ''),
		});
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: tokenUrl,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: form.toString(),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: EXCHANGE_TIMEOUT_MS,
		};
		let waitedMs = 0;
		for (let attempt = 0; ; attempt++) {
			let answer: TokenAnswer;
			try {
				answer = (await this.helpers.httpRequest(request)) as TokenAnswer;
			} catch (error) {
				const reason = scrub(String((error as Error).message), credentials);
				throw new TokenExchangeError(
					`Could not reach the Token URL of the "${DISPLAY_NAME}" credential`,
					`POST ${tokenUrl} failed: ${reason}. Check the Token URL and the network.`,
				);
			}
			const wait = retryAfterMs(answer.headers ?? {}) ?? 1000 * 2 ** attempt;
			const retryable = [429, 502, 503, 504].includes(answer.statusCode);
			if (retryable && attempt < EXCHANGE_RETRIES && waitedMs + wait <= EXCHANGE_MAX_WAIT_MS) {
				await sleep(wait);
				waitedMs += wait;
				continue;
			}
			let body = answer.body;
			if (typeof body === 'string') {
				try {
					body = JSON.parse(body) as unknown;
				} catch {
					// Kept as text: a proxy's page is shown as the refusal.
				}
			}
			if (answer.statusCode < 200 || answer.statusCode >= 300) {
				const error = refusedError({ ...answer, body });
				throw new TokenExchangeError(scrub(error.message, credentials), error.description);
			}
			const accessToken = text((body as IDataObject | undefined)?.access_token);
			if (!accessToken) {
				throw new TokenExchangeError(
					`SocialBoards answered the token exchange of the "${DISPLAY_NAME}" credential without an access token`,
					`POST ${tokenUrl} returned HTTP ${answer.statusCode}. Check that Token URL points at SocialBoards’ token endpoint.`,
				);
			}
			const output: IDataObject = { accessToken };
			const refreshToken = text((body as IDataObject).refresh_token);
			if (refreshToken && refreshToken !== credentials.refreshToken) output.refreshToken = refreshToken;
			output.obtainedWith = exchangedWith({ ...credentials, refreshToken: String(output.refreshToken ?? credentials.refreshToken) });
			return output;
		}
	}

	/**
	 * A function rather than an `=Bearer {{…}}` expression: n8n's expression engine costs about 0.6 ms a request. The
	 * header is written into the request n8n passes, so the node's transport learns the token and redacts it.
	 *
	 * n8n exchanges the refresh token only while the saved access token is empty, or after a 401. So an access token
	 * obtained with other credential values (the refresh token or Client ID was edited since, or is being tested in
	 * the credential dialog) is not sent: SocialBoards answers 401, and n8n exchanges the current refresh token.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...requestOptions.headers };
		delete headers.Authorization;
		if (credentials.obtainedWith === exchangedWith(credentials)) {
			headers.Authorization = `Bearer ${String(credentials.accessToken ?? '')}`;
		}
		requestOptions.headers = headers;
		return requestOptions;
	}

	// The test makes one cheap authenticated read, exchanging the refresh token first when the saved access token does
	// not belong to the values being tested. A refused exchange shows its own message, which names the reason.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/Teammates',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The access token was refused: SocialBoards answered 401 to GET /Teammates after a successful token exchange. Check that Base URL and Token URL belong to the same SocialBoards environment.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Not allowed: SocialBoards answered 403 to GET /Teammates (the refresh token may not read the team). Use a refresh token of an admin.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No SocialBoards API at this Base URL: GET /Teammates answered 404. Use https://api.socialboards.com, or your proxy’s address for it.',
				},
			},
		],
	};
}
