import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { createHash } from 'crypto';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { Vendor } from '../types';
import type { VendorErrorDetails } from './errors';
import { buildApiError, buildTransportError, excerpt } from './errors';
import type { PaceRule, PaceWait, RateWindow, Turn } from './pace';
import { bucketOf, intervalOf, recordAnswer, takeTurn } from './pace';
import { redactError, redactText, rememberSecrets, secretsOf } from './redact';
import type { RetryPolicy } from './retry';
import {
	DEFAULT_RETRY_POLICY,
	DEFAULT_TIMEOUT_MS,
	backoffDelayMs,
	isRetryableNetworkFailure,
	isRetryableStatus,
	isSafeToRepeat,
	isTimeout,
	parseRetryAfter,
} from './retry';

export type ApiContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IPollFunctions
	| IWebhookFunctions;

/** Everything the shared transport needs to know about one vendor's HTTP dialect. */
export interface VendorDialect {
	vendor: Vendor;
	/** The vendor's name as users know it, used in messages. */
	displayName: string;
	credentialType: string;
	/** The credential's display name, so that a 401 says which credential to check. */
	credentialDisplayName: string;
	/** Credential fields whose values must never appear in an error or a log line. */
	secretFields: string[];
	/** Header carrying the idempotency key on POST, where the vendor supports one. */
	idempotencyHeader?: string;
	/**
	 * The vendor's published request rate per account, paced across every item and execution of this process
	 * that uses the same credential, unless Max Requests Per Second sets another.
	 */
	maxRequestsPerSecond?: number;
	/**
	 * Where the vendor publishes its limit as a token bucket: its burst, `maxRequestsPerSecond` being the
	 * refill rate. The pace then keeps a bucket a few tokens smaller (see `bucketOf`) instead of spacing every
	 * request; a Max Requests Per Second of the user's still spaces every request, with no burst.
	 */
	burst?: number;
	/**
	 * Where the vendor counts `maxRequestsPerSecond` over any 1,000 ms (a rolling window): the pace lets that many
	 * go at once, and each next one a second after the answer to the request that many before it (see
	 * `PaceRule.rolling`), instead of spacing every request; a Max Requests Per Second of the user's still spaces
	 * every request.
	 */
	rollingSecond?: boolean;
	/** The budget the vendor's rate-limit headers report, where it sends them: requests left in each window. */
	readRateLimit?(headers: IDataObject): RateWindow[] | undefined;
	/**
	 * Whether an empty page ends a listing even when the answer names a next page (a vendor that documents
	 * so). Otherwise an empty page that says there is more is followed, a bounded number of times.
	 */
	emptyPageEndsListing?: boolean;
	readError(body: unknown, headers: IDataObject): VendorErrorDetails;
	/** The API root for a credential; defaults to the credential's `baseUrl` field. */
	baseUrl?(credentials: ICredentialDataDecryptedObject): string;
	/**
	 * For a credential whose access token n8n obtains with `preAuthentication` (an expirable hidden field): a 401
	 * is let through n8n's request helper as an error, so that n8n refreshes the token and sends the request once
	 * more (n8n refreshes only on a thrown 401). See `ignoredStatusErrors` and `refreshingOutcome`.
	 */
	refreshesTokenOn401?: boolean;
	/** Secrets n8n's authentication wrote into a request (an access token it obtained), redacted from then on. */
	secretsOfRequest?(options: IHttpRequestOptions): string[];
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Relative to the credential's base URL, or absolute (a vendor's own next-page link). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: IDataObject;
	/** Sent in the vendor's idempotency header; makes a POST safe to retry. */
	idempotencyKey?: string;
	/** What the request is about, named in a 404 message, e.g. 'Conversation 8f3a…'. */
	resource?: string;
	/**
	 * Whether the request may be sent again after a failure, when its method alone does not say: true for a
	 * read the vendor takes as a POST. Unset, GET/PUT/PATCH/DELETE repeat and a POST only with a key.
	 */
	safeToRepeat?: boolean;
}

export interface ApiResponse<T = IDataObject> {
	statusCode: number;
	headers: IDataObject;
	body: T;
}

export interface ClientOptions {
	retry?: RetryPolicy;
	timeoutMs?: number;
	itemIndex?: number;
	/** Requests per second for this credential, each spaced; unset or 0: the vendor's own pace (its headers, or its published rate and burst). */
	maxRequestsPerSecond?: number;
}

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

