import type { IDataObject } from 'n8n-workflow';

import type { AwardeeSetup } from '../helpers/awardee';
import { byId, startAwardee } from '../helpers/awardee';
import { expectValid } from '../helpers/schema';

let setup: AwardeeSetup;

beforeAll(async () => {
	setup = await startAwardee({ seed: 4 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function conversationWithMessages() {
	return [...setup.sim.state.conversations.values()].find((c) => (setup.sim.state.messages.get(c.id)?.length ?? 0) >= 2)!;
}

describe('Awardee message → Get Many', () => {
	it('returns the thread oldest first, each message normalized and valid', async () => {
		const conversation = conversationWithMessages();
		const stored = setup.sim.state.messages.get(conversation.id)!;
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true });
		expect(items.map((i) => i.json.id)).toEqual(stored.map((m) => m.id));
		for (const item of items) expectValid('message', item.json);
		const byRole = Object.fromEntries(stored.map((m, i) => [m.role, items[i].json]));
		if (byRole.user) expect(byRole.user).toMatchObject({ direction: 'inbound', authorRole: 'contact' });
		if (byRole.system) expect(byRole.system).toMatchObject({ direction: 'internal', authorRole: 'system' });
	});

	it('tells bot replies from replies posted through the API', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		setup.sim.addMessage(conversation.id, { role: 'assistant', text: 'I am the bot' } as never);
		await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'I am Sam' });
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true });
		const bot = items.find((i) => i.json.text === 'I am the bot')!.json;
		const agent = items.find((i) => i.json.text === 'I am Sam')!.json;
		expect(bot).toMatchObject({ direction: 'outbound', authorRole: 'bot' });
		expect(agent).toMatchObject({ direction: 'outbound', authorRole: 'agent' });
	});

	it('honours the limit and the simplified output', async () => {
		const conversation = conversationWithMessages();
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), limit: 1, output: 'simplified' });
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).length).toBeLessThanOrEqual(10);
		expect(items[0].json.id).toBeDefined();
	});
});

describe('Awardee note', () => {
	it('creates an internal note and lists it back as a private internal message', async () => {
		const conversation = conversationWithMessages();
		const created = await setup.run({ resource: 'note', operation: 'create', conversationId: byId(conversation.id), content: 'VIP, call back' });
		expectValid('message', created.items[0].json);
		expect(created.items[0].json).toMatchObject({ direction: 'internal', isPrivate: true, authorRole: 'agent', text: 'VIP, call back' });
		const listed = await setup.run({ resource: 'note', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true });
		expect(listed.items.map((i) => i.json.text)).toContain('VIP, call back');
		expect(setup.sim.requests.find((r) => r.method === 'POST')!.headers['idempotency-key']).toBeTruthy();
	});

	it('refuses an empty note before any request', async () => {
		const { error } = await setup.run({ resource: 'note', operation: 'create', conversationId: byId(conversationWithMessages().id), content: '={{ $json.missing ?? "" }}' });
		expect(error!.message).toBe('[item 0] The note is empty');
		expect(setup.sim.requests).toHaveLength(0);
	});
});

describe('Awardee tag palette', () => {
	it('creates, lists and deletes tags; deleting removes the tag from conversations', async () => {
		const created = await setup.run({ resource: 'tag', operation: 'create', name: 'Escalated', options: { color: '#FF0000' } });
		const tag = created.items[0].json;
		expect(tag).toMatchObject({ name: 'Escalated', color: '#FF0000' });
		const conversation = [...setup.sim.state.conversations.values()][0];
		await setup.run({ operation: 'addTags', conversationId: byId(conversation.id), tags: ['escalated'] });
		expect(setup.sim.state.conversationTags.get(conversation.id)).toContain(tag.id);

		const listed = await setup.run({ resource: 'tag', operation: 'getAll', returnAll: true });
		expect(listed.items.map((i) => i.json.name)).toContain('Escalated');

		const deleted = await setup.run({ resource: 'tag', operation: 'delete', tagId: byId(tag.id as string) });
		expect(deleted.items[0].json).toEqual({ id: tag.id, deleted: true });
		expect(setup.sim.state.conversationTags.get(conversation.id) ?? []).not.toContain(tag.id);
	});

	it('pages through a palette larger than one page', async () => {
		for (let i = 0; i < 130; i++) setup.sim.addTag(`bulk-${String(i).padStart(3, '0')}`);
		const { items } = await setup.run({ resource: 'tag', operation: 'getAll', returnAll: true });
		expect(items.length).toBe(setup.sim.state.tags.size);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(items.length);
	});

	it('reports a duplicate name as Awardee’s conflict', async () => {
		setup.sim.addTag('Dup');
		const { error } = await setup.run({ resource: 'tag', operation: 'create', name: 'dup' });
		expect(error!.message).toMatch(/^Awardee reported a conflict \(HTTP 409\)/);
	});
});

describe('Awardee pickers and credential', () => {
	it('lists conversations for the From list picker, filtered by text', async () => {
		const conversation = setup.sim.addConversation({ contact_name: 'Zelda Quux' });
		const all = await setup.n8n.listSearch('awardee', {}, 'searchConversations');
		expect(all.results.map((r) => r.value)).toContain(conversation.id);
		const filtered = await setup.n8n.listSearch('awardee', {}, 'searchConversations', 'zelda');
		expect(filtered.results).toEqual([expect.objectContaining({ value: conversation.id })]);
	});

	it('lists team members by user id and palette tags by name', async () => {
		const members = await setup.n8n.listSearch('awardee', {}, 'searchMembers');
		expect(members.results.map((r) => r.value)).toEqual(setup.sim.state.members.map((m) => m.user_id));
		const tags = await setup.n8n.loadOptions('awardee', {}, 'getTags');
		const names = tags.map((t) => t.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(tags.map((t) => t.value).sort()).toEqual([...setup.sim.state.tags.keys()].sort());
	});

	it('tests the credential with GET /me', async () => {
		const { statusCode, body } = await setup.n8n.testCredential('awardeeApi');
		expect(statusCode).toBe(200);
		expect((body as IDataObject).object).toBe('me');
		expect(setup.sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/me' });
		expect(setup.sim.requests.at(-1)!.headers.authorization).toBe(`Bearer ${setup.sim.apiKey}`);
	});
});
