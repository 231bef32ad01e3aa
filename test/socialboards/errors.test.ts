jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithRecordedSleep());

import type { IDataObject } from 'n8n-workflow';

import { recordedSleeps } from '../helpers/clock';
import type { SocialBoardsSetup } from '../helpers/socialboards';
import { byId, startSocialBoards, teammateId, ticketByTitle } from '../helpers/socialboards';
import { ERROR_CODES } from '../simulators/socialboards';

let setup: SocialBoardsSetup;

beforeAll(async () => {
	setup = await startSocialBoards();
});
beforeEach(() => {
	setup.reset();
	recordedSleeps.length = 0;
});
afterAll(async () => await setup.sim.close());

function chatId(): number {
	return ticketByTitle(setup.sim, 'Delivery question').id;
}

describe('SocialBoards bad input', () => {
	// Mapped by expressions: n8n's editor checks the static values itself.
	const mapped = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
	it.each([
		['text that is not a number', mapped, 'abc', '[item 0] Conversation ID "abc" is not a whole number'],
		['zero', mapped, '0', '[item 0] Conversation ID "0" is not a whole number'],
		['a negative number', '={{ $json.id }}', -5, '[item 0] Conversation ID must be a whole number or text, not -5'],
		['a fraction', '={{ $json.id }}', 2.5, '[item 0] Conversation ID must be a whole number or text, not 2.5'],
		['a list of one id', '={{ $json.id }}', [2555100], '[item 0] Conversation ID must be a whole number or text, not a list ([2555100])'],
		['empty', mapped, '', '[item 0] Conversation ID is empty'],
		[
			'a link that is not an inbox link',
			{ __rl: true, mode: 'url', value: '={{ $json.id }}' },
			'https://example.com/tickets/5',
			'[item 0] Conversation URL "https://example.com/tickets/5" is not a SocialBoards inbox link',
		],
	])('refuses %s as a conversation id before any request', async (_what, conversationId, id, message) => {
		const { status, error } = await setup.run({ operation: 'get', conversationId }, [{ id }]);
		expect(status).toBe('error');
		expect(error!.message).toBe(message);
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('accepts an id given as a number by an expression', async () => {
		const { status, items } = await setup.run({ operation: 'getTakeover', conversationId: chatId() });
		expect(status).toBe('success');
		expect(items[0].json.conversationId).toBe(String(chatId()));
	});

	it('refuses a teammate id that is not a UUID, an empty reply and a missing teammate, before any request', async () => {
		const cases: Array<[IDataObject, string]> = [
			[{ operation: 'assign', conversationId: byId(chatId()), assigneeId: '={{ "ola" }}' }, '[item 0] Assignee ID "ola" is not a SocialBoards teammate ID'],
			[{ operation: 'reply', conversationId: byId(chatId()), replyAs: 'bot', text: '  ' }, '[item 0] The reply is empty'],
			[{ operation: 'reply', conversationId: byId(chatId()), replyAs: 'teammate', authorId: '={{ "" }}', text: 'Hi' }, '[item 0] No teammate to reply as'],
			[{ operation: 'update', conversationId: byId(chatId()), updateFields: {} }, '[item 0] No field to update'],
			[{ operation: 'addTags', conversationId: byId(chatId()), tags: '={{ [] }}' }, '[item 0] No tag given'],
		];
		for (const [parameters, message] of cases) {
			const { error } = await setup.run(parameters);
			expect(error!.message).toBe(message);
		}
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail, pairs each refused and each failed item with its input and goes on', async () => {
		const good = chatId();
		const { status, items } = await setup.run(
			{ operation: 'getTakeover', conversationId: '={{ $json.id }}' },
			[{ id: good }, { id: 'x' }, { id: 4711 }, { id: good }],
			{ continueOnFail: true },
		);
		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(items[0].json.handledBy).toBe('bot');
		expect(items[1].json).toMatchObject({ error: '[item 1] Conversation ID "x" is not a whole number', itemIndex: 1 });
		expect(items[2].json).toMatchObject({ error: expect.stringMatching(/^Conversation 4711 was not found \(HTTP 404\)/), httpCode: '404', itemIndex: 2 });
		expect(items[3].json.handledBy).toBe('bot');
	});
});

describe('SocialBoards error answers', () => {
	it('names the conversation SocialBoards did not find', async () => {
		const { error } = await setup.run({ operation: 'get', conversationId: byId(4711) });
		expect(error!.message).toBe('Conversation 4711 was not found (HTTP 404): Ticket 4711 was not found.');
		expect(error!.description).toMatch(/code 2/);
	});

	it('takes a 2xx whose errorCode is not -1 for a failure (A3), naming the code and the vendor’s text', async () => {
		setup.sim.injectEnvelopeError({ method: 'GET', path: /\/takeover$/i, errorCode: 42, errorText: 'Conversation is archived' });
		const { status, error } = await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) });
		expect(status).toBe('error');
		expect(error!.message).toBe('SocialBoards refused the request (error code 42: Conversation is archived)');
		expect(error!.description).toMatch(/HTTP 200/);
	});

	it('takes a 2xx envelope error inside a listing for a failure too, emitting no half list', async () => {
		setup.sim.injectEnvelopeError({ method: 'POST', path: '/tickets/list', errorCode: 99 });
		const { status, items, error } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(status).toBe('error');
		expect(items).toEqual([]);
		expect(error!.message).toMatch(/^SocialBoards refused the request \(error code 99/);
	});

	it('reports the envelope failures of a server that answers validation errors with HTTP 200', async () => {
		const lenient = await startSocialBoards({ errorsInside2xx: true });
		try {
			const { error } = await lenient.run({ operation: 'get', conversationId: byId(4711) });
			expect(error!.message).toBe(`SocialBoards refused the request (error code ${ERROR_CODES.notFound}: Ticket 4711 was not found.)`);
		} finally {
			await lenient.sim.close();
		}
	});

	it('fails clearly on an answer without the envelope', async () => {
		setup.sim.injectFault({ method: 'GET', path: /\/takeover$/i, status: 200, body: { isAssignedToBot: true } });
		const { error } = await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) });
		expect(error!.message).toBe('SocialBoards answered without its {data, errorCode, errorText} envelope');
	});

	it('says that a chat is needed when messages of an email ticket are asked for', async () => {
		const email = ticketByTitle(setup.sim, 'Invoice address change');
		const { error } = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(email.id), returnAll: true });
		expect(error!.message).toBe(`Conversation ${email.id} was not found (HTTP 404): Conversation ${email.id} was not found.`);
	});

	it('reports a stale assignee (A11: 409) as a conflict', async () => {
		const ticket = ticketByTitle(setup.sim, 'Chat API Client Problems');
		const other = teammateId(setup.sim, 'Jonas Dahl');
		// Someone reassigns the ticket between the read and the write.
		setup.sim.injectFault({
			method: 'GET',
			path: '/tickets/:id',
			during: () => {
				setup.sim.state.tickets.get(ticket.id)!.lockedById = teammateId(setup.sim, 'Ingrid Berg');
			},
			afterCommit: true,
			status: 200,
			body: { data: setup.sim.renderTicket(ticket), errorCode: -1, errorText: null },
		});
		const { error } = await setup.run({ operation: 'assign', conversationId: byId(ticket.id), assigneeId: byId(other) });
		expect(error!.message).toMatch(/^SocialBoards reported a conflict \(HTTP 409\): The ticket is assigned to someone else now/);
	});
});

