import { createHmac } from 'crypto';

import { startReceiver } from '../voipbin/receiver';
import type { VoipbinSimulator } from './voipbin';
import { LEGACY_SENTINEL, NIL_UUID, checkAgainstOpenApi, startVoipbinSimulator } from './voipbin';

// Answers are read as loose JSON in the assertions below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let sim: VoipbinSimulator;

beforeAll(async () => {
	sim = await startVoipbinSimulator({ seed: 4, deliveryRetryDelayMs: 20 });
});
beforeEach(() => sim.reset());
afterAll(async () => await sim.close());

async function call(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
	const headers: Record<string, string> = { Cookie: `accesskey=${sim.accessKey}`, ...options.headers };
	if (options.body !== undefined || options.rawBody !== undefined) headers['Content-Type'] = 'application/json';
	const response = await fetch(`${sim.baseUrl}${path}`, {
		method,
		headers,
		body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as Json) };
}

function someConversation() {
	return [...sim.state.conversations.values()].find((c) => c.tm_delete === null)!;
}

describe('VoIPbin simulator: authentication', () => {
	it('accepts the access key as the accesskey cookie or query parameter', async () => {
		expect((await call('GET', '/customer')).status).toBe(200);
		const byQuery = await call('GET', `/customer?accesskey=${sim.accessKey}`, { headers: { Cookie: '' } });
		expect(byQuery.status).toBe(200);
	});

	it('refuses a missing key, a wrong key and a key in the Authorization header, with VoIPbin’s envelope', async () => {
		const missing = await call('GET', '/customer', { headers: { Cookie: '' } });
		expect(missing.status).toBe(401);
		expect(missing.body!.error).toMatchObject({ status: 'UNAUTHENTICATED', reason: 'AUTHENTICATION_REQUIRED' });
		expect(missing.body!.error.request_id).toBe(missing.headers.get('x-request-id'));
		const wrong = await call('GET', '/customer', { headers: { Cookie: 'accesskey=vb_nope' } });
		expect(wrong.body!.error.reason).toBe('INVALID_CREDENTIALS');
		const bearer = await call('GET', '/customer', { headers: { Cookie: '', Authorization: `Bearer ${sim.accessKey}` } });
		expect(bearer.status).toBe(401);
		expect(bearer.body!.error.reason).toBe('INVALID_CREDENTIALS');
	});
});

describe('VoIPbin simulator: the OpenAPI check', () => {
	it('answers and records requests the OpenAPI does not document', async () => {
		const id = someConversation().id;
		const undocumented = [
			await call('POST', '/conversations', { body: { name: 'x' } }),
			await call('DELETE', `/conversations/${id}`),
			await call('POST', `/conversations/${id}/tags`, { body: {} }),
			await call('GET', '/conversations?limit=10'),
			await call('GET', '/conversations?page_size=ten'),
			await call('PUT', `/conversations/${id}`, { body: { status: 'closed' } }),
			await call('POST', `/conversations/${id}/messages`, { body: { text: 'no medias' } }),
			await call('POST', `/conversations/${id}/unassign`, { body: {} }),
			await call('POST', '/conversations/not-a-uuid/unassign'),
			await call('PUT', '/customer', { body: { webhook_uri: 'https://example.com' } }),
			await call('PUT', `/conversations/${id}`, { rawBody: '{"name":' }),
		];
		expect(undocumented.map((r) => r.status)).toEqual([404, 404, 404, 400, 400, 400, 400, 400, 400, 400, 400]);
		expect(undocumented[0].body!.error.reason).toBe('ROUTE_NOT_FOUND');
		expect(sim.undocumented.map((r) => r.reason)).toEqual([
			'POST is not documented on this path',
			'DELETE is not documented on this path',
			'no such path',
			'query parameter limit is not documented',
			'query parameter page_size must be an integer',
			'body member status is not documented',
			'required body members missing: medias',
			'this operation takes no body',
			'path parameter id must be a UUID',
			'required body members missing: name, detail, email, phone_number, address, webhook_method',
			'the body must be a JSON object',
		]);
		expect(sim.state.messages.get(id)!.some((m) => m.text === 'no medias')).toBe(false);
	});

	it('records nothing for documented requests, and keeps its record across reset', async () => {
		const id = someConversation().id;
		await call('GET', '/conversations?page_size=2&owner_id=' + NIL_UUID);
		await call('GET', `/conversations/${id}/messages?page_size=5`);
		await call('PUT', `/conversations/${id}`, { body: { name: 'n', detail: 'd' } });
		await call('POST', `/conversations/${id}/messages`, { body: { text: 'hi', medias: [] } });
		await call('GET', '/agents?status=available&page_size=10');
		const before = sim.undocumented.length;
		await call('GET', '/nowhere');
		sim.reset();
		expect(sim.undocumented).toHaveLength(before + 1);
	});

	it('also records an undocumented request that an injected fault answered', async () => {
		const id = someConversation().id;
		sim.injectFault({ method: 'PATCH', path: '/conversations/:id', status: 503 });
		expect((await call('PATCH', `/conversations/${id}`, { body: { name: 'x' } })).status).toBe(503);
		expect(sim.undocumented.at(-1)).toMatchObject({ method: 'PATCH', path: `/conversations/${id}`, reason: 'PATCH is not documented on this path' });
		expect(checkAgainstOpenApi({ method: 'GET', path: '/conversations', query: { page_token: 'x' }, body: undefined })).toBeUndefined();
	});
});

