import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/**
 * How hard one request may be retried. Every bound holds: attempts, total waiting between them, and the
 * time of the whole request (every attempt and every wait), so that no item can hang a workflow.
 */
export interface RetryPolicy {
	maxRetries: number;
	maxTotalWaitMs: number;
	maxRequestMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, maxTotalWaitMs: 60_000, maxRequestMs: 90_000 };

/** How long one attempt waits for its answer. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
/** Network failures after which the request may or may not have reached the vendor. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
]);

/** A connection cut after the answer began: axios (inside n8n) reports it as a bad response, "stream has been aborted". */
const ABORTED_STREAM = /aborted|socket hang up|premature close/i;

/**
 * Whether the request may be sent again at all. A POST is only repeated when it carries an idempotency
 * key, so that the vendor can answer the repeat with the first result instead of writing twice, or when
 * the request declares itself safe to repeat (a read the vendor takes as a POST); a declaration wins.
 */
export function isSafeToRepeat(method: IHttpRequestMethods, hasIdempotencyKey: boolean, declared?: boolean): boolean {
	return declared ?? (IDEMPOTENT_METHODS.has(method) || hasIdempotencyKey);
}

export function isRetryableStatus(statusCode: number): boolean {
	return RETRYABLE_STATUS.has(statusCode);
}

/** A network failure after which the same request may be sent again (if it is safe to repeat at all). */
export function isRetryableNetworkFailure(code: string | undefined, message: string): boolean {
	if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) return true;
	return (code === 'ERR_BAD_RESPONSE' || code === undefined) && ABORTED_STREAM.test(message);
}

/** axios's words for an answer that did not come within the attempt's timeout. */
export function isTimeout(code: string | undefined, message: string): boolean {
	return code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || (code === 'ECONNABORTED' && /timeout/i.test(message));
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	const raw = headers?.['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential back-off when the vendor names no wait: 1 s, 2 s, 4 s, … capped at 30 s. */
export function backoffDelayMs(retryNumber: number): number {
	return Math.min(1000 * 2 ** retryNumber, 30_000);
}