type Outcome = { response: RawResponse } | { networkCode?: string; networkMessage: string };

/** Why the attempts ended, when it was a limit rather than the answer itself. */
type StopReason = 'retries' | 'retryWait' | 'requestTime';

interface AttemptRecord {
	attempts: number;
	/** The timeout the last attempt had; shorter than the Timeout when the Max Request Time was nearly used up. */
	timeoutMs: number;
	stoppedBy?: StopReason;
	/** The wait the vendor or the back-off asked for next, when a wait limit stopped the attempts. */
	nextWaitMs?: number;
}

/** An attempt with less time than this left of the request's budget is not started. */
const MIN_ATTEMPT_MS = 1000;

/**
 * Which HTTP statuses n8n's request helper answers instead of throwing: all of them, so that the transport maps
 * each itself, except a 401 for a vendor whose token n8n refreshes (n8n refreshes and retries only a thrown 401).
 */
function ignoredStatusErrors(dialect: VendorDialect): IHttpRequestOptions['ignoreHttpStatusErrors'] {
	return dialect.refreshesTokenOn401 ? { ignore: true, except: [401] } : true;
}

/**
 * What a request of a refreshing-token vendor ended in when n8n's helper threw: the 401 it threw for (one that
 * n8n's one refresh and retry did not cure), a failure of the authentication itself (no answer and no
 * network code: the token exchange failed, before any API request), or neither (a network failure).
 */
