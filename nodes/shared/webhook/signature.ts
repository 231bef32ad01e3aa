import type { KeyObject } from 'crypto';
import { createHmac, createSecretKey, timingSafeEqual } from 'crypto';

/**
 * How a vendor signs its deliveries; the header names and keys are the vendor's data.
 * - `timestampedHmac`: `<t>=<unix>,<v>=<hex HMAC-SHA256 of "<unix>.<raw body>">`; the timestamp must lie
 *   inside the replay window.
 * - `bodyHmac`: `<prefix><hex HMAC-SHA256 of the raw body>`, no timestamp (so no replay window).
 * - `none`: the vendor does not sign; events carry `signatureVerified: null`.
 */
export type SignatureScheme =
	| { kind: 'timestampedHmac'; header: string; timestampKey: string; signatureKey: string }
	| { kind: 'bodyHmac'; header: string; prefix: string }
	| { kind: 'none' };

/** Why a signature was refused; logged, never sent to the caller. */
export type SignatureFailureReason =
	| 'signature header missing'
	| 'raw body unavailable'
	| 'timestamp missing'
	| 'timestamp outside the replay window'
	| 'signature missing'
	| 'signature mismatch';

/** `timestamp` is the signed time, for schemes that sign one. */
export type SignatureCheck = { valid: true; timestamp?: number } | { valid: false; reason: SignatureFailureReason };

/**
 * A check that also answers the verified HMAC of a timestamped scheme: keyed by the secret, so under one secret
 * it stands for exactly what was signed.
 */
export type DigestedSignatureCheck = { valid: true; timestamp?: number; digest?: string } | { valid: false; reason: SignatureFailureReason };

/**
 * The values of one key in a `t=1780000000,v1=abc,v1=def` header, in order (`v1` → ['abc', 'def']): pairs are
 * matched by key, not position, keys and values trimmed; a part without a key is skipped. One scan, no other pair
 * built.
 */
export function signatureHeaderValues(header: string, key: string): string[] {
	const values: string[] = [];
	let start = 0;
	while (start <= header.length) {
		let end = header.indexOf(',', start);
		if (end === -1) end = header.length;
		const separator = header.indexOf('=', start);
		if (separator > start && separator < end && header.slice(start, separator).trim() === key) {
			values.push(header.slice(separator + 1, end).trim());
		}
		start = end + 1;
	}
	return values;
}

/**
 * The last secrets as OpenSSL keys: `createHmac` with a key object skips importing the secret on every call,
 * which is most of what setting an HMAC up costs (about a quarter of a delivery's verification on a busy trigger).
 */
const hmacKeys = new Map<string, KeyObject>();
const MAX_HMAC_KEYS = 64;

function hmacKeyOf(secret: string): KeyObject {
	let key = hmacKeys.get(secret);
	if (key === undefined) {
		if (hmacKeys.size >= MAX_HMAC_KEYS) hmacKeys.clear();
		key = createSecretKey(Buffer.from(secret, 'utf8'));
		hmacKeys.set(secret, key);
	}
	return key;
}

/** HMAC-SHA256 under `secret` of the parts, in order, as if they were one message (strings as UTF-8). */
export function hmacSha256(secret: string, parts: Array<Buffer | string>, encoding: 'hex' | 'base64'): string {
	const hmac = createHmac('sha256', hmacKeyOf(secret));
	for (const part of parts) hmac.update(part);
	return hmac.digest(encoding);
}

/** Constant-time comparison that also holds for inputs of different lengths. */
export function safeEqual(expected: string, actual: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(actual);
	return a.length === b.length && timingSafeEqual(a, b);
}

function asBuffer(rawBody: Buffer | string): Buffer {
	return Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');
}

export interface TimestampedSignatureInput {
	/** The exact bytes received; n8n keeps them as `rawBody`. */
	rawBody: Buffer | string | undefined;
	header: string | undefined;
	secret: string;
	/** Key of the timestamp pair in the header (`t`). */
	timestampKey: string;
	/** Key of the signature pair(s) in the header (`v1`, `s`). */
	signatureKey: string;
	/** How far the signing time may lie from now, either way. */
	toleranceSeconds: number;
	nowSeconds?: number;
	encoding?: 'hex' | 'base64';
}

