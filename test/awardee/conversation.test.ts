import { ExecuteContext } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import type { AwardeeSetup } from '../helpers/awardee';
import { byId, conversationsNewestFirst, startAwardee } from '../helpers/awardee';
import { expectValid } from '../helpers/schema';

let setup: AwardeeSetup;

beforeAll(async () => {
	setup = await startAwardee({ seed: 5 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function firstConversation() {
	return conversationsNewestFirst(setup.sim)[0];
}

describe('Awardee conversation → Get', () => {
	it('returns the normalized conversation with its tags, valid against the schema', async () => {
		const conversation = firstConversation();
		const tagNames = (setup.sim.state.conversationTags.get(conversation.id) ?? []).map(
			(id) => setup.sim.state.tags.get(id)!.name,
		);
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
		expect(status).toBe('success');
		expect(items).toHaveLength(1);
		const json = items[0].json;
		expectValid('conversation', json);
		expect(json).toMatchObject({ vendor: 'awardee', id: conversation.id, globalId: `awardee:${conversation.id}` });
		expect((json.tags as IDataObject[]).map((tag) => tag.name).sort()).toEqual(tagNames.sort());
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('maps every Awardee status onto the common scale', async () => {
		const expected: Record<string, [string, string | null, string | null]> = {
			bot_active: ['open', null, 'bot'],
			agent_requested: ['pending', null, 'human'],
			open: ['open', null, 'human'],
			resolved: ['resolved', null, 'human'],
			closed: ['closed', 'ended', null],
			archived: ['closed', 'archived', null],
		};
		for (const [vendorStatus, [status, closedReason, handledBy]] of Object.entries(expected)) {
			const conversation = setup.sim.addConversation({ status: vendorStatus as never });
			const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
			expectValid('conversation', items[0].json);
			expect(items[0].json).toMatchObject({ status, closedReason, handledBy, vendorStatus });
		}
	});

	it('gives the simplified output at most ten flat fields with the id', async () => {
		const conversation = firstConversation();
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'simplified' });
		const json = items[0].json;
		expect(Object.keys(json).length).toBeLessThanOrEqual(10);
		expect(json.id).toBe(conversation.id);
		for (const value of Object.values(json)) expect(typeof value === 'object' && value !== null).toBe(false);
	});

	it('gives the raw output exactly as Awardee sent it', async () => {
		const conversation = firstConversation();
		const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id), output: 'raw' });
		expect(items[0].json).toMatchObject({ object: 'conversation', id: conversation.id, status: conversation.status });
		expect(items[0].json.created_at).toBe(conversation.created_at);
	});
});

describe('Awardee conversation → Get Many', () => {
	it('returns every conversation exactly once over several pages', async () => {
		for (let i = 0; i < 250; i++) setup.sim.addConversation();
		const total = setup.sim.state.conversations.size;
		const { items } = await setup.run({ operation: 'getAll', returnAll: true });
		const ids = items.map((item) => item.json.id);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		expect(ids).toEqual(conversationsNewestFirst(setup.sim).map((conversation) => conversation.id));
		const pages = setup.sim.requests.filter((r) => r.method === 'GET' && r.path === '/conversations');
		expect(pages.length).toBeGreaterThanOrEqual(3);
		for (const item of items) expectValid('conversation', item.json);
	});

	it('asks n8n for its node (a deep copy each time) a fixed number of times, not once a page', async () => {
		for (let i = 0; i < 500; i++) setup.sim.addConversation();
		const getNode = jest.spyOn(ExecuteContext.prototype, 'getNode');
		try {
			const { items } = await setup.run({ operation: 'getAll', returnAll: true });
			expect(items).toHaveLength(setup.sim.state.conversations.size);
			const pages = setup.sim.requests.filter((r) => r.method === 'GET' && r.path === '/conversations');
			expect(pages.length).toBeGreaterThanOrEqual(6);
			expect(getNode.mock.calls.length).toBeLessThan(pages.length);
		} finally {
			getNode.mockRestore();
		}
	});

	it('stops paging once the limit is reached', async () => {
		for (let i = 0; i < 250; i++) setup.sim.addConversation();
		const { items } = await setup.run({ operation: 'getAll', returnAll: false, limit: 7 });
		expect(items).toHaveLength(7);
		const pages = setup.sim.requests.filter((r) => r.path === '/conversations');
		expect(pages).toHaveLength(1);
		expect(pages[0].query.limit).toBe('7');
		expect(items.map((i) => i.json.id)).toEqual(conversationsNewestFirst(setup.sim).slice(0, 7).map((c) => c.id));
	});

	it('sends the filters in Awardee’s own words', async () => {
		const { items } = await setup.run({
			operation: 'getAll',
			returnAll: true,
			filters: { status: ['open', 'agent_requested'], priority: ['high'] },
		});
		const query = setup.sim.requests.find((r) => r.path === '/conversations')!.query;
		expect(query).toMatchObject({ status: 'open,agent_requested', priority: 'high' });
		for (const item of items) {
			expect(['open', 'agent_requested']).toContain(item.json.vendorStatus);
			expect(item.json.priority).toBe('high');
		}
	});
});

describe('Awardee conversation → Update, Assign, Close', () => {
	it('updates status and contact fields and emits the conversation after the change', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		const { items } = await setup.run({
			operation: 'update',
			conversationId: byId(conversation.id),
			updateFields: { status: 'resolved', contact_email: 'ada@example.com', priority: 'high' },
		});
		expectValid('conversation', items[0].json);
		expect(items[0].json).toMatchObject({ status: 'resolved', priority: 'high', contact: { email: 'ada@example.com' } });
		expect(setup.sim.state.conversations.get(conversation.id)).toMatchObject({
			status: 'resolved',
			contact_email: 'ada@example.com',
		});
		const patch = setup.sim.requests.find((r) => r.method === 'PATCH')!;
		expect(patch.body).toEqual({ status: 'resolved', contact_email: 'ada@example.com', priority: 'high' });
	});

	it('assigns to a team member and unassigns with an empty assignee', async () => {
		const conversation = setup.sim.addConversation({ assigned_to: null });
		const member = setup.sim.state.members[0];
		const assigned = await setup.run({
			operation: 'assign',
			conversationId: byId(conversation.id),
			assigneeId: byId(member.user_id),
		});
		expect(assigned.items[0].json.assignee).toEqual({ type: 'user', id: member.user_id, name: null });
		const unassigned = await setup.run({
			operation: 'assign',
			conversationId: byId(conversation.id),
			assigneeId: byId(''),
		});
		expect(unassigned.items[0].json.assignee).toBeNull();
		expect(setup.sim.state.conversations.get(conversation.id)!.assigned_to).toBeNull();
	});

	it('closes a conversation', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		const { items } = await setup.run({ operation: 'close', conversationId: byId(conversation.id) });
		expect(items[0].json).toMatchObject({ status: 'closed', closedReason: 'ended', vendorStatus: 'closed' });
		expect(items[0].json.closedAt).toMatch(/Z$/);
	});
});