function refreshingOutcome(
	error: unknown,
	networkCode: string | undefined,
): { response: RawResponse } | { failure: Error } | { neither: true } {
	for (const candidate of [error, (error as { cause?: unknown }).cause]) {
		const response = (candidate as { response?: { status?: unknown; headers?: unknown; data?: unknown } } | undefined)
			?.response;
		// Only the status n8n was asked to throw for: a stream cut mid-answer throws with its 200 response too.
		if (response && response.status === 401) {
			return {
				response: { statusCode: response.status, headers: (response.headers ?? {}) as IDataObject, body: response.data },
			};
		}
	}
	if (networkCode === undefined && error instanceof Error) return { failure: error };
	return { neither: true };
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

export function trimTrailingSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

/** One vendor's HTTP client for one node run: auth, retries, pacing, error mapping and redaction. */
export class ApiClient {
	private credentials?: ICredentialDataDecryptedObject;

	/** The vendor account this client's requests count against, for the pace shared across executions. */
	private account?: string;

	constructor(
		private readonly ctx: ApiContext,
		readonly dialect: VendorDialect,
		private readonly options: ClientOptions = {},
	) {}

	/** The credential's API root without a trailing slash. */
	async baseUrl(): Promise<string> {
		const credentials = await this.loadCredentials();
		const url = this.dialect.baseUrl
			? this.dialect.baseUrl(credentials)
			: String(credentials.baseUrl ?? '');
		if (!/^https?:\/\//i.test(url)) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`The "${this.dialect.credentialDisplayName}" credential has no valid Base URL`,
				{ description: 'Set Base URL to an http(s) address such as the vendor’s default.' },
			);
		}
		return trimTrailingSlash(url);
	}

	/** Everything to scrub from every message of this run: credential values and tokens obtained so far. */
	async secrets(): Promise<string[]> {
		const credentials = await this.loadCredentials();
		rememberSecrets(
			this.ctx,
			this.dialect.secretFields.map((field) => credentials[field]),
		);
		return secretsOf(this.ctx);
	}

	/** A secret the package obtained while running (an access token): redacted like a credential from now on. */
	rememberSecret(value: string): void {
		rememberSecrets(this.ctx, [value]);
	}

	/** An error about the vendor's answers as a whole (a listing that cannot go on), named like any other. */
	failure(message: string, description: string): NodeApiError {
		return buildTransportError(this.ctx.getNode(), {
			message,
			description,
			itemIndex: this.options.itemIndex,
			secrets: secretsOf(this.ctx),
		});
	}

	async request<T = IDataObject>(request: ApiRequest): Promise<ApiResponse<T>> {
		try {
			return await this.attempt<T>(request);
		} catch (error) {
			// Every error leaves through here, so every field of it passes the same redaction.
			throw redactError(error, secretsOf(this.ctx));
		}
	}

	private async attempt<T>(request: ApiRequest): Promise<ApiResponse<T>> {
		const url = /^https?:\/\//i.test(request.path)
			? request.path
			: `${await this.baseUrl()}/${request.path.replace(/^\/+/, '')}`;
		let secrets = await this.secrets();
		const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
		const attemptTimeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const repeatable = isSafeToRepeat(
			request.method,
			request.idempotencyKey !== undefined && this.dialect.idempotencyHeader !== undefined,
			request.safeToRepeat,
		);
		const deadline = Date.now() + policy.maxRequestMs;
		let waitedMs = 0;

		for (let attempt = 0; ; attempt++) {
			const turn = await this.takeTurn(deadline, secrets);
			const timeoutMs = Math.max(1, Math.min(attemptTimeoutMs, deadline - Date.now()));
			const outcome = await this.send(request, url, secrets, timeoutMs, turn);
			// A token n8n obtained during that request is a secret of its answer already.
			if (this.dialect.secretsOfRequest) secrets = secretsOf(this.ctx);
			const record: AttemptRecord = { attempts: attempt + 1, timeoutMs };
			const retryable =
				'response' in outcome
					? isRetryableStatus(outcome.response.statusCode)
					: isRetryableNetworkFailure(outcome.networkCode, outcome.networkMessage);
			if (!retryable || !repeatable) return this.finish<T>(outcome, request, url, secrets, record);
			if (attempt >= policy.maxRetries) {
				return this.finish<T>(outcome, request, url, secrets, { ...record, stoppedBy: 'retries' });
			}
			const requestedMs = 'response' in outcome ? parseRetryAfter(outcome.response.headers) : undefined;
			const delayMs = requestedMs ?? backoffDelayMs(attempt);
			const waitLeftMs = policy.maxTotalWaitMs - waitedMs;
			const timeLeftMs = deadline - Date.now() - MIN_ATTEMPT_MS;
			if (delayMs > waitLeftMs || delayMs > timeLeftMs) {
				const stoppedBy: StopReason = delayMs > waitLeftMs ? 'retryWait' : 'requestTime';
				if (requestedMs !== undefined) {
					throw this.waitTooLongError(requestedMs, Math.min(waitLeftMs, timeLeftMs), stoppedBy, secrets);
				}
				return this.finish<T>(outcome, request, url, secrets, { ...record, stoppedBy, nextWaitMs: delayMs });
			}
			this.ctx.logger.debug(
				redactText(
					`${this.dialect.displayName}: retrying ${request.method} ${url} in ${delayMs} ms (attempt ${attempt + 2})`,
					secrets,
				),
			);
			await sleep(delayMs);
			waitedMs += delayMs;
		}
	}

	private async send(
		request: ApiRequest,
		url: string,
		secrets: string[],
		timeoutMs: number,
		turn: Turn,
	): Promise<Outcome> {
		const headers: IDataObject = { ...request.headers };
		if (request.idempotencyKey !== undefined && this.dialect.idempotencyHeader) {
			headers[this.dialect.idempotencyHeader] = request.idempotencyKey;
		}
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs: request.qs,
			headers,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: ignoredStatusErrors(this.dialect),
			timeout: timeoutMs,
		};
		if (request.body !== undefined) options.body = request.body;
		let answered: IDataObject | undefined;
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.dialect.credentialType,
				options,
			)) as RawResponse;
			answered = response.headers;
			return { response };
		} catch (error) {
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			const networkCode = cause?.code ?? (error as { code?: string }).code;
			if (this.dialect.refreshesTokenOn401) {
				const refreshing = refreshingOutcome(error, networkCode);
				if ('failure' in refreshing) throw this.authenticationFailure(refreshing.failure, secrets);
				if ('response' in refreshing) return refreshing;
			}
			const networkMessage = redactText(String(cause?.message ?? (error as Error).message), secrets);
			return { networkCode, networkMessage };
		} finally {
			const budget = answered && this.dialect.readRateLimit ? this.dialect.readRateLimit(answered) : undefined;
			recordAnswer(turn, budget);
			if (this.dialect.secretsOfRequest) rememberSecrets(this.ctx, this.dialect.secretsOfRequest(options));
		}
	}

	private finish<T>(
		outcome: Outcome,
		request: ApiRequest,
		url: string,
		secrets: string[],
		record: AttemptRecord,
	): ApiResponse<T> {
		// n8n deep-copies the node on every getNode(): only a failure needs it.
		const { itemIndex } = this.options;
		const safeUrl = redactText(url, secrets);
		const { displayName, credentialDisplayName } = this.dialect;
		if (!('response' in outcome)) {
			const { networkCode, networkMessage } = outcome;
			const timedOut = isTimeout(networkCode, networkMessage);
			throw buildTransportError(this.ctx.getNode(), {
				message: timedOut
					? `${displayName} did not answer within ${seconds(record.timeoutMs)}`
					: isRetryableNetworkFailure(networkCode, networkMessage) && networkCode === 'ERR_BAD_RESPONSE'
						? `The connection to ${displayName} broke off during the answer (${networkCode})`
						: `Could not reach ${displayName}${networkCode ? ` (${networkCode})` : ''}`,
				description: [
					`${request.method} ${safeUrl} failed: ${excerpt(networkMessage)}.`,
					timedOut ? this.timeoutNote(record) : undefined,
					this.stopNote(record),
					`Check the Base URL of the "${credentialDisplayName}" credential and the network.`,
				]
					.filter(Boolean)
					.join(' '),
				itemIndex,
				secrets,
			});
		}
		const { statusCode, headers } = outcome.response;
		if (statusCode >= 400) {
			const body = this.readErrorBody(outcome.response.body);
			throw buildApiError(this.ctx.getNode(), {
				vendorName: displayName,
				credentialName: credentialDisplayName,
				statusCode,
				method: request.method,
				url: safeUrl,
				vendorError: typeof body === 'string' ? { message: body } : this.dialect.readError(body, headers),
				resource: request.resource,
				note: this.stopNote(record),
				itemIndex,
				secrets,
			});
		}
		const body = this.parseBody(outcome.response.body, statusCode, request, safeUrl, secrets);
		return { statusCode, headers, body: body as T };
	}

	/** An error answer's body: its JSON, or its text when it is not JSON (a proxy's HTML page, a plain message). */
	private readErrorBody(body: unknown): unknown {
		if (typeof body !== 'string') return body;
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return excerpt(body);
		}
	}

	/** Vendors answer JSON; a body that only pretends to be JSON is a clear failure, not silent garbage. */
	private parseBody(
		body: unknown,
		statusCode: number,
		request: ApiRequest,
		safeUrl: string,
		secrets: string[],
	): unknown {
		if (typeof body !== 'string') return body;
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body) as unknown;
		} catch {
			throw buildTransportError(this.ctx.getNode(), {
				message: `${this.dialect.displayName} answered with a body that is not valid JSON`,
				description: `${request.method} ${safeUrl} returned HTTP ${statusCode}: ${excerpt(body, 200)}`,
				itemIndex: this.options.itemIndex,
				secrets,
			});
		}
	}

	private timeoutNote(record: AttemptRecord): string {
		const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
		const attemptTimeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		return record.timeoutMs < attemptTimeoutMs
			? `The limit hit was Max Request Time (${seconds(policy.maxRequestMs)}, all attempts and waits included).`
			: `The limit hit was Timeout (${seconds(attemptTimeoutMs)} per attempt).`;
	}

	/** Which retry limit ended the attempts, so that the user knows which option to raise. */
	private stopNote(record: AttemptRecord): string | undefined {
		const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
		const tries = `after ${record.attempts} attempt${record.attempts === 1 ? '' : 's'}`;
		const next = record.nextWaitMs === undefined ? '' : `the next wait of ${seconds(record.nextWaitMs)} `;
		switch (record.stoppedBy) {
			case 'retries':
				return `Gave up ${tries} (Max Retries ${policy.maxRetries}).`;
			case 'retryWait':
				return `Gave up ${tries}: ${next}would pass Max Retry Wait (${seconds(policy.maxTotalWaitMs)}).`;
			case 'requestTime':
				return `Gave up ${tries}: ${next}would pass Max Request Time (${seconds(policy.maxRequestMs)}, all attempts and waits included).`;
			default:
				return undefined;
		}
	}

	private waitTooLongError(requestedMs: number, budgetLeftMs: number, limit: StopReason, secrets: string[]) {
		const option = limit === 'requestTime' ? 'Max Request Time' : 'Max Retry Wait';
		return buildTransportError(this.ctx.getNode(), {
			message: `${this.dialect.displayName} asked to wait ${Math.ceil(requestedMs / 1000)} s before retrying, longer than the ${Math.max(0, Math.round(budgetLeftMs / 1000))} s left to wait`,
			description: `The vendor is rate limiting this account. Run the workflow later, or raise ${option} in Request Options.`,
			itemIndex: this.options.itemIndex,
			secrets,
		});
	}

	/**
	 * What n8n's authentication raised before any answer (the credential's token exchange failed): its own
	 * message and description, which name the credential, with this item's index and every secret redacted.
	 */
	private authenticationFailure(error: Error & { description?: string | null; httpCode?: string | null }, secrets: string[]) {
		const message = redactText(error.message, secrets);
		const failure = new NodeApiError(
			this.ctx.getNode(),
			{ message },
			{
				message,
				description: redactText(error.description ?? '', secrets) || undefined,
				httpCode: error.httpCode ?? undefined,
				itemIndex: this.options.itemIndex,
			},
		);
		return redactError(failure, secrets);
	}

	/**
	 * Waits for this request's turn in the account's pace; a wait that would leave the request no time within
	 * Max Request Time fails at once, naming it.
	 */
	private async takeTurn(deadline: number, secrets: string[]): Promise<Turn> {
		const { maxRequestsPerSecond: published, burst, rollingSecond } = this.dialect;
		const bucket = bucketOf(published, burst);
		const rolling = rollingSecond && published && published >= 1 ? { requests: Math.floor(published), windowMs: 1000 } : undefined;
		const userRate = this.options.maxRequestsPerSecond;
		const rule: PaceRule = {
			// The user's rate is a maximum per second, every request spaced; the vendor's a bucket or a rolling
			// window where it publishes one.
			spacingMs: intervalOf(userRate || (bucket || rolling ? 0 : published)),
			bucket,
			rolling: userRate ? undefined : rolling,
		};
		const admit = (wait: PaceWait) => {
			const leftMs = deadline - Date.now() - MIN_ATTEMPT_MS;
			if (wait.waitMs > leftMs) throw this.paceTooLongError(wait, leftMs, secrets);
		};
		return await takeTurn(await this.accountKey(), rule, admit, sleep);
	}

	/** The credential type, base URL and a fingerprint of the credential's secrets: one vendor account. */
	private async accountKey(): Promise<string> {
		if (this.account === undefined) {
			const credentials = await this.loadCredentials();
			const url = this.dialect.baseUrl ? this.dialect.baseUrl(credentials) : String(credentials.baseUrl ?? '');
			const secrets = JSON.stringify(this.dialect.secretFields.map((field) => credentials[field] ?? null));
			const fingerprint = createHash('sha256').update(secrets).digest('hex');
			this.account = `${this.dialect.credentialType} ${trimTrailingSlash(url)} ${fingerprint}`;
		}
		return this.account;
	}

	private paceTooLongError(wait: PaceWait, leftMs: number, secrets: string[]) {
		const { displayName } = this.dialect;
		const waitS = Math.ceil(wait.waitMs / 1000);
		const leftS = Math.max(0, Math.round(leftMs / 1000));
		return buildTransportError(this.ctx.getNode(), {
			message: wait.window
				? `${displayName}'s ${wait.window.name} request limit for this account is used up for ${waitS} s more, longer than the ${leftS} s left of Max Request Time`
				: `Requests to ${displayName} are queued for ${waitS} s at the account's pace, longer than the ${leftS} s left of Max Request Time`,
			description: wait.window
				? `${displayName} counts every request of the account, from every key and user. Run the workflow later, or raise Max Request Time in Request Options.`
				: 'Other executions use the same credential at the same time. Raise Max Request Time or Max Requests Per Second in Request Options, or run fewer executions at once.',
			itemIndex: this.options.itemIndex,
			secrets,
		});
	}

	private async loadCredentials(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) {
			const ctx = this.ctx as IExecuteFunctions;
			this.credentials = await ctx.getCredentials(this.dialect.credentialType, this.options.itemIndex ?? 0);
		}
		return this.credentials;
	}
}
