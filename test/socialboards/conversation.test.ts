import type { IDataObject } from 'n8n-workflow';

import type { SocialBoardsSetup } from '../helpers/socialboards';
import { byId, byUrl, chatTickets, startSocialBoards, teammateId, ticketByTitle } from '../helpers/socialboards';
import { expectValid } from '../helpers/schema';

let setup: SocialBoardsSetup;

beforeAll(async () => {
	setup = await startSocialBoards();
});
beforeEach(() => setup.reset());
afterAll(async () => await setup.sim.close());

const MODES = ['normalized', 'simplified', 'raw'] as const;

function apiTrail(): string[] {
	return setup.sim.apiRequests.map((r) => `${r.method} ${r.path}`);
}

describe('SocialBoards conversation → Get', () => {
	it('merges the ticket (status, tags, assignee) and the chat (takeover, count) into one normalized conversation', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(ticket.id) });
		expect(status).toBe('success');
		const conversation = items[0].json;
		expectValid('conversation', conversation);
		expect(conversation).toMatchObject({
			vendor: 'socialboards',
			id: String(ticket.id),
			globalId: `socialboards:${ticket.id}`,
			status: 'open',
			vendorStatus: 'open',
			handledBy: 'human',
			channel: 'web_chat',
			title: 'Chat API Client Problems',
			preview: 'Hi, my order has not arrived yet',
			contact: { name: 'Kari Nordmann', email: 'kari.nordmann@example.no', phone: null },
			assignee: { type: 'agent', id: teammateId(setup.sim, 'Ola Agent'), name: 'Ola Agent' },
			tags: [{ id: String(ticket.tagIds[0]), name: 'vip' }],
			messageCount: 4,
			webUrl: null,
		});
		expect(apiTrail()).toEqual([`GET /tickets/${ticket.id}`, `GET /chat/conversations/${ticket.id}`]);
	});

	it('gives every time in UTC with milliseconds, whatever offset and fraction width SocialBoards used', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const { items } = await setup.run({ operation: 'get', conversationId: byId(ticket.id), options: { includeMessages: true } });
		const conversation = items[0].json as IDataObject;
		expect(conversation.createdAt).toBe(new Date(ticket.created.ms).toISOString());
		expect(conversation.lastMessageAt).toBe(new Date(ticket.lastThreadElement.ms).toISOString());
		const messages = (conversation.attributes as IDataObject).messages as IDataObject[];
		// Message times are printed at +00:00 with 2 to 7 fraction digits (2 + id % 6); 2 digits keep tens of ms.
		const expected = [...setup.sim.messagesOf(ticket.id)].reverse().map((m) => {
			const digits = 2 + (m.id % 6);
			return new Date(digits >= 3 ? m.created.ms : m.created.ms - (m.created.ms % 10)).toISOString();
		});
		expect(messages.map((m) => m.createdAt)).toEqual(expected);
		for (const message of messages) expectValid('message', message);
	});

	it('includes the latest messages, newest first, when asked, each a valid Message', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const { items } = await setup.run({ operation: 'get', conversationId: byId(ticket.id), options: { includeMessages: true } });
		const messages = ((items[0].json.attributes as IDataObject).messages as IDataObject[]).map((m) => [m.authorRole, m.direction, m.text]);
		expect(messages).toEqual([
			['contact', 'inbound', 'Thanks, got it.'],
			['agent', 'outbound', 'Your parcel left our warehouse yesterday; tracking number sent by email.'],
			['bot', 'outbound', 'Let me find a colleague for you.'],
			['contact', 'inbound', 'Hi, my order has not arrived yet'],
		]);
		expect(setup.sim.apiRequests[1].query).toEqual({ includeMessages: 'true' });
	});

	it('reads an email ticket, which the Chat API does not know, from the Ticket API alone', async () => {
		const ticket = ticketByTitle(setup.sim, 'Invoice address change');
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(ticket.id) });
		expect(status).toBe('success');
		expectValid('conversation', items[0].json);
		expect(items[0].json).toMatchObject({ id: String(ticket.id), channel: 'email', messageCount: null });
		expect(setup.sim.apiRequests.map((r) => r.status)).toEqual([200, 404]);
		const raw = await setup.run({ operation: 'get', conversationId: byId(ticket.id), output: 'raw' });
		expect(raw.items[0].json).toMatchObject({ ticket: { id: ticket.id, source: 'email' }, conversation: null });
	});

	it.each(MODES)('answers in %s output', async (output) => {
		const ticket = ticketByTitle(setup.sim, 'Refund for a damaged item');
		const { items } = await setup.run({ operation: 'get', conversationId: byId(ticket.id), output });
		const json = items[0].json;
		if (output === 'normalized') expectValid('conversation', json);
		if (output === 'simplified') {
			expect(Object.keys(json).length).toBeLessThanOrEqual(10);
			expect(json).toMatchObject({ id: String(ticket.id), status: 'pending', contactName: 'Sofie Lind' });
		}
		if (output === 'raw') {
			expect((json.ticket as IDataObject).id).toBe(ticket.id);
			expect((json.conversation as IDataObject).isTakeoverEnabled).toBe(true);
		}
	});

	it('takes the conversation from an inbox link (By URL)', async () => {
		const ticket = ticketByTitle(setup.sim, 'Opening hours');
		const { items } = await setup.run({ operation: 'get', conversationId: byUrl(setup.sim.inboxLink(ticket.id)) });
		expect(items[0].json).toMatchObject({ id: String(ticket.id), status: 'resolved', vendorStatus: 'completed', handledBy: 'bot' });
	});
});

