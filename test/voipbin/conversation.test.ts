import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { VoipbinSetup } from '../helpers/voipbin';
import { byId, expectOnlyDocumentedRequests, listedConversations, startVoipbin } from '../helpers/voipbin';
import { expectValid } from '../helpers/schema';
import { NIL_UUID } from '../simulators/voipbin';
import { startReceiver } from './receiver';

let setup: VoipbinSetup;

beforeAll(async () => {
	setup = await startVoipbin({ seed: 6 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

const micros = (iso: string) => Date.parse(iso) * 1000;

function agents() {
	return [...setup.sim.state.agents.values()];
}

describe('VoIPbin conversation → Get', () => {
	it('normalizes the current RFC 3339 form: UTC with milliseconds, peer as contact, agent as assignee', async () => {
		const agent = agents()[0];
		const conversation = setup.sim.addConversation({
			type: 'message',
			timeForm: 'rfc3339',
			owner_id: agent.id,
			name: 'SMS · Alice (+14155550123)',
			detail: 'SMS conversation',
			peer: { type: 'tel', target: '+14155550123', target_name: 'Alice' },
			tm_create: micros('2026-05-03T08:12:44.000Z') + 512378,
			tm_update: micros('2026-05-03T09:01:10.000Z') + 204517,
		});
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
		expect(status).toBe('success');
		expect(items).toHaveLength(1);
		const json = items[0].json;
		expectValid('conversation', json);
		expect(json).toMatchObject({
			vendor: 'voipbin',
			id: conversation.id,
			globalId: `voipbin:${conversation.id}`,
			status: 'unknown',
			vendorStatus: null,
			handledBy: 'human',
			channel: 'sms',
			title: 'SMS · Alice (+14155550123)',
			summary: 'SMS conversation',
			contact: { id: '+14155550123', name: 'Alice', email: null, phone: '+14155550123' },
			assignee: { type: 'agent', id: agent.id, name: null },
			tags: null,
			createdAt: '2026-05-03T08:12:44.512Z',
			updatedAt: '2026-05-03T09:01:10.204Z',
			lastMessageAt: null,
			closedAt: null,
			deleted: false,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('normalizes the docs’ legacy form: zone-less UTC times, the 9999 sentinel and an empty owner as null', async () => {
		const conversation = setup.sim.addConversation({
			type: 'line',
			timeForm: 'legacy',
			owner_id: NIL_UUID,
			peer: { type: 'line', target: 'Ud871bcaf7c3ad13d2a0b0d78a42a287f', target_name: 'Unknown' },
			tm_create: micros('2022-06-23T05:05:40.000Z') + 950834,
			tm_update: null,
		});
		const raw = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'raw' });
		expect(raw.items[0].json).toMatchObject({
			owner_id: '',
			tm_create: '2022-06-23 05:05:40.950834',
			tm_update: '9999-01-01 00:00:00.000000',
			tm_delete: '9999-01-01 00:00:00.000000',
		});
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
		expectValid('conversation', items[0].json);
		expect(items[0].json).toMatchObject({
			channel: 'line',
			handledBy: null,
			assignee: null,
			contact: { id: 'Ud871bcaf7c3ad13d2a0b0d78a42a287f', name: 'Unknown', email: null, phone: null },
			createdAt: '2022-06-23T05:05:40.950Z',
			updatedAt: null,
			deleted: false,
		});
	});

	it('reads the nil UUID owner of the current form as unassigned, and a real tm_delete as deleted', async () => {
		const conversation = setup.sim.addConversation({ owner_id: NIL_UUID, tm_delete: micros('2026-05-04T10:00:00.000Z') });
		const raw = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'raw' });
		expect(raw.items[0].json).toMatchObject({ owner_id: NIL_UUID, tm_delete: '2026-05-04T10:00:00Z' });
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
		expectValid('conversation', items[0].json);
		expect(items[0].json).toMatchObject({ assignee: null, deleted: true });
	});

	it('gives the simplified output at most ten flat fields with the id', async () => {
		const conversation = listedConversations(setup.sim)[0];
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'simplified' });
		const json = items[0].json;
		expect(Object.keys(json).length).toBeLessThanOrEqual(10);
		expect(json.id).toBe(conversation.id);
		expect(json.globalId).toBe(`voipbin:${conversation.id}`);
		for (const value of Object.values(json)) expect(typeof value === 'object' && value !== null).toBe(false);
	});

	it('gives the raw output exactly as VoIPbin sent it', async () => {
		const conversation = listedConversations(setup.sim)[0];
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'raw' });
		expect(items[0].json).toEqual(setup.sim.conversationData(conversation.id));
	});
});