/**
 * Verifies a `t=<unix>,<key>=<HMAC-SHA256 of "<t>.<raw body>">` signature: a missing header, a stale or
 * future timestamp and a wrong signature all fail, with a reason for the log.
 */
export function verifyTimestampedSignature(input: TimestampedSignatureInput): SignatureCheck {
	const check = checkTimestampedSignature(input);
	return check.valid ? { valid: true, timestamp: check.timestamp } : check;
}

function checkTimestampedSignature(input: TimestampedSignatureInput): DigestedSignatureCheck {
	if (!input.header) return { valid: false, reason: 'signature header missing' };
	if (input.rawBody === undefined) return { valid: false, reason: 'raw body unavailable' };
	const timestampText = signatureHeaderValues(input.header, input.timestampKey)[0];
	const signatures = signatureHeaderValues(input.header, input.signatureKey);
	if (!timestampText || !/^\d+$/.test(timestampText)) return { valid: false, reason: 'timestamp missing' };
	if (signatures.length === 0) return { valid: false, reason: 'signature missing' };

	const timestamp = Number(timestampText);
	const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
	if (Math.abs(now - timestamp) > input.toleranceSeconds) {
		return { valid: false, reason: 'timestamp outside the replay window' };
	}

	// "<t>.<raw body>", fed to the HMAC in two parts rather than copied into one buffer.
	const expected = hmacSha256(input.secret, [`${timestampText}.`, asBuffer(input.rawBody)], input.encoding ?? 'hex');
	const matches = signatures.some((signature) => safeEqual(expected, signature));
	return matches ? { valid: true, timestamp, digest: expected } : { valid: false, reason: 'signature mismatch' };
}

export interface BodySignatureInput {
	rawBody: Buffer | string | undefined;
	header: string | undefined;
	secret: string;
	/** What precedes the hex digest in the header (`sha256=`). */
	prefix: string;
}

/** Verifies `<prefix><hex HMAC-SHA256 of the raw body>`; the hex digits are compared case-insensitively. */
export function verifyBodySignature(input: BodySignatureInput): SignatureCheck {
	const header = input.header?.trim();
	if (!header) return { valid: false, reason: 'signature header missing' };
	if (input.rawBody === undefined) return { valid: false, reason: 'raw body unavailable' };
	if (!header.toLowerCase().startsWith(input.prefix.toLowerCase()) || header.length === input.prefix.length) {
		return { valid: false, reason: 'signature missing' };
	}
	const expected = hmacSha256(input.secret, [asBuffer(input.rawBody)], 'hex');
	return safeEqual(expected, header.slice(input.prefix.length).toLowerCase())
		? { valid: true }
		: { valid: false, reason: 'signature mismatch' };
}

export interface SignatureInput {
	rawBody: Buffer | undefined;
	/** Reads a request header by its lower-case name. */
	header(name: string): string | undefined;
	secret: string;
	toleranceSeconds: number;
	nowSeconds: number;
}

/** Verifies a delivery by its vendor's scheme (not for `none`, which has nothing to verify). */
export function verifySignature(
	scheme: Exclude<SignatureScheme, { kind: 'none' }>,
	input: SignatureInput,
): DigestedSignatureCheck {
	if (scheme.kind === 'bodyHmac') {
		return verifyBodySignature({ rawBody: input.rawBody, header: input.header(scheme.header), secret: input.secret, prefix: scheme.prefix });
	}
	return checkTimestampedSignature({
		rawBody: input.rawBody,
		header: input.header(scheme.header),
		secret: input.secret,
		timestampKey: scheme.timestampKey,
		signatureKey: scheme.signatureKey,
		toleranceSeconds: input.toleranceSeconds,
		nowSeconds: input.nowSeconds,
	});
}