describe('SocialBoards conversation → Get Many', () => {
	it('lists every ticket through POST /tickets/list, pages of at most 50 in the body, with an explicit order', async () => {
		for (let i = 0; i < 120; i++) setup.sim.addTicket({ title: `Extra ${i}` });
		const { status, items } = await setup.run({ operation: 'getAll', returnAll: true, output: 'simplified' });
		expect(status).toBe('success');
		expect(items).toHaveLength(setup.sim.state.tickets.size);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(items.length);
		expect(setup.sim.apiRequests.map((r) => r.body)).toEqual([
			{ orderBy: 'last_thread_activity_desc', skip: 0, take: 50 },
			{ orderBy: 'last_thread_activity_desc', skip: 50, take: 50 },
			{ orderBy: 'last_thread_activity_desc', skip: 100, take: 50 },
		]);
	});

	it('keeps to a limit and filters by status, each item a valid conversation', async () => {
		const { items } = await setup.run({ operation: 'getAll', limit: 2, filters: { status: 'open' }, orderBy: 'creation_time_asc' });
		expect(items).toHaveLength(2);
		items.forEach((item) => expectValid('conversation', item.json));
		expect(items.map((item) => item.json.title)).toEqual(['Delivery question', 'Chat API Client Problems']);
		expect(setup.sim.apiRequests[0].body).toEqual({ orderBy: 'creation_time_asc', status: 'open', skip: 0, take: 2 });
	});

	it.each(MODES)('answers in %s output', async (output) => {
		const { items } = await setup.run({ operation: 'getAll', returnAll: true, output });
		expect(items).toHaveLength(setup.sim.state.tickets.size);
		if (output === 'raw') expect(items[0].json).toHaveProperty('lastThreadElementCreationTime');
		if (output === 'simplified') expect(Object.keys(items[0].json).length).toBeLessThanOrEqual(10);
		if (output === 'normalized') items.forEach((item) => expectValid('conversation', item.json));
	});
});

describe('SocialBoards conversation → Reply', () => {
	it('posts a team message as the chosen teammate (isByTeam: true, author by id) and emits it', async () => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const agent = teammateId(setup.sim, 'Ingrid Berg');
		const { status, items } = await setup.run({
			operation: 'reply',
			conversationId: byId(ticket.id),
			replyAs: 'teammate',
			authorId: byId(agent),
			text: 'I am looking into it.',
		});
		expect(status).toBe('success');
		expectValid('message', items[0].json);
		expect(items[0].json).toMatchObject({
			conversationId: String(ticket.id),
			direction: 'outbound',
			authorRole: 'agent',
			author: { id: agent, name: 'Ingrid Berg' },
			text: 'I am looking into it.',
		});
		const post = setup.sim.apiRequests.find((r) => r.method === 'POST')!;
		expect(post.body).toEqual([{ author: { id: agent }, isByTeam: true, message: 'I am looking into it.' }]);
	});

	it.each(MODES)('posts as the bot, in %s output', async (output) => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const { items } = await setup.run({ operation: 'reply', conversationId: byId(ticket.id), replyAs: 'bot', text: 'Hello!', output });
		const json = items[0].json;
		if (output === 'normalized') expect(json).toMatchObject({ authorRole: 'bot', direction: 'outbound', text: 'Hello!' });
		if (output === 'simplified') expect(json).toMatchObject({ authorRole: 'bot', text: 'Hello!', attachmentCount: 0 });
		if (output === 'raw') expect(json).toMatchObject({ message: 'Hello!', author: { isBot: true } });
		expect(setup.sim.apiRequests.find((r) => r.method === 'POST')!.body).toEqual([
			{ author: { isBot: true }, isByTeam: true, message: 'Hello!' },
		]);
	});
});

