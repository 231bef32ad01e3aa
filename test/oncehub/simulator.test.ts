import { createHmac } from 'crypto';
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import type { OnceHubSimulator } from '../simulators/oncehub';
import { EXAMPLE_WEBHOOK_SECRET, startOnceHubSimulator } from '../simulators/oncehub';
import { FIXTURE_BODY, FIXTURE_SIGNATURE } from './fixtures';

describe('OnceHub simulator', () => {
	let sim: OnceHubSimulator;

	beforeAll(async () => {
		sim = await startOnceHubSimulator({ seed: 4 });
	});
	afterEach(() => sim.reset());
	afterAll(() => sim.close());

	const api = (path: string, init: RequestInit = {}, apiKey = sim.apiKey) =>
		fetch(`${sim.baseUrl}${path}`, {
			...init,
			headers: { 'API-Key': apiKey, 'Content-Type': 'application/json', ...init.headers },
		});

	it('checks the API-Key header and marks every response with a Request-Id', async () => {
		const missing = await fetch(`${sim.baseUrl}/test`);
		expect(missing.status).toBe(401);
		expect(await missing.json()).toEqual({ type: 'authentication_error', message: 'Invalid API key.' });
		expect(missing.headers.get('request-id')).toMatch(/^req_[0-9a-f]{16}$/);
		const ok = await api('/test');
		expect(await ok.json()).toEqual({ message: 'The API key is valid for account: admin@example.com' });
	});

	it('has no conversation endpoint, as the real API', async () => {
		const response = await api('/conversations');
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ type: 'invalid_request_error' });
	});

	it('pages newest first with limit and after, has_more and a Link header without /v2', async () => {
		for (let i = 0; i < 12; i++) sim.addContact({ email: `page${i}@example.com` });
		const first = await api('/contacts');
		const page = (await first.json()) as { data: Array<{ id: string; creation_time: string }>; has_more: boolean };
		expect(page.data).toHaveLength(10);
		expect(page.has_more).toBe(true);
		const times = page.data.map((c) => c.creation_time);
		expect([...times].sort().reverse()).toEqual(times);
		const last = page.data[9].id;
		expect(first.headers.get('link')).toBe(`<${new URL(sim.baseUrl).origin}/contacts?after=${last}&limit=10>; rel="next"`);
		const second = (await (await api(`/contacts?after=${last}&limit=100`)).json()) as { data: unknown[]; has_more: boolean };
		expect(second.data).toHaveLength(sim.state.contacts.size - 10);
		expect(second.has_more).toBe(false);
	});

	it('lists contacts as they are at each request, whatever changed between two pages: writes, deletes, direct edits of the state', async () => {
		type Page = { data: Array<{ id: string }>; has_more: boolean };
		const listAll = async (limit: number) => {
			const ids: string[] = [];
			let after: string | undefined;
			for (;;) {
				const page = (await (await api(`/contacts?limit=${limit}${after ? `&after=${after}` : ''}`)).json()) as Page;
				ids.push(...page.data.map((contact) => contact.id));
				if (!page.has_more) return ids;
				after = ids.at(-1);
			}
		};
		/** What a listing must be: the contacts not deleted, newest first by creation time, then id. */
		const expected = () =>
			[...sim.state.contacts.values()]
				.filter((contact) => !contact.deleted)
				.sort((a, b) => (a.creation_time === b.creation_time ? (a.id < b.id ? 1 : -1) : a.creation_time < b.creation_time ? 1 : -1))
				.map((contact) => contact.id);
		for (let i = 0; i < 9; i++) sim.addContact({ email: `order${i}@example.com` });
		expect(await listAll(4)).toEqual(expected());
		expect(await listAll(4)).toEqual(expected());
		// A test moves the oldest contact to the front by editing the state itself.
		const oldest = expected().at(-1)!;
		sim.state.contacts.get(oldest)!.creation_time = new Date(Date.now() + 60_000).toISOString();
		expect((await listAll(3))[0]).toBe(oldest);
		expect(await listAll(3)).toEqual(expected());
		// A delete through the API, and a contact added directly: both show on the next listing.
		const [, second] = expected();
		expect((await api(`/contacts/${second}`, { method: 'DELETE' })).status).toBeLessThan(300);
		const added = sim.addContact({ email: 'late@example.com' });
		expect(await listAll(5)).toEqual(expected());
		expect(await listAll(5)).not.toContain(second);
		expect(await listAll(5)).toContain(added.id);
		// The last one added goes again: the list is what it was, less its end.
		expect((await api(`/contacts/${added.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
		expect(await listAll(5)).toEqual(expected());
		expect(await listAll(5)).not.toContain(added.id);
		// The previous link of a later page, and a cursor read against the order as it is now.
		const firstPage = (await (await api('/contacts?limit=2')).json()) as Page;
		const laterPage = await api(`/contacts?limit=2&after=${firstPage.data[1].id}`);
		expect(laterPage.headers.get('link')).toContain('rel="previous"');
		expect(firstPage.data.map((contact) => contact.id)).toEqual(expected().slice(0, 2));
	});

	it('refuses a bad limit, before with after, and an unknown cursor with the documented errors', async () => {
		expect(await (await api('/contacts?limit=500')).json()).toEqual({
			type: 'invalid_request_error',
			message: 'Out of range value: 500. Please provide a number between 1 and 100.',
			param: 'limit',
		});
		const id = [...sim.state.contacts.keys()][0];
		expect(await (await api(`/contacts?after=${id}&before=${id}`)).json()).toEqual({
			type: 'invalid_request_error',
			message: 'Received both before and after parameters. Please provide only one.',
		});
		expect((await api('/contacts?after=CTC-NOPE')).status).toBe(400);
		expect(await (await api('/contacts?creation_time.gt=2025-13-45T99:99:99Z')).json()).toMatchObject({ param: 'creation_time.gt' });
	});

	it('expands a booking’s conversation, two levels deep at most', async () => {
		const booking = [...sim.state.bookings.values()].find((b) => b.conversation)!;
		const plain = (await (await api(`/bookings/${booking.id}`)).json()) as { conversation: unknown };
		expect(plain.conversation).toBe(booking.conversation);
		const expanded = (await (await api(`/bookings/${booking.id}?expand=conversation,conversation.contact`)).json()) as {
			conversation: { id: string; contact: { object: string }; owner: string };
		};
		expect(expanded.conversation).toMatchObject({ id: booking.conversation, contact: { object: 'contact' } });
		expect(typeof expanded.conversation.owner).toBe('string');
		expect(await (await api(`/bookings/${booking.id}?expand=conversation.contact.owner`)).json()).toEqual({
			type: 'invalid_request_error',
			message: 'This property cannot be expanded: conversation.contact.owner',
			param: 'expand',
		});
		expect((await api('/bookings?expand=data.conversation')).status).toBe(400);
	});

	it('creates, updates and deletes contacts as documented', async () => {
		const created = await api('/contacts', { method: 'POST', body: JSON.stringify({ first_name: 'Ada', last_name: 'King', email: 'ada@example.com' }) });
		expect(created.status).toBe(201);
		const { id } = (await created.json()) as { id: string };
		const identifier = await api(`/contacts/${id}`, { method: 'PATCH', body: JSON.stringify({ email: 'x@example.com' }) });
		expect(await identifier.json()).toMatchObject({ param: 'email' });
		const empty = await api(`/contacts/${id}`, { method: 'PATCH', body: '{}' });
		expect(await empty.json()).toMatchObject({ message: 'At least one field must be provided to update.', param: 'body' });
		const status = await api(`/contacts/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'Hot lead' }) });
		expect(await status.json()).toMatchObject({ status: null });
		expect(await (await api(`/contacts/${id}`, { method: 'DELETE' })).json()).toEqual({ id, object: 'contact', deleted: true });
		expect(await (await api(`/contacts/${id}`)).json()).toEqual({ id, object: 'contact', deleted: true });
		const listed = (await (await api('/contacts?limit=100')).json()) as { data: Array<{ id: string }> };
		expect(listed.data.map((c) => c.id)).not.toContain(id);
	});

	it('returns a webhook’s secret on create only, and refuses a duplicate name with 409', async () => {
		const body = JSON.stringify({ url: 'https://example.com/hook', name: 'Chats', events: ['conversation.closed'] });
		const created = (await (await api('/webhooks', { method: 'POST', body })).json()) as { id: string; secret: string };
		expect(created.secret).toMatch(/^[0-9a-f]{32}$/);
		expect(await (await api(`/webhooks/${created.id}`)).json()).not.toHaveProperty('secret');
		const duplicate = await api('/webhooks', { method: 'POST', body });
		expect(duplicate.status).toBe(409);
		expect(await duplicate.json()).toEqual({
			type: 'invalid_request_error',
			message: "A webhook subscription with this name already exists: 'Chats'",
			param: 'name',
		});
		const reachedOut = await api('/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://example.com/h', name: 'R', events: ['conversation.reached_out'] }) });
		expect(await reachedOut.json()).toMatchObject({ param: 'events' });
		expect(await (await api(`/webhooks/${created.id}`, { method: 'DELETE' })).json()).toEqual({ id: created.id, object: 'webhook', deleted: true });
	});

	it('signs deliveries exactly as the documented fixture', () => {
		const fixture = JSON.parse(FIXTURE_BODY);
		const signed = sim.signDelivery('conversation.closed', fixture.data, {
			secret: EXAMPLE_WEBHOOK_SECRET,
			timestamp: 1773152551,
			eventId: fixture.id,
			creationTime: fixture.creation_time,
		});
		expect(signed.rawBody).toBe(FIXTURE_BODY);
		expect(signed.headers['Oncehub-Signature']).toBe(FIXTURE_SIGNATURE);
	});

	it('enforces the per-second limit with the documented 429 when asked to', async () => {
		const limited = await startOnceHubSimulator({ seed: false, rateLimitPerSecond: 2 });
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.baseUrl}/test`, { headers: { 'API-Key': limited.apiKey } })).status);
			expect(statuses).toEqual([200, 200, 429]);
		} finally {
			await limited.close();
		}
	});

	it('posts signed conversation events to the webhooks subscribed to them', async () => {
		const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
		const receiver = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk) => (body += chunk));
			request.on('end', () => {
				received.push({ headers: request.headers, body });
				response.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
			const webhook = sim.addWebhook({ url, name: 'local', events: ['conversation.abandoned'] });
			sim.addWebhook({ url, name: 'other', events: ['booking.scheduled'] });
			const conversation = [...sim.state.conversations.values()][0];
			const attempts = await sim.emitConversationEvent('conversation.abandoned', conversation.id);
			expect(attempts).toEqual([expect.objectContaining({ webhookId: webhook.id, status: 200 })]);
			const [{ headers, body }] = received;
			const [, t, s] = /^t=(\d+),s=([0-9a-f]{64})$/.exec(String(headers['oncehub-signature']))!;
			expect(createHmac('sha256', webhook.secret).update(`${t}.${body}`).digest('hex')).toBe(s);
			expect(JSON.parse(body)).toMatchObject({ object: 'event', type: 'conversation.abandoned', api_version: 'v2', data: { id: conversation.id, contact: { object: 'contact' } } });
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});
});
