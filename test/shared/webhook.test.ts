import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import fc from 'fast-check';

import { DeliveryGuard, rememberInStaticData, seenInStaticData } from '../../nodes/shared/webhook/dedupe';
import { isPublicHttpsUrl } from '../../nodes/shared/webhook/registration';
import {
	hmacSha256,
	signatureHeaderValues,
	verifyBodySignature,
	verifyTimestampedSignature,
} from '../../nodes/shared/webhook/signature';

// The signed delivery documented by Awardee (vendors/awardee.md, "Signed webhook delivery").
const SECRET = 'whsec_4f8a3c7e2d1b9a5c6f8e3d2c1b4a9f7e8a5f3c7e2d1b9a5c6f8e3d2c1b4a9f7e';
const BODY =
	'{"conversation":{"id":"3a9d2e8f-1b4c-4f5d-9e8a-7c3b2a1d0f9e","chatbotId":"1b4c4f5d-9e8a-7c3b-2a1d-0f9e8f3a9d2e","orgId":"8f3a9d2e-1b4c-4f5d-9e8a-7c3b2a1d0f9e","status":"bot_active","createdAt":"2026-05-28T20:26:39Z"}}';
const SIGNATURE = '72020feebf111ca3c9abb8918ffe35634103427bdee40c2e69b3d4655933a033';

function check(header: string | undefined, rawBody: Buffer | string = Buffer.from(BODY), nowSeconds = 1780000000) {
	return verifyTimestampedSignature({
		rawBody,
		header,
		secret: SECRET,
		timestampKey: 't',
		signatureKey: 'v1',
		toleranceSeconds: 300,
		nowSeconds,
	});
}

describe('the HMAC and the header scan the checks use', () => {
	it('computes HMAC-SHA256 from its key schedule exactly as createHmac does, for keys shorter and longer than a block', () => {
		const parts = fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))), { maxLength: 4 });
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parts, fc.constantFrom<'hex' | 'base64'>('hex', 'base64'), (secret, message, encoding) => {
				const expected = createHmac('sha256', secret);
				for (const part of message) expected.update(part);
				// Twice: the key schedule is kept per secret and must not be spent by the first use.
				expect(hmacSha256(secret, message, encoding)).toBe(expected.digest(encoding));
				expect(hmacSha256(secret, message, encoding)).toBe(createHmac('sha256', secret).update(Buffer.concat(message.map((part) => Buffer.from(part)))).digest(encoding));
			}),
			{ numRuns: 300 },
		);
	});

	it('reads a key’s values as splitting the header at commas, then at the first equals sign, would', () => {
		const byRule = (header: string, key: string) =>
			header
				.split(',')
				.filter((part) => part.indexOf('=') > 0)
				.filter((part) => part.slice(0, part.indexOf('=')).trim() === key)
				.map((part) => part.slice(part.indexOf('=') + 1).trim());
		const piece = fc.oneof(fc.constantFrom('t', 'v1', 's', ' t', 'v1 ', '=', ',', ' ', '1780000000', 'abc', ''), fc.string({ maxLength: 3 }));
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')), fc.constantFrom('t', 'v1', 's'), (header, key) => {
				expect(signatureHeaderValues(header, key)).toEqual(byRule(header, key));
			}),
			{ numRuns: 2000 },
		);
	});
});

