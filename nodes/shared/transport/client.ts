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
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { Vendor } from '../types';
import type { VendorErrorDetails } from './errors';
import { buildApiError, buildTransportError, redactSecrets } from './errors';
import type { RetryPolicy } from './retry';
import {
	DEFAULT_RETRY_POLICY,
	backoffDelayMs,
	isRetryableNetworkCode,
	isRetryableStatus,
	isSafeToRepeat,
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
	/** The vendor's per-account request rate, paced within one execution. */
	maxRequestsPerSecond?: number;
	readError(body: unknown, headers: IDataObject): VendorErrorDetails;
	/** The API root for a credential; defaults to the credential's `baseUrl` field. */
	baseUrl?(credentials: ICredentialDataDecryptedObject): string;
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
}

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * When each node run last heard back from the vendor, so that pacing holds across all of that run's
 * clients (one per item). Counting from the answer, not the send, keeps a sliding per-second window safe.
 */
const lastRequestOfRun = new WeakMap<ApiContext, number>();

export function trimTrailingSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

/** One vendor's HTTP client for one node run: auth, retries, pacing, error mapping and redaction. */
export class ApiClient {
	private credentials?: ICredentialDataDecryptedObject;

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

	/** Credential values to scrub from every message. */
	async secrets(): Promise<string[]> {
		const credentials = await this.loadCredentials();
		return this.dialect.secretFields
			.map((field) => credentials[field])
			.filter((value): value is string => typeof value === 'string' && value !== '');
	}

	async request<T = IDataObject>(request: ApiRequest): Promise<ApiResponse<T>> {
		const url = /^https?:\/\//i.test(request.path)
			? request.path
			: `${await this.baseUrl()}/${request.path.replace(/^\/+/, '')}`;
		const secrets = await this.secrets();
		const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
		const repeatable = isSafeToRepeat(
			request.method,
			request.idempotencyKey !== undefined && this.dialect.idempotencyHeader !== undefined,
		);
		let waitedMs = 0;

		for (let attempt = 0; ; attempt++) {
			const outcome = await this.send(request, url, secrets);
			const retryable =
				'response' in outcome
					? isRetryableStatus(outcome.response.statusCode)
					: isRetryableNetworkCode(outcome.networkCode);
			if (!retryable || !repeatable || attempt >= policy.maxRetries) {
				return this.finish<T>(outcome, request, url, secrets);
			}
			const requestedMs = 'response' in outcome ? parseRetryAfter(outcome.response.headers) : undefined;
			const delayMs = requestedMs ?? backoffDelayMs(attempt);
			const budgetLeftMs = policy.maxTotalWaitMs - waitedMs;
			if (delayMs > budgetLeftMs) {
				if (requestedMs !== undefined) throw this.waitTooLongError(requestedMs, budgetLeftMs, secrets);
				return this.finish<T>(outcome, request, url, secrets);
			}
			this.ctx.logger.debug(
				redactSecrets(
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
	): Promise<{ response: RawResponse } | { networkCode?: string; networkMessage: string }> {
		await this.pace();
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
			ignoreHttpStatusErrors: true,
			timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		if (request.body !== undefined) options.body = request.body;
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.dialect.credentialType,
				options,
			)) as RawResponse;
			return { response };
		} catch (error) {
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			const networkCode = cause?.code ?? (error as { code?: string }).code;
			const networkMessage = redactSecrets(String(cause?.message ?? (error as Error).message), secrets);
			return { networkCode, networkMessage };
		} finally {
			if (this.dialect.maxRequestsPerSecond) lastRequestOfRun.set(this.ctx, Date.now());
		}
	}

	private finish<T>(
		outcome: { response: RawResponse } | { networkCode?: string; networkMessage: string },
		request: ApiRequest,
		url: string,
		secrets: string[],
	): ApiResponse<T> {
		const node = this.ctx.getNode();
		const { itemIndex } = this.options;
		const safeUrl = redactSecrets(url, secrets);
		if (!('response' in outcome)) {
			throw buildTransportError(node, {
				message: `Could not reach ${this.dialect.displayName}${outcome.networkCode ? ` (${outcome.networkCode})` : ''}`,
				description: `${request.method} ${safeUrl} failed: ${outcome.networkMessage}. Check the Base URL of the "${this.dialect.credentialDisplayName}" credential and the network.`,
				itemIndex,
				secrets,
			});
		}
		const { statusCode, headers } = outcome.response;
		const body = this.parseBody(outcome.response.body, request, safeUrl, secrets);
		if (statusCode >= 400) {
			throw buildApiError(node, {
				vendorName: this.dialect.displayName,
				credentialName: this.dialect.credentialDisplayName,
				statusCode,
				method: request.method,
				url: safeUrl,
				vendorError: this.dialect.readError(body, headers),
				resource: request.resource,
				itemIndex,
				secrets,
			});
		}
		return { statusCode, headers, body: body as T };
	}

	/** Vendors answer JSON; a body that only pretends to be JSON is a clear failure, not silent garbage. */
	private parseBody(body: unknown, request: ApiRequest, safeUrl: string, secrets: string[]): unknown {
		if (typeof body !== 'string') return body;
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body) as unknown;
		} catch {
			throw buildTransportError(this.ctx.getNode(), {
				message: `${this.dialect.displayName} answered with a body that is not valid JSON`,
				description: `${request.method} ${safeUrl} returned: ${body.slice(0, 200)}`,
				itemIndex: this.options.itemIndex,
				secrets,
			});
		}
	}

	private waitTooLongError(requestedMs: number, budgetLeftMs: number, secrets: string[]) {
		const seconds = Math.ceil(requestedMs / 1000);
		return buildTransportError(this.ctx.getNode(), {
			message: `${this.dialect.displayName} asked to wait ${seconds} s before retrying, longer than the ${Math.floor(budgetLeftMs / 1000)} s left to wait`,
			description:
				'The vendor is rate limiting this account. Run the workflow later, or raise Max Retry Wait in Request Options.',
			itemIndex: this.options.itemIndex,
			secrets,
		});
	}

	private async pace(): Promise<void> {
		const perSecond = this.dialect.maxRequestsPerSecond;
		if (!perSecond) return;
		const gapMs = 1000 / perSecond - (Date.now() - (lastRequestOfRun.get(this.ctx) ?? 0));
		if (gapMs > 0) await sleep(gapMs);
	}

	private async loadCredentials(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) {
			const ctx = this.ctx as IExecuteFunctions;
			this.credentials = await ctx.getCredentials(this.dialect.credentialType, this.options.itemIndex ?? 0);
		}
		return this.credentials;
	}
}