describe('VoIPbin simulator: conversations and paging', () => {
	it('pages newest first with the last tm_create as token, and ends with an empty page and an empty token', async () => {
		const first = await call('GET', '/conversations?page_size=2');
		expect(first.body!.result).toHaveLength(2);
		const last = first.body!.result[1];
		expect(first.body!.next_page_token).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
		const newestFirst = [...sim.state.conversations.values()]
			.filter((c) => c.tm_delete === null)
			.sort((a, b) => b.tm_create - a.tm_create)
			.map((c) => c.id);
		expect(first.body!.result.map((c: { id: string }) => c.id)).toEqual(newestFirst.slice(0, 2));
		const second = await call('GET', `/conversations?page_size=100&page_token=${encodeURIComponent(first.body!.next_page_token)}`);
		expect(second.body!.result.map((c: { id: string }) => c.id)).not.toContain(last.id);
		const end = await call('GET', `/conversations?page_token=${encodeURIComponent(second.body!.next_page_token)}`);
		expect(end.body).toEqual({ result: [], next_page_token: '' });
	});

	it('writes both time forms: RFC 3339 with null, and the docs’ form with the 9999 sentinel and empty members', async () => {
		const modern = sim.addConversation({ timeForm: 'rfc3339', name: '', tm_update: null });
		const legacy = sim.addConversation({ timeForm: 'legacy', name: '', tm_update: null });
		const a = (await call('GET', `/conversations/${modern.id}`)).body!;
		const b = (await call('GET', `/conversations/${legacy.id}`)).body!;
		expect(a.tm_create).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
		expect(a).toMatchObject({ tm_update: null, tm_delete: null, owner_id: NIL_UUID });
		expect(a).not.toHaveProperty('name');
		expect(b.tm_create).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
		expect(b).toMatchObject({ tm_update: LEGACY_SENTINEL, tm_delete: LEGACY_SENTINEL, owner_id: '', name: '' });
	});

	it('turns a missing, zero or too large page size into 100, and refuses a token it cannot read', async () => {
		for (let i = 0; i < 120; i++) sim.addConversation();
		for (const size of ['', '&page_size=0', '&page_size=500']) {
			expect((await call('GET', `/conversations?owner_id=${NIL_UUID}${size}`)).body!.result).toHaveLength(100);
		}
		expect((await call('GET', '/conversations?page_token=soon')).status).toBe(400);
	});

	it('leaves deleted conversations out of the list but answers them by id', async () => {
		const deleted = sim.addConversation({ tm_delete: Date.now() * 1000 });
		const listed = await call('GET', '/conversations');
		expect(listed.body!.result.map((c: { id: string }) => c.id)).not.toContain(deleted.id);
		expect((await call('GET', `/conversations/${deleted.id}`)).body!.tm_delete).toMatch(/Z$/);
		expect((await call('GET', '/conversations/12345')).body!.error.reason).toBe('INVALID_ID');
		expect((await call('GET', `/conversations/${NIL_UUID}`)).body!.error.reason).toBe('CONVERSATION_NOT_FOUND');
	});
});

describe('VoIPbin simulator: the customer resource', () => {
	it('shows webhook_secret only on GET, leaves out empty members, and replaces all seven members on PUT', async () => {
		const got = (await call('GET', '/customer')).body!;
		expect(got.webhook_secret).toBe(sim.state.customer.webhook_secret);
		expect(got).not.toHaveProperty('webhook_uri');
		expect(got).not.toHaveProperty('webhook_method');
		const put = await call('PUT', '/customer', {
			body: { name: 'Acme', detail: '', email: 'ops@acme.example', phone_number: '', address: '', webhook_method: 'POST', webhook_uri: 'https://n8n.example.com/webhook/x' },
		});
		expect(put.status).toBe(200);
		expect(put.body).not.toHaveProperty('webhook_secret');
		expect(put.body).toMatchObject({ webhook_method: 'POST', webhook_uri: 'https://n8n.example.com/webhook/x' });
		expect(sim.state.customer).toMatchObject({ name: 'Acme', webhook_uri: 'https://n8n.example.com/webhook/x' });
		const badMethod = await call('PUT', '/customer', {
			body: { name: 'Acme', detail: '', email: '', phone_number: '', address: '', webhook_method: 'PATCH', webhook_uri: '' },
		});
		expect(badMethod.status).toBe(400);
	});
});