describe('verifyTimestampedSignature', () => {
	it('accepts the vendor’s documented fixture, with pairs in either order', () => {
		expect(check(`t=1780000000,v1=${SIGNATURE}`)).toEqual({ valid: true, timestamp: 1780000000 });
		expect(check(`v1=${SIGNATURE},t=1780000000`).valid).toBe(true);
		expect(check(`t=1780000000,v1=${SIGNATURE}`, BODY).valid).toBe(true);
	});

	it('accepts any of several signatures (secret rotation)', () => {
		expect(check(`t=1780000000,v1=${'0'.repeat(64)},v1=${SIGNATURE}`).valid).toBe(true);
	});

	it('refuses a changed body, a signature keyed without the whsec_ prefix, and a short signature', () => {
		expect(check(`t=1780000000,v1=${SIGNATURE}`, BODY.replace('bot_active', 'open'))).toEqual({ valid: false, reason: 'signature mismatch' });
		expect(check('t=1780000000,v1=320ab1763029dca4fa895843d261b67b0bd2e84184927b96beb9a8be603f186a').valid).toBe(false);
		expect(check('t=1780000000,v1=abc').valid).toBe(false);
	});

	it('refuses stale and future timestamps beyond the window', () => {
		expect(check(`t=1780000000,v1=${SIGNATURE}`, BODY, 1780000301).valid).toBe(false);
		expect(check(`t=1780000000,v1=${SIGNATURE}`, BODY, 1779999699).valid).toBe(false);
		expect(check(`t=1780000000,v1=${SIGNATURE}`, BODY, 1780000300).valid).toBe(true);
	});

	it('refuses a missing header, timestamp, signature or raw body', () => {
		expect(check(undefined).valid).toBe(false);
		expect(check(`v1=${SIGNATURE}`).valid).toBe(false);
		expect(check('t=1780000000').valid).toBe(false);
		expect(
			verifyTimestampedSignature({ rawBody: undefined, header: `t=1780000000,v1=${SIGNATURE}`, secret: SECRET, timestampKey: 't', signatureKey: 'v1', toleranceSeconds: 300 }).valid,
		).toBe(false);
	});

	it('signs the raw bytes, so a unicode body verifies as sent', () => {
		const body = '{"text":"Grüße, 你好 👋"}';
		const signature = createHmac('sha256', SECRET).update(`1780000000.${body}`).digest('hex');
		expect(check(`t=1780000000,v1=${signature}`, Buffer.from(body, 'utf8')).valid).toBe(true);
	});
});

describe('verifyBodySignature', () => {
	const body = '{"type":"conversation_created","data":{"id":"1"}}';
	const digest = createHmac('sha256', 'secret-32').update(body).digest('hex');
	const verify = (header: string | undefined, raw: string | undefined = body) =>
		verifyBodySignature({ rawBody: raw, header, secret: 'secret-32', prefix: 'sha256=' });
	const withoutBody = (header: string) => verifyBodySignature({ rawBody: undefined, header, secret: 'secret-32', prefix: 'sha256=' });

	it('accepts the prefixed hex HMAC of the raw body, in either case', () => {
		expect(verify(`sha256=${digest}`)).toEqual({ valid: true });
		expect(verify(`sha256=${digest.toUpperCase()}`).valid).toBe(true);
	});

	it('refuses a changed body, another secret, a missing prefix, header or digest', () => {
		expect(verify(`sha256=${digest}`, body.replace('1', '2'))).toEqual({ valid: false, reason: 'signature mismatch' });
		expect(verify(`sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`).valid).toBe(false);
		expect(verify(digest)).toEqual({ valid: false, reason: 'signature missing' });
		expect(verify('sha256=')).toEqual({ valid: false, reason: 'signature missing' });
		expect(verify(undefined)).toEqual({ valid: false, reason: 'signature header missing' });
		expect(withoutBody(`sha256=${digest}`)).toEqual({ valid: false, reason: 'raw body unavailable' });
	});
});

