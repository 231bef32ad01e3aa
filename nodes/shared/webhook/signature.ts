import { createHmac, timingSafeEqual } from 'crypto';

/** `t=1780000000,v1=abc,v1=def` → { t: ['1780000000'], v1: ['abc', 'def'] }; pairs are matched by key, not position. */
export function parseSignatureHeader(header: string): Record<string, string[]> {
	const pairs: Record<string, string[]> = {};
	for (const part of header.split(',')) {
		const separator = part.indexOf('=');
		if (separator <= 0) continue;
		const key = part.slice(0, separator).trim();
		const value = part.slice(separator + 1).trim();
		(pairs[key] ??= []).push(value);
	}
	return pairs;
}

export function hmacSha256(secret: string, payload: Buffer, encoding: 'hex' | 'base64'): string {
	return createHmac('sha256', secret).update(payload).digest(encoding);
}

/** Constant-time comparison that also holds for inputs of different lengths. */
export function safeEqual(expected: string, actual: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(actual);
	return a.length === b.length && timingSafeEqual(a, b);
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: string };

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
 * Verifies a `t=<unix>,<key>=<HMAC-SHA256 of "<t>.<raw body>">` signature, the scheme Stripe made common:
 * a missing header, a stale or future timestamp and a wrong signature all fail, with a reason for the log.
 */
export function verifyTimestampedSignature(input: TimestampedSignatureInput): SignatureCheck {
	if (!input.header) return { valid: false, reason: 'signature header missing' };
	if (input.rawBody === undefined) return { valid: false, reason: 'raw body unavailable' };
	const pairs = parseSignatureHeader(input.header);
	const timestampText = pairs[input.timestampKey]?.[0];
	const signatures = pairs[input.signatureKey] ?? [];
	if (!timestampText || !/^\d+$/.test(timestampText)) return { valid: false, reason: 'timestamp missing' };
	if (signatures.length === 0) return { valid: false, reason: 'signature missing' };

	const timestamp = Number(timestampText);
	const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
	if (Math.abs(now - timestamp) > input.toleranceSeconds) {
		return { valid: false, reason: `timestamp ${timestamp} outside the ${input.toleranceSeconds} s window` };
	}

	const body = Buffer.isBuffer(input.rawBody) ? input.rawBody : Buffer.from(input.rawBody, 'utf8');
	const signedPayload = Buffer.concat([Buffer.from(`${timestampText}.`, 'utf8'), body]);
	const expected = hmacSha256(input.secret, signedPayload, input.encoding ?? 'hex');
	const matches = signatures.some((signature) => safeEqual(expected, signature));
	return matches ? { valid: true, timestamp } : { valid: false, reason: 'signature mismatch' };
}