describe('VoIPbin simulator: rate limit', () => {
	it('lets a burst of 33 through, answers the next with 429 and Retry-After, and refills at 16.7 per second', async () => {
		let clock = Date.parse('2026-05-03T08:00:00Z');
		const limited = await startVoipbinSimulator({ seed: false, now: () => new Date(clock) });
		const get = async () => {
			const response = await fetch(`${limited.baseUrl}/customer`, { headers: { Cookie: `accesskey=${limited.accessKey}` } });
			return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Json };
		};
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 33; i++) statuses.push((await get()).status);
			expect(statuses).toEqual(Array(33).fill(200));
			const refused = await get();
			expect(refused).toMatchObject({ status: 429, retryAfter: '1' });
			expect(refused.body.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', reason: 'RATE_LIMIT_EXCEEDED', details: [{ limited_by: 'customer' }] });
			clock += 60;
			expect((await get()).status).toBe(200);
			expect((await get()).status).toBe(429);
		} finally {
			await limited.close();
		}
	});
});

describe('VoIPbin simulator: deliveries', () => {
	it('signs {type, data} with the webhook secret, uses the webhook method, and omits the header without a secret', async () => {
		const receiver = await startReceiver();
		try {
			Object.assign(sim.state.customer, { webhook_uri: receiver.url, webhook_method: 'PUT' });
			const conversation = someConversation();
			await call('POST', `/conversations/${conversation.id}/messages`, { body: { text: 'Sent', medias: [] } });
			await call('POST', `/conversations/${conversation.id}/unassign`);
			await sim.flushDeliveries();
			expect(receiver.received.map((r) => r.method)).toEqual(['PUT', 'PUT']);
			const [message, update] = receiver.received.map((r) => JSON.parse(r.rawBody));
			expect(message).toMatchObject({ type: 'conversation_message_created', data: { direction: 'outgoing', text: 'Sent' } });
			expect(Object.keys(message)).toEqual(['type', 'data']);
			expect(update).toMatchObject({ type: 'conversation_updated', data: { id: conversation.id, owner_id: NIL_UUID } });
			const signature = createHmac('sha256', sim.state.customer.webhook_secret).update(receiver.received[0].rawBody).digest('hex');
			expect(receiver.received[0].headers['x-voipbin-signature']).toBe(`sha256=${signature}`);

			const sent = JSON.parse(receiver.received[0].rawBody).data as { id: string };
			sim.completeMessage(sent.id);
			await sim.flushDeliveries();
			expect(JSON.parse(receiver.received[2].rawBody)).toMatchObject({
				type: 'conversation_message_updated',
				data: { id: sent.id, direction: 'outgoing', status: 'done' },
			});

			sim.state.customer.webhook_secret = '';
			sim.receiveMessage(conversation.id, 'Unsigned');
			await sim.flushDeliveries();
			expect(receiver.received[3].headers).not.toHaveProperty('x-voipbin-signature');
			expect(JSON.parse(receiver.received[3].rawBody).data).toMatchObject({ direction: 'incoming', text: 'Unsigned' });
		} finally {
			await receiver.close();
		}
	});

	it('retries a 5xx and a connection error up to three attempts with byte-identical bodies, but not a 4xx', async () => {
		const receiver = await startReceiver([503, 500, 200, 401]);
		try {
			const conversation = someConversation();
			const retried = await sim.deliver('conversation_updated', sim.conversationData(conversation.id), { url: receiver.url });
			expect(retried.status).toBe(200);
			const refused = await sim.deliver('conversation_updated', sim.conversationData(conversation.id), { url: receiver.url });
			expect(refused.status).toBe(401);
			expect(sim.deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 503], [2, 500], [3, 200], [1, 401]]);
			expect(new Set(receiver.received.slice(0, 3).map((r) => r.rawBody)).size).toBe(1);
			expect(new Set(receiver.received.slice(0, 3).map((r) => r.headers['x-voipbin-signature'])).size).toBe(1);
		} finally {
			await receiver.close();
		}
		sim.deliveries.length = 0;
		const unreachable = await sim.deliver('conversation_updated', {}, { url: receiver.url });
		expect(unreachable.status).toBe(0);
		expect(sim.deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
	});

	it('announces a conversation opened by an inbound message, and can refuse private URLs like VoIPbin', async () => {
		const receiver = await startReceiver();
		const guarded = await startVoipbinSimulator({ seed: false, blockPrivateUrls: true });
		try {
			Object.assign(sim.state.customer, { webhook_uri: receiver.url, webhook_method: 'POST' });
			sim.receiveNewConversation({ type: 'line' }, 'Hello there');
			await sim.flushDeliveries();
			expect(receiver.received.map((r) => JSON.parse(r.rawBody).type)).toEqual(['conversation_created', 'conversation_message_created']);
			const blocked = await guarded.deliver('conversation_created', {}, { url: receiver.url });
			expect(blocked.status).toBe(0);
			expect(receiver.received).toHaveLength(2);
		} finally {
			await Promise.all([receiver.close(), guarded.close()]);
		}
	});
});