describe('VoIPbin conversation → Get Many', () => {
	it('returns every listed conversation exactly once over several pages, newest first, until the first empty page', async () => {
		for (let i = 0; i < 260; i++) setup.sim.addConversation({ timeForm: i % 2 === 0 ? 'legacy' : 'rfc3339' });
		const expected = listedConversations(setup.sim).map((c) => c.id);
		const { status, items } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(status).toBe('success');
		expect(items.map((item) => item.json.id)).toEqual(expected);
		for (const item of items) expectValid('conversation', item.json);
		const pages = setup.sim.requests.filter((r) => r.method === 'GET' && r.path === '/conversations');
		// 265 conversations: 100 + 100 + 65, then the empty page that ends the list.
		expect(pages.map((page) => page.query.page_size)).toEqual(['100', '100', '100', '100']);
		expect(pages[0].query.page_token).toBeUndefined();
		expect(pages.slice(1).every((page) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(page.query.page_token))).toBe(true);
		expect(items.some((item) => item.json.deleted === true)).toBe(false);
	});

	it('stops paging once the limit is reached, asking only for what is still wanted', async () => {
		for (let i = 0; i < 260; i++) setup.sim.addConversation();
		const { items } = await setup.run({ operation: 'getAll', returnAll: false, limit: 150 });
		expect(items.map((i) => i.json.id)).toEqual(listedConversations(setup.sim).slice(0, 150).map((c) => c.id));
		const pages = setup.sim.requests.filter((r) => r.path === '/conversations');
		expect(pages.map((page) => page.query.page_size)).toEqual(['100', '50']);
	});

	it('ends at the first empty page even when it still carries a token', async () => {
		const other = await startVoipbin({ seed: 3, emptyPageToken: true });
		try {
			const { items } = await other.run({ operation: 'getAll', returnAll: true });
			expect(items).toHaveLength(listedConversations(other.sim).length);
			const pages = other.sim.requests.filter((r) => r.path === '/conversations');
			expect(pages).toHaveLength(2);
			// The page that ended the listing did carry a token.
			const emptyPage = await fetch(`${other.sim.baseUrl}/conversations?page_token=${encodeURIComponent(pages[1].query.page_token)}`, {
				headers: { Cookie: `accesskey=${other.sim.accessKey}` },
			});
			expect(await emptyPage.json()).toEqual({ result: [], next_page_token: expect.stringMatching(/^\d{4}-/) });
			expectOnlyDocumentedRequests(other.sim);
		} finally {
			await other.sim.close();
		}
	});

	it('filters by owner in VoIPbin’s own words (owner_id)', async () => {
		const agent = agents()[1];
		const mine = [setup.sim.addConversation({ owner_id: agent.id })];
		setup.sim.addConversation({ owner_id: agents()[2].id });
		const { items } = await setup.run({ operation: 'getAll', returnAll: true, filters: { owner_id: agent.id }, output: 'simplified' });
		expect(setup.sim.requests[0].query).toEqual({ owner_id: agent.id, page_size: '100' });
		const owned = listedConversations(setup.sim).filter((c) => c.owner_id === agent.id);
		expect(owned.length).toBeGreaterThan(mine.length);
		expect(items.map((item) => item.json.id)).toEqual(owned.map((c) => c.id));
		expect(items.every((item) => item.json.assigneeId === agent.id)).toBe(true);
	});

	it('gives raw conversations as VoIPbin listed them', async () => {
		const { items } = await setup.run({ operation: 'getAll', returnAll: true, output: 'raw' });
		expect(items.map((item) => item.json)).toEqual(listedConversations(setup.sim).map((c) => setup.sim.conversationData(c.id)));
	});
});