describe('SocialBoards conversation → Assign', () => {
	it('sends the current assignee, read just before, as previousAssigneeId, and emits the conversation after', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const from = teammateId(setup.sim, 'Ola Agent');
		const to = teammateId(setup.sim, 'Jonas Dahl');
		const { status, items } = await setup.run({ operation: 'assign', conversationId: byId(ticket.id), assigneeId: byId(to) });
		expect(status).toBe('success');
		expect(items[0].json.assignee).toEqual({ type: 'agent', id: to, name: 'Jonas Dahl' });
		const patch = setup.sim.apiRequests.find((r) => r.method === 'PATCH')!;
		expect(patch.path).toBe(`/tickets/${ticket.id}/Assignee`);
		expect(patch.body).toEqual({ assigneeId: to, previousAssigneeId: from });
		expect(apiTrail()[0]).toBe(`GET /tickets/${ticket.id}`);
	});

	it('unassigns when the assignee is empty', async () => {
		const ticket = ticketByTitle(setup.sim, 'Refund for a damaged item');
		const { items } = await setup.run({ operation: 'assign', conversationId: byId(ticket.id), assigneeId: byId(''), output: 'simplified' });
		expect(items[0].json.assigneeId).toBeNull();
		expect(setup.sim.state.tickets.get(ticket.id)!.lockedById).toBeNull();
	});

	it('assigns an unassigned conversation with previousAssigneeId null', async () => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const to = teammateId(setup.sim, 'Ingrid Berg');
		const { items } = await setup.run({ operation: 'assign', conversationId: byId(ticket.id), assigneeId: byId(to), output: 'raw' });
		expect(((items[0].json.ticket as IDataObject).lockedBy as IDataObject).id).toBe(to);
		expect(setup.sim.apiRequests.find((r) => r.method === 'PATCH')!.body).toEqual({ assigneeId: to, previousAssigneeId: null });
	});
});

describe('SocialBoards conversation → Update, Close, Takeover', () => {
	it('sets the ticket status (A5) and emits the conversation after', async () => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const { items } = await setup.run({ operation: 'update', conversationId: byId(ticket.id), updateFields: { status: 'pending' } });
		expect(items[0].json).toMatchObject({ status: 'pending', vendorStatus: 'pending' });
		expect(setup.sim.apiRequests[0]).toMatchObject({ method: 'PATCH', path: `/tickets/${ticket.id}/Status`, body: { status: 'pending' } });
	});

	it.each(MODES)('closes a chat (A4), in %s output', async (output) => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const { items } = await setup.run({ operation: 'close', conversationId: byId(ticket.id), output });
		const json = items[0].json;
		if (output === 'normalized') {
			expectValid('conversation', json);
			expect(json).toMatchObject({ status: 'closed', closedReason: 'ended' });
		}
		if (output === 'simplified') expect(json.status).toBe('closed');
		if (output === 'raw') expect((json.conversation as IDataObject).isClosed).toBe(true);
		expect(setup.sim.state.tickets.get(ticket.id)!.status).toBe('closed');
		expect(setup.sim.apiRequests[0]).toMatchObject({ method: 'PATCH', path: `/chat/conversations/${ticket.id}/close` });
	});

	it.each(MODES)('reads the takeover state in %s output', async (output) => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const { items } = await setup.run({ operation: 'getTakeover', conversationId: byId(ticket.id), output });
		const expected =
			output === 'raw'
				? { isAssignedToBot: true }
				: { conversationId: String(ticket.id), handledBy: 'bot', isAssignedToBot: true };
		expect(items[0].json).toEqual(expected);
	});

	it('takes a chat over from the bot with a teammate, then hands it back', async () => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const agent = teammateId(setup.sim, 'Ingrid Berg');
		const taken = await setup.run({ operation: 'setTakeover', conversationId: byId(ticket.id), handledBy: 'human', assigneeId: byId(agent) });
		expect(taken.items[0].json).toEqual({ conversationId: String(ticket.id), handledBy: 'human', isAssignedToBot: false });
		expect(setup.sim.state.tickets.get(ticket.id)!.lockedById).toBe(agent);
		const back = await setup.run({ operation: 'setTakeover', conversationId: byId(ticket.id), handledBy: 'bot', output: 'raw' });
		expect(back.items[0].json).toEqual({ isAssignedToBot: true });
		expect(setup.sim.apiRequests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([
			{ isAssignedToBot: false, assigneeId: agent },
			{ isAssignedToBot: true },
		]);
	});
});