describe('Awardee conversation → Reply', () => {
	it('posts an agent reply, taking over a conversation waiting for a human', async () => {
		const conversation = setup.sim.addConversation({ status: 'agent_requested' });
		const { items } = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Hi, I am Sam.' });
		expectValid('message', items[0].json);
		expect(items[0].json).toMatchObject({
			conversationId: conversation.id,
			direction: 'outbound',
			authorRole: 'agent',
			text: 'Hi, I am Sam.',
		});
		expect(setup.sim.state.conversations.get(conversation.id)!.status).toBe('open');
		const post = setup.sim.requests.find((r) => r.method === 'POST')!;
		expect(post.headers['idempotency-key']).toMatch(/.+/);
	});

	it('reports Awardee’s refusal for a conversation the bot still handles', async () => {
		const conversation = setup.sim.addConversation({ status: 'bot_active' });
		const { status, error } = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Hello' });
		expect(status).toBe('error');
		expect(error!.message).toMatch(/Awardee rejected the request \(HTTP 400\)/);
		expect(error!.description).toMatch(/invalid_state/);
	});
});

describe('Awardee conversation → tags', () => {
	function tagIdsOf(conversationId: string) {
		return [...(setup.sim.state.conversationTags.get(conversationId) ?? [])].sort();
	}

	it('adds tags by name, case-insensitively, keeping the ones already there', async () => {
		const vip = setup.sim.addTag('VIP-Gold');
		const billing = setup.sim.addTag('Billing-2');
		const refund = setup.sim.addTag('Refund-2');
		const conversation = setup.sim.addConversation();
		setup.sim.state.conversationTags.set(conversation.id, [vip.id]);
		const { items } = await setup.run({
			operation: 'addTags',
			conversationId: byId(conversation.id),
			tags: 'billing-2, REFUND-2',
		});
		expect(tagIdsOf(conversation.id)).toEqual([vip.id, billing.id, refund.id].sort());
		expect(items[0].json).toMatchObject({ conversationId: conversation.id });
		expect((items[0].json.added as IDataObject[]).map((t) => t.name).sort()).toEqual(['Billing-2', 'Refund-2']);
		expect(items[0].json.removed).toEqual([]);
		expect((items[0].json.tags as IDataObject[])).toHaveLength(3);
	});

	it('removes only the named tags', async () => {
		const a = setup.sim.addTag('alpha');
		const b = setup.sim.addTag('beta');
		const c = setup.sim.addTag('gamma');
		const conversation = setup.sim.addConversation();
		setup.sim.state.conversationTags.set(conversation.id, [a.id, b.id, c.id]);
		const { items } = await setup.run({ operation: 'removeTags', conversationId: byId(conversation.id), tags: [b.id] });
		expect(tagIdsOf(conversation.id)).toEqual([a.id, c.id].sort());
		expect(items[0].json.removed).toEqual([{ id: b.id, name: 'beta' }]);
	});

	it('sets the whole set, and treats a no-op as success without writing', async () => {
		const a = setup.sim.addTag('alpha');
		const b = setup.sim.addTag('beta');
		const conversation = setup.sim.addConversation();
		setup.sim.state.conversationTags.set(conversation.id, [a.id]);
		await setup.run({ operation: 'setTags', conversationId: byId(conversation.id), tags: ['beta'] });
		expect(tagIdsOf(conversation.id)).toEqual([b.id]);
		const writesBefore = setup.sim.requests.filter((r) => r.method === 'PUT').length;
		const { status, items } = await setup.run({ operation: 'setTags', conversationId: byId(conversation.id), tags: ['BETA'] });
		expect(status).toBe('success');
		expect(items[0].json).toMatchObject({ added: [], removed: [] });
		expect(setup.sim.requests.filter((r) => r.method === 'PUT').length).toBe(writesBefore);
	});

	it('names an unknown tag and changes nothing', async () => {
		const conversation = setup.sim.addConversation();
		const before = tagIdsOf(conversation.id);
		const { status, error } = await setup.run({
			operation: 'addTags',
			conversationId: byId(conversation.id),
			tags: 'no-such-tag',
		});
		expect(status).toBe('error');
		expect(error!.message).toBe('[item 0] Unknown tag "no-such-tag"');
		expect(tagIdsOf(conversation.id)).toEqual(before);
		expect(setup.sim.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
	});
});
