import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/** How hard one request may be retried. Both bounds hold: attempts and total waiting time. */
export interface RetryPolicy {
	maxRetries: number;
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, maxTotalWaitMs: 60_000 };

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
]);

/**
 * Whether the request may be sent again at all. A POST is only repeated when it carries an idempotency
 * key, so that the vendor can answer the repeat with the first result instead of writing twice.
 */
export function isSafeToRepeat(method: IHttpRequestMethods, hasIdempotencyKey: boolean): boolean {
	return IDEMPOTENT_METHODS.has(method) || hasIdempotencyKey;
}

export function isRetryableStatus(statusCode: number): boolean {
	return RETRYABLE_STATUS.has(statusCode);
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
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
