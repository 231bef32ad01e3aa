import { createHmac } from 'crypto';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { AwardeeSimulator, EXAMPLE_WEBHOOK_SECRET, startAwardeeSimulator } from './awardee';

/** The signed `conversation.created` fixture from shared/vendors/awardee.md (217 bytes). */
const FIXTURE_BODY =
	'{"conversation":{"id":"3a9d2e8f-1b4c-4f5d-9e8a-7c3b2a1d0f9e","chatbotId":"1b4c4f5d-9e8a-7c3b-2a1d-0f9e8f3a9d2e",' +
	'"orgId":"8f3a9d2e-1b4c-4f5d-9e8a-7c3b2a1d0f9e","status":"bot_active","createdAt":"2026-05-28T20:26:39Z"}}';
const FIXTURE_SIGNATURE = 't=1780000000,v1=72020feebf111ca3c9abb8918ffe35634103427bdee40c2e69b3d4655933a033';

describe('Awardee simulator', () => {
	let sim: AwardeeSimulator;

	beforeAll(async () => {
		sim = await startAwardeeSimulator();
	});
	afterEach(() => sim.reset());
	afterAll(() => sim.close());

	const api = (path: string, init: RequestInit = {}, apiKey = sim.apiKey) =>
		fetch(`${sim.baseUrl}${path}`, {
			...init,
			headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...init.headers },
		});

	it('requires a valid bearer key and marks every response', async () => {
		const missing = await fetch(`${sim.baseUrl}/me`);
		expect(missing.status).toBe(401);
		expect(await missing.json()).toMatchObject({
			error: 'missing_api_key',
			request_id: missing.headers.get('x-request-id'),
		});

		const wrong = await api('/me', {}, `aw_live_${'0'.repeat(32)}`);
		expect(await wrong.json()).toMatchObject({ error: 'invalid_api_key' });

		const me = await api('/me');
		expect(me.status).toBe(200);
		expect(me.headers.get('x-request-id')).toMatch(/^req_/);
		expect(me.headers.get('x-ratelimit-limit-minute')).toBe('60');
		expect(await me.json()).toMatchObject({ object: 'me', auth: { type: 'api_key' } });
	});

	it('pages conversations newest first with opaque cursors', async () => {
		type Page = { data: Array<Record<string, unknown>>; next_cursor: string | null };
		const seen: Page['data'] = [];
		let cursor: string | null = null;
		do {
			const query: string = cursor ? `&cursor=${cursor}` : '';
			const page = (await (await api(`/conversations?limit=2${query}`)).json()) as Page;
			seen.push(...page.data);
			cursor = page.next_cursor;
		} while (cursor);

		const times = seen.map((conversation) => conversation.last_message_at as string);
		expect(new Set(seen.map((conversation) => conversation.id)).size).toBe(5);
		expect([...times].sort().reverse()).toEqual(times);
		expect(times[0]).toMatch(/\+00:00$/);
		expect(seen[0]).not.toHaveProperty('updated_at');

		const tooMany = await api('/conversations?limit=101');
		expect(tooMany.status).toBe(400);
		const refusal = (await tooMany.json()) as { error: string; details: { fieldErrors: Record<string, string[]> } };
		expect(refusal.error).toBe('invalid_query');
		expect(refusal.details.fieldErrors.limit).toHaveLength(1);
	});

	it('lists the conversations as they are after each write, with filters, page by page', async () => {
		type Page = { data: Array<{ id: string; status: string }>; has_more: boolean; next_cursor: string | null };
		const page = async (query: string) => (await (await api(`/conversations?${query}`)).json()) as Page;
		const listAll = async (query: string, from: string | null = null) => {
			const ids: string[] = [];
			let cursor = from;
			do {
				const answer: Page = await page(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
				ids.push(...answer.data.map((conversation) => conversation.id));
				cursor = answer.next_cursor;
			} while (cursor);
			return ids;
		};
		/** What a listing must be: the stored conversations that match, latest activity first, then id. */
		const expected = (matches: (status: string) => boolean) =>
			[...sim.state.conversations.values()]
				.filter((conversation) => matches(conversation.status))
				.sort((a, b) => {
					const [keyA, keyB] = [a.last_message_at ?? a.created_at, b.last_message_at ?? b.created_at];
					return keyA < keyB ? 1 : keyA > keyB ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
				})
				.map((conversation) => conversation.id);
		for (let index = 0; index < 12; index++) sim.addConversation({ status: index % 3 === 0 ? 'open' : 'bot_active' });
		expect(await listAll('limit=3')).toEqual(expected(() => true));
		expect(await listAll('limit=2&status=open')).toEqual(expected((status) => status === 'open'));

		// The oldest conversation gets a message through the API: it moves to the front.
		const oldest = expected(() => true).at(-1)!;
		sim.addMessage(oldest, { role: 'user', text: 'Still there?' });
		expect((await page('limit=1')).data[0].id).toBe(oldest);
		// A PATCH takes another out of a status filter.
		const [firstOpen] = expected((status) => status === 'open');
		expect((await api(`/conversations/${firstOpen}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) })).status).toBe(200);
		expect(await listAll('limit=2&status=open')).toEqual(expected((status) => status === 'open'));
		expect(await listAll('limit=2&status=open')).not.toContain(firstOpen);

		// A write between two pages: the next page starts after the cursor, in the order as it is now.
		const first = await page('limit=4');
		const newest = sim.addConversation({});
		sim.addMessage(newest.id, { text: 'Hi' });
		const rest = await listAll('limit=4', first.next_cursor);
		expect(rest).toEqual(expected(() => true).filter((id) => !first.data.some((c) => c.id === id) && id !== newest.id));
	});

	it('answers an injected fault once, then normally', async () => {
		sim.injectFault({ method: 'GET', path: '/conversations', status: 503, retryAfter: 2 });

		const faulted = await api('/conversations');
		expect(faulted.status).toBe(503);
		expect(faulted.headers.get('retry-after')).toBe('2');
		expect((await api('/conversations')).status).toBe(200);
		expect(sim.requests.map((entry) => entry.status)).toEqual([503, 200]);
	});

	it('replays a note that was committed before the client lost the answer', async () => {
		const [conversation] = sim.state.conversations.values();
		const addNote = (content: string) =>
			api(`/conversations/${conversation.id}/notes`, {
				method: 'POST',
				headers: { 'Idempotency-Key': 'note-1' },
				body: JSON.stringify({ content }),
			});
		sim.injectFault({ method: 'POST', path: /\/notes$/, status: 502, afterCommit: true });

		expect((await addNote('Called the customer back.')).status).toBe(502);
		const retry = await addNote('Called the customer back.');
		expect(retry.status).toBe(201);
		expect(retry.headers.get('idempotent-replayed')).toBe('true');
		expect(await retry.json()).toMatchObject({ object: 'conversation_note', author_id: null });
		expect(sim.state.notes.get(conversation.id)).toHaveLength(1);

		const reused = await addNote('Something else.');
		expect(reused.status).toBe(409);
		expect(await reused.json()).toMatchObject({ error: 'idempotency_conflict' });
	});

	it('signs deliveries exactly like the documented fixture', () => {
		const options = { secret: EXAMPLE_WEBHOOK_SECRET, timestamp: 1780000000 };
		const { headers, rawBody } = sim.signDelivery('conversation.created', JSON.parse(FIXTURE_BODY), options);

		expect(Buffer.byteLength(rawBody)).toBe(217);
		expect(headers['X-Awardee-Signature']).toBe(FIXTURE_SIGNATURE);
		expect(headers['X-Awardee-Timestamp']).toBe('1780000000');
	});

	it('sends signed takeover webhooks in lifecycle order', async () => {
		const received: Array<{ event: string; signature: string; rawBody: string }> = [];
		const receiver = createServer((request, response) => {
			let rawBody = '';
			request.on('data', (chunk) => (rawBody += chunk));
			request.on('end', () => {
				const header = (name: string) => String(request.headers[name]);
				received.push({ event: header('x-awardee-event'), signature: header('x-awardee-signature'), rawBody });
				response.end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		const { port } = receiver.address() as AddressInfo;
		const webhook = sim.addWebhook({ url: `http://127.0.0.1:${port}/hooks/awardee` });
		const waiting = [...sim.state.conversations.values()].find((c) => c.status === 'agent_requested');

		const reply = await api(`/conversations/${waiting?.id}/messages`, {
			method: 'POST',
			body: JSON.stringify({ text: 'Hi, Sam here.' }),
		});
		await sim.flushDeliveries();
		receiver.closeAllConnections();
		receiver.close();

		expect(reply.status).toBe(201);
		expect(await reply.json()).toMatchObject({ role: 'assistant', metadata: { source: 'api' } });
		expect(received.map((delivery) => delivery.event)).toEqual(['message.created', 'conversation.updated', 'message.created']);
		expect(JSON.parse(received[1].rawBody)).toMatchObject({
			conversation: { id: waiting?.id, status: 'open' },
			changes: { status: { from: 'agent_requested', to: 'open' } },
		});
		for (const { signature, rawBody } of received) {
			const [, timestamp] = /t=(\d+)/.exec(signature) ?? [];
			const expected = createHmac('sha256', webhook.secret).update(`${timestamp}.${rawBody}`).digest('hex');
			expect(signature).toBe(`t=${timestamp},v1=${expected}`);
		}
		expect(sim.deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
	});
});