describe('VoIPbin conversation → Update and Assign', () => {
	it('updates name and detail with PUT, sending only the fields given, and emits the conversation after the change', async () => {
		const conversation = setup.sim.addConversation({ name: 'Old', detail: 'Kept' });
		const { items } = await setup.run({ operation: 'update', conversationId: byId(conversation.id), updateFields: { name: 'VIP order' } });
		expectValid('conversation', items[0].json);
		expect(items[0].json).toMatchObject({ title: 'VIP order', summary: 'Kept' });
		expect(items[0].json.updatedAt).toMatch(/Z$/);
		const put = setup.sim.requests.find((r) => r.method === 'PUT')!;
		expect(put.path).toBe(`/conversations/${conversation.id}`);
		expect(put.body).toEqual({ name: 'VIP order' });
		const both = await setup.run({
			operation: 'update',
			conversationId: byId(conversation.id),
			updateFields: { name: 'A', detail: 'B' },
			output: 'raw',
		});
		expect(both.items[0].json).toMatchObject({ name: 'A', detail: 'B' });
	});

	it('assigns an agent with owner_id, and unassigns an empty assignee with POST …/unassign', async () => {
		const conversation = setup.sim.addConversation({ owner_id: NIL_UUID });
		const agent = agents()[0];
		const assigned = await setup.run({ operation: 'assign', conversationId: byId(conversation.id), assigneeId: byId(agent.id) });
		expectValid('conversation', assigned.items[0].json);
		expect(assigned.items[0].json).toMatchObject({ assignee: { type: 'agent', id: agent.id, name: null }, handledBy: 'human' });
		expect(setup.sim.requests.find((r) => r.method === 'PUT')!.body).toEqual({ owner_id: agent.id });
		expect(setup.sim.state.conversations.get(conversation.id)).toMatchObject({ owner_id: agent.id, owner_type: 'agent' });

		const unassigned = await setup.run({ operation: 'assign', conversationId: byId(conversation.id), assigneeId: byId('') });
		expect(unassigned.items[0].json).toMatchObject({ assignee: null, handledBy: null });
		const post = setup.sim.requests.find((r) => r.method === 'POST')!;
		expect(post.path).toBe(`/conversations/${conversation.id}/unassign`);
		expect(post.body).toBeUndefined();
		expect(setup.sim.state.conversations.get(conversation.id)).toMatchObject({ owner_id: NIL_UUID, owner_type: '' });
	});

	it('gives the changed conversation raw and simplified too', async () => {
		const conversation = setup.sim.addConversation({ owner_id: NIL_UUID });
		const agent = agents()[2];
		const raw = await setup.run({ operation: 'assign', conversationId: byId(conversation.id), assigneeId: byId(agent.id), output: 'raw' });
		expect(raw.items[0].json).toEqual(setup.sim.conversationData(conversation.id));
		expect(raw.items[0].json).toMatchObject({ owner_id: agent.id, owner_type: 'agent' });
		const simple = await setup.run({ operation: 'assign', conversationId: byId(conversation.id), assigneeId: byId(''), output: 'simplified' });
		expect(simple.items[0].json).toMatchObject({ id: conversation.id, assigneeId: null });
		const renamed = await setup.run({
			operation: 'update',
			conversationId: byId(conversation.id),
			updateFields: { name: 'Renamed' },
			output: 'simplified',
		});
		expect(renamed.items[0].json).toMatchObject({ id: conversation.id, title: 'Renamed' });
		expect(Object.keys(renamed.items[0].json).length).toBeLessThanOrEqual(10);
	});

	it('reports VoIPbin’s refusal of an agent it does not know', async () => {
		const conversation = setup.sim.addConversation();
		const { status, error } = await setup.run({
			operation: 'assign',
			conversationId: byId(conversation.id),
			assigneeId: byId('7c4d2f3a-1b8e-4f5c-9a6d-3e2f1a0b4c5d'),
		});
		expect(status).toBe('error');
		expect(error!.message).toMatch(/^VoIPbin rejected the request \(HTTP 400\)/);
		expect(error!.description).toMatch(/AGENT_NOT_FOUND/);
	});
});

describe('VoIPbin conversation → Reply', () => {
	it('posts text with the empty medias the spec requires, and emits the sent message', async () => {
		const conversation = setup.sim.addConversation({ type: 'message' });
		const { items } = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Your order shipped today.' });
		expectValid('message', items[0].json);
		expect(items[0].json).toMatchObject({
			vendor: 'voipbin',
			conversationId: conversation.id,
			direction: 'outbound',
			authorRole: 'agent',
			text: 'Your order shipped today.',
			isPrivate: false,
			attributes: { status: 'progressing' },
		});
		const post = setup.sim.requests.find((r) => r.method === 'POST')!;
		expect(post.body).toEqual({ text: 'Your order shipped today.', medias: [] });
		expect(setup.sim.state.messages.get(conversation.id)!.map((m) => m.text)).toEqual(['Your order shipped today.']);
	});

	it('gives the sent message raw and simplified', async () => {
		const conversation = setup.sim.addConversation({ type: 'line', timeForm: 'legacy' });
		const raw = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Hi', output: 'raw' });
		expect(raw.items[0].json).toMatchObject({ direction: 'outgoing', status: 'done', text: 'Hi', medias: [] });
		const simple = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Hi again', output: 'simplified' });
		expect(Object.keys(simple.items[0].json).length).toBeLessThanOrEqual(10);
		expect(simple.items[0].json).toMatchObject({ direction: 'outbound', text: 'Hi again' });
	});

	it('makes VoIPbin send a signed conversation_message_created delivery for the reply, direction outgoing', async () => {
		const receiver = await startReceiver();
		try {
			Object.assign(setup.sim.state.customer, { webhook_uri: receiver.url, webhook_method: 'POST' });
			const conversation = setup.sim.addConversation();
			const { items } = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Loop?' });
			await setup.sim.flushDeliveries();
			expect(receiver.received).toHaveLength(1);
			const [delivery] = receiver.received;
			const body = JSON.parse(delivery.rawBody) as { type: string; data: IDataObject };
			expect(body.type).toBe('conversation_message_created');
			expect(body.data).toMatchObject({ id: items[0].json.id, direction: 'outgoing', text: 'Loop?' });
			const expected = createHmac('sha256', setup.sim.state.customer.webhook_secret).update(delivery.rawBody).digest('hex');
			expect(delivery.headers['x-voipbin-signature']).toBe(`sha256=${expected}`);
		} finally {
			await receiver.close();
		}
	});
});