describe('the static-data de-duplication window', () => {
	const HOUR = 3600 * 1000;
	const t0 = Date.UTC(2026, 11, 1, 12);

	it('remembers keys and forgets the oldest beyond the capacity', () => {
		const staticData = {};
		const limits = { capacity: 2, slack: 0 };
		expect(rememberInStaticData(staticData, ['a'], t0, limits)).toBe(true);
		expect(seenInStaticData(staticData, 'a', t0)).toBe(true);
		rememberInStaticData(staticData, ['a', 'b'], t0 + 1000, limits);
		rememberInStaticData(staticData, ['c'], t0 + 2000, limits);
		expect(seenInStaticData(staticData, 'a', t0 + 2000)).toBe(false);
		rememberInStaticData(staticData, ['a'], t0 + 3000, limits);
		expect(staticData).toEqual({ seenWindow: `${t0 / 1000 + 2} c|${t0 / 1000 + 3} a`, seenWindowStamp: expect.any(String) });
	});

	it('writes nothing when every key is already there, so n8n sees no change to save', () => {
		const staticData = {};
		rememberInStaticData(staticData, ['a', 'b'], t0);
		const before = JSON.stringify(staticData);
		expect(rememberInStaticData(staticData, ['b', 'a'], t0 + HOUR)).toBe(false);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('forgets a key after 25 hours, and reads the age from the recorded times, not from the key order', () => {
		// A database may hand the keys back in another order (Postgres jsonb sorts them).
		const staticData: IDataObject = { seenWindow: `${t0 / 1000 + 10} z|${t0 / 1000} y` };
		expect(seenInStaticData(staticData, 'y', t0 + 25 * HOUR - 1000)).toBe(true);
		expect(seenInStaticData(staticData, 'y', t0 + 25 * HOUR)).toBe(false);
		rememberInStaticData(staticData, ['x'], t0 + 20_000, { capacity: 2, slack: 0 });
		expect(staticData.seenWindow).toBe(`${t0 / 1000 + 10} z|${t0 / 1000 + 20} x`);
	});

	it('ignores what is not a window of recorded times', () => {
		expect(seenInStaticData({ seenWindow: ['a'] }, '0', t0)).toBe(false);
		expect(seenInStaticData({ seenWindow: 'yesterday a' }, 'a', t0)).toBe(false);
		expect(seenInStaticData({ seenWindow: `${t0 / 1000} a` }, 'toString', t0)).toBe(false);
		expect(seenInStaticData({ seenKeys: ['a'] }, '0', t0)).toBe(false);
		expect(seenInStaticData({ seenKeys: { a: 'yesterday' } }, 'a', t0)).toBe(false);
		expect(seenInStaticData({ seenKeys: { a: t0 / 1000 } }, 'toString', t0)).toBe(false);
	});
});

describe('DeliveryGuard', () => {
	it('forgets a key after its window', () => {
		let now = 1_000;
		const guard = new DeliveryGuard({ keysPerScope: 10, scopes: 10, windowMs: 500 }, () => now);
		guard.remember('wf/node', ['k']);
		now += 499;
		expect(guard.seen('wf/node', 'k')).toBe(true);
		now += 1;
		expect(guard.seen('wf/node', 'k')).toBe(false);
	});

	it('keeps each scope apart and bounded: the oldest keys and the least recently used scopes go first', () => {
		const guard = new DeliveryGuard({ keysPerScope: 2, scopes: 2, windowMs: 60_000 });
		guard.remember('a', ['1', '2', '3']);
		expect(['1', '2', '3'].map((key) => guard.seen('a', key))).toEqual([false, true, true]);
		expect(guard.seen('b', '2')).toBe(false);
		guard.remember('b', ['x']);
		guard.remember('a', ['4']);
		guard.remember('c', ['y']);
		expect(guard.seen('b', 'x')).toBe(false);
		expect(guard.seen('a', '4')).toBe(true);
		guard.forget('a');
		expect(guard.seen('a', '4')).toBe(false);
	});

	it('forgets expired keys as it goes, and keeps a key remembered again for a new window', () => {
		let now = 0;
		const guard = new DeliveryGuard({ keysPerScope: 3, scopes: 1, windowMs: 100 }, () => now);
		guard.remember('s', ['a', 'b']);
		now = 60;
		guard.remember('s', ['a', 'c']);
		now = 120;
		guard.remember('s', ['d']);
		expect(['a', 'b', 'c', 'd'].map((key) => guard.seen('s', key))).toEqual([true, false, true, true]);
		now = 159;
		expect(guard.seen('s', 'a')).toBe(true);
		now = 160;
		expect(guard.seen('s', 'a')).toBe(false);
	});
});

describe('isPublicHttpsUrl', () => {
	it.each([
		['https://n8n.example.com/webhook/x', true],
		['http://n8n.example.com/webhook/x', false],
		['https://localhost/webhook', false],
		['https://127.0.0.1/webhook', false],
		['https://n8n.local/webhook', false],
		['https://[::1]/webhook', false],
		['not a url', false],
	])('%s → %p', (url, expected) => {
		expect(isPublicHttpsUrl(url)).toBe(expected);
	});
});