describe('SocialBoards retries (A18)', () => {
	it('waits for Retry-After after a 429 and then succeeds', async () => {
		setup.sim.injectFault({ method: 'GET', path: /\/takeover$/i, status: 429, retryAfter: 1, body: { data: null, errorCode: 6, errorText: 'Slow down' } });
		const { status } = await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) });
		expect(status).toBe('success');
		expect(recordedSleeps).toEqual([1000]);
		expect(setup.sim.apiRequests.map((r) => r.status)).toEqual([429, 200]);
	});

	it('keeps within the simulator’s rate limit by honouring its Retry-After over a long listing', async () => {
		// The simulator's clock moves only by the waits the transport asked for: a busy machine's slowness
		// between requests must not make the limit pass unnoticed.
		const startedMs = Date.now();
		const waitedMs = () => recordedSleeps.reduce((sum, ms) => sum + ms, 0);
		const limited = await startSocialBoards({ rateLimit: { requests: 2, perSeconds: 1 }, now: () => new Date(startedMs + waitedMs()) });
		try {
			for (let i = 0; i < 100; i++) limited.sim.addTicket();
			const { status, items } = await limited.run({ operation: 'getAll', returnAll: true, output: 'simplified' });
			expect(status).toBe('success');
			expect(items).toHaveLength(limited.sim.state.tickets.size);
			expect(limited.sim.requests.some((r) => r.status === 429)).toBe(true);
		} finally {
			await limited.sim.close();
		}
	});

	it('repeats the ticket listing (a read sent as POST) after a dropped connection', async () => {
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', destroySocket: true });
		const { status, items } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(status).toBe('success');
		expect(items).toHaveLength(setup.sim.state.tickets.size);
	});

	it('never posts a reply twice when the connection drops after SocialBoards stored it, and says so', async () => {
		const before = setup.sim.messagesOf(chatId()).length;
		setup.sim.injectFault({ method: 'POST', path: /\/messages$/i, afterCommit: true, destroySocket: true });
		const { status, error } = await setup.run({ operation: 'reply', conversationId: byId(chatId()), replyAs: 'bot', text: 'Once only' });
		expect(status).toBe('error');
		expect(error!.message).toBe('SocialBoards did not confirm the reply');
		expect(error!.description).toMatch(/^SocialBoards has no idempotency key, so the reply was not sent again/);
		expect(setup.sim.messagesOf(chatId())).toHaveLength(before + 1);
		expect(setup.sim.apiRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it('does not repeat a reply refused with 503', async () => {
		setup.sim.injectFault({ method: 'POST', path: /\/messages$/i, status: 503, retryAfter: 0 });
		const { error } = await setup.run({ operation: 'reply', conversationId: byId(chatId()), replyAs: 'bot', text: 'Once only' });
		expect(error!.message).toMatch(/^SocialBoards failed to process the request \(HTTP 503\)/);
		expect(setup.sim.apiRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});
});