describe('VoIPbin message → Get Many', () => {
	function conversationWithThread() {
		const conversation = setup.sim.addConversation({ type: 'message' });
		setup.sim.addMessage(conversation.id, { direction: 'incoming', text: 'Where is my order?' });
		setup.sim.addMessage(conversation.id, { direction: 'outgoing', text: 'On its way.' });
		setup.sim.addMessage(conversation.id, {
			direction: 'incoming',
			text: 'Thanks, here is a photo.',
			medias: [{ id: '5f4e3d2c-1b0a-4987-8654-3210fedcba98', customer_id: conversation.customer_id, type: 'image', filename: 'box.jpg' }],
		});
		return conversation;
	}

	it('lists the thread newest first, contact messages inbound and sent ones outbound', async () => {
		const conversation = conversationWithThread();
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true });
		for (const item of items) expectValid('message', item.json);
		expect(items.map((item) => [item.json.direction, item.json.authorRole, item.json.text])).toEqual([
			['inbound', 'contact', 'Thanks, here is a photo.'],
			['outbound', 'agent', 'On its way.'],
			['inbound', 'contact', 'Where is my order?'],
		]);
		expect(items[0].json.attachments).toEqual([{ url: null, name: 'box.jpg', mimeType: null }]);
		expect(items[0].json.author).toEqual({ id: conversation.peer.target, name: conversation.peer.target_name, email: null });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	it('keeps the latest messages under a limit, and gives raw and simplified messages', async () => {
		const conversation = conversationWithThread();
		const limited = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), limit: 1, output: 'raw' });
		expect(limited.items.map((item) => item.json.text)).toEqual(['Thanks, here is a photo.']);
		expect(limited.items[0].json.medias).toHaveLength(1);
		expect(setup.sim.requests.map((r) => r.query.page_size)).toEqual(['1']);
		const simple = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true, output: 'simplified' });
		expect(simple.items.map((item) => item.json.attachmentCount)).toEqual([1, 0, 0]);
	});
});

describe('VoIPbin pickers and credential', () => {
	it('lists conversations page by page and filters them by name or number', async () => {
		for (let i = 0; i < 120; i++) setup.sim.addConversation({ name: `Bulk ${i}` });
		const first = await setup.n8n.listSearch('voipbin', {}, 'searchConversations');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toMatch(/^\d{4}-/);
		const second = await setup.n8n.listSearch('voipbin', {}, 'searchConversations', undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(listedConversations(setup.sim).length - 100);
		const third = await setup.n8n.listSearch('voipbin', {}, 'searchConversations', undefined, second.paginationToken as string);
		expect(third).toEqual({ results: [], paginationToken: undefined });
		// The filter applies to each page as the editor loads it: the newest 100 hold Bulk 20 to Bulk 119.
		const filtered = await setup.n8n.listSearch('voipbin', {}, 'searchConversations', 'bulk 11');
		const expected = Array.from({ length: 10 }, (_, i) => `Bulk ${119 - i} (unassigned)`);
		expect(filtered.results.map((r) => r.name)).toEqual(expected);
		expect(filtered.paginationToken).toMatch(/^\d{4}-/);
	});

	it('lists agents for the assignee picker', async () => {
		const { results } = await setup.n8n.listSearch('voipbin', {}, 'searchAgents', 'priya');
		const priya = agents().find((agent) => agent.name === 'Priya Natarajan')!;
		expect(results).toEqual([{ name: 'Priya Natarajan (busy)', value: priya.id }]);
	});

	it('tests the credential with GET /customer, sending the key as the accesskey cookie', async () => {
		const { statusCode, body } = await setup.n8n.testCredential('voipbinApi');
		expect(statusCode).toBe(200);
		expect(body).toMatchObject({ id: setup.sim.state.customer.id });
		const [request] = setup.sim.requests;
		expect(request.path).toBe('/customer');
		expect(request.headers.cookie).toBe(`accesskey=${setup.sim.accessKey}`);
		expect(request.headers.authorization).toBeUndefined();
		expect(request.query).toEqual({});
	});
});

describe('VoIPbin OpenAPI', () => {
	it('saw only requests the OpenAPI documents, in every test of this file', () => {
		expectOnlyDocumentedRequests(setup.sim);
	});
});