describe('SocialBoards conversation → tags (A7, A8)', () => {
	it('adds tags by name, ignoring case, keeping the others, in one replace-all write', async () => {
		const ticket = ticketByTitle(setup.sim, 'Refund for a damaged item');
		const { status, items } = await setup.run({ operation: 'addTags', conversationId: byId(ticket.id), tags: 'VIP, delivery' });
		expect(status).toBe('success');
		const names = (items[0].json.tags as IDataObject[]).map((tag) => tag.name);
		expect(names.sort()).toEqual(['Delivery', 'billing', 'refund', 'vip'].sort());
		expect((items[0].json.added as IDataObject[]).map((tag) => tag.name)).toEqual(['vip', 'Delivery']);
		expect(items[0].json.removed).toEqual([]);
		const put = setup.sim.apiRequests.find((r) => r.method === 'PUT')!;
		expect(put.path).toBe(`/tickets/${ticket.id}/tags`);
		expect(((put.body as IDataObject).tagIds as number[]).length).toBe(4);
	});

	it('removes only the named tag', async () => {
		const ticket = ticketByTitle(setup.sim, 'Refund for a damaged item');
		const { items } = await setup.run({ operation: 'removeTags', conversationId: byId(ticket.id), tags: ['Billing'] });
		expect((items[0].json.tags as IDataObject[]).map((tag) => tag.name)).toEqual(['refund']);
		expect((items[0].json.removed as IDataObject[]).map((tag) => tag.name)).toEqual(['billing']);
	});

	it('sets the whole set by id, and writes nothing when nothing changes', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const vip = String(ticket.tagIds[0]);
		const { items } = await setup.run({ operation: 'setTags', conversationId: byId(ticket.id), tags: [vip] });
		expect(items[0].json).toMatchObject({ added: [], removed: [] });
		expect(setup.sim.apiRequests.some((r) => r.method === 'PUT')).toBe(false);
		const cleared = await setup.run({ operation: 'setTags', conversationId: byId(ticket.id), tags: [] });
		expect(cleared.items[0].json.tags).toEqual([]);
		expect(setup.sim.state.tickets.get(ticket.id)!.tagIds).toEqual([]);
	});

	it('refuses an unknown tag name before writing anything', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const { status, error } = await setup.run({ operation: 'addTags', conversationId: byId(ticket.id), tags: 'vip, no-such-tag' });
		expect(status).toBe('error');
		expect(error!.message).toBe('[item 0] Unknown tag "no-such-tag"');
		expect(setup.sim.apiRequests.map((r) => r.method)).toEqual(['GET']);
	});
});

describe('SocialBoards message → Get Many', () => {
	it('lists a long chat newest first in pages of 100 (skip/take in the query), each a valid Message', async () => {
		const ticket = ticketByTitle(setup.sim, 'Long chat');
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(ticket.id), returnAll: true });
		expect(items).toHaveLength(105);
		items.forEach((item) => expectValid('message', item.json));
		expect(items[0].json.text).toBe('Question 53');
		expect(setup.sim.apiRequests.map((r) => r.query)).toEqual([
			{ orderBy: 'creation_time_desc', skip: '0', take: '100' },
			{ orderBy: 'creation_time_desc', skip: '100', take: '100' },
		]);
	});

	it.each(MODES)('keeps to a limit in %s output', async (output) => {
		const ticket = chatTickets(setup.sim)[1];
		const { items } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(ticket.id), limit: 3, output });
		expect(items).toHaveLength(3);
		if (output === 'raw') expect(items[0].json).toHaveProperty('lastModifiedTime');
		if (output === 'simplified') expect(items[0].json).toHaveProperty('attachmentCount', 0);
		if (output === 'normalized') expectValid('message', items[0].json);
	});
});
