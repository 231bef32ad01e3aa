jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithRecordedSleep());

import { recordedSleeps } from '../helpers/clock';
import type { AwardeeSetup } from '../helpers/awardee';
import { byId, startAwardee } from '../helpers/awardee';

let setup: AwardeeSetup;

beforeAll(async () => {
	setup = await startAwardee({ seed: 3 });
});
beforeEach(() => {
	setup.sim.reset();
	recordedSleeps.length = 0;
});
afterAll(async () => await setup.sim.close());

function someConversationId(): string {
	return [...setup.sim.state.conversations.keys()][0];
}

describe('Awardee retries', () => {
	it('waits for Retry-After after a 429 and then succeeds', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 429, retryAfter: 1, body: { error: 'rate_limited', message: 'Rate limit exceeded.', request_id: 'req_1' } });
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(someConversationId()), options: { includeTags: false } });
		expect(status).toBe('success');
		expect(items[0].json.id).toBe(someConversationId());
		expect(recordedSleeps).toEqual([1000]);
		expect(setup.sim.requests.filter((r) => r.path.startsWith('/conversations/'))).toHaveLength(2);
	});

	it('fails at once when Retry-After is longer than the wait budget, naming the wait', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 429, retryAfter: 120, times: 10 });
		const { status, error } = await setup.run({ operation: 'get', conversationId: byId(someConversationId()) });
		expect(status).toBe('error');
		expect(error!.message).toBe('Awardee asked to wait 120 s before retrying, longer than the 60 s left to wait');
		expect(setup.sim.requests.filter((r) => r.path.startsWith('/conversations/'))).toHaveLength(1);
		expect(recordedSleeps).toEqual([]);
	});

	it('retries 502/503/504 on reads within the retry limit, then reports the failure', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 503, retryAfter: 0, times: 10 });
		const { status, error } = await setup.run({
			operation: 'get',
			conversationId: byId(someConversationId()),
			requestOptions: { maxRetries: 2 },
		});
		expect(status).toBe('error');
		expect(error!.message).toMatch(/^Awardee failed to process the request \(HTTP 503\)/);
		expect(setup.sim.requests.filter((r) => r.path.startsWith('/conversations/'))).toHaveLength(3);
	});

	it('retries an answer that does not come within the timeout', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', delayMs: 1500 });
		const { status } = await setup.run({
			operation: 'get',
			conversationId: byId(someConversationId()),
			options: { includeTags: false },
			requestOptions: { timeoutSeconds: 1 },
		});
		expect(status).toBe('success');
	});

	it('never posts a reply twice, even when the first attempt failed after Awardee stored it', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		const before = setup.sim.state.messages.get(conversation.id)?.length ?? 0;
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', status: 503, retryAfter: 0, afterCommit: true });
		const { status, items } = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Only once' });
		expect(status).toBe('success');
		const replies = setup.sim.state.messages.get(conversation.id)!.filter((m) => m.role === 'assistant' && m.parts[0]?.text === 'Only once');
		expect(replies).toHaveLength(1);
		expect(setup.sim.state.messages.get(conversation.id)!.length).toBe(before + 1);
		expect(items[0].json.id).toBe(replies[0].id);
		const posts = setup.sim.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['idempotency-key']).toBe(posts[1].headers['idempotency-key']);
	});

	it('never posts a note twice when the connection drops after Awardee stored it', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/notes', afterCommit: true, destroySocket: true });
		const { status, items } = await setup.run({ resource: 'note', operation: 'create', conversationId: byId(conversation.id), content: 'Stored once' });
		expect(status).toBe('success');
		expect(setup.sim.state.notes.get(conversation.id)!.filter((n) => n.content === 'Stored once')).toHaveLength(1);
		expect(items[0].json.text).toBe('Stored once');
		expect(setup.sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([0, 201]);
	});

	it('sends the user’s own idempotency key, so a re-run of the workflow does not reply again', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		const parameters = { operation: 'reply', conversationId: byId(conversation.id), text: 'Once per ticket', options: { idempotencyKey: 'ticket-42' } };
		await setup.run(parameters);
		await setup.run(parameters);
		const replies = setup.sim.state.messages.get(conversation.id)!.filter((m) => m.parts[0]?.text === 'Once per ticket');
		expect(replies).toHaveLength(1);
	});
});

describe('Awardee errors', () => {
	it('refuses an ID that is not a UUID before any request, naming the item', async () => {
		// A literal bad ID is already stopped by the editor's validation; one from an expression reaches the node.
		const { status, error } = await setup.run({ operation: 'get', conversationId: byId('={{ "12345" }}') }, [{}]);
		expect(status).toBe('error');
		expect(error!.message).toBe('[item 0] Conversation ID "12345" is not an Awardee ID');
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('refuses an empty reply before any request', async () => {
		const { error } = await setup.run({ operation: 'reply', conversationId: byId(someConversationId()), text: '   ' });
		expect(error!.message).toBe('[item 0] The reply is empty');
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail yields an error item per failed item and loses none', async () => {
		const good = someConversationId();
		const { status, items } = await setup.run(
			{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, options: { includeTags: false } },
			[{ id: good }, { id: 'not-an-id' }, { id: '00000000-0000-4000-8000-000000000000' }, { id: good }],
			{ continueOnFail: true },
		);
		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.id).toBe(good);
		expect(items[1].json.error).toBe('[item 1] Conversation ID "not-an-id" is not an Awardee ID');
		expect(items[2].json.error).toMatch(/^Conversation 00000000-0000-4000-8000-000000000000 was not found \(HTTP 404\)/);
		expect(items[3].json.id).toBe(good);
	});

	it('says which credential to check on a 401, without showing the key', async () => {
		const wrongKey = 'aw_live_ffffffffffffffffffffffffffffffff';
		const other = await startAwardee({ seed: 1 }, { apiKey: wrongKey });
		try {
			const { error } = await other.run({ operation: 'getAll', returnAll: true });
			expect(error!.message).toMatch(/^Awardee refused the credentials \(HTTP 401\)/);
			expect(error!.description).toMatch(/Check the "Awardee API" credential/);
			expect(error!.description).toMatch(/invalid_api_key/);
			expect(JSON.stringify({ message: error!.message, description: error!.description })).not.toContain(wrongKey);
		} finally {
			await other.sim.close();
		}
	});

	it('redacts the API key wherever a vendor message repeats it', async () => {
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations',
			status: 400,
			body: { error: 'invalid_query', message: `bad key ${setup.sim.apiKey} in request`, request_id: 'req_x' },
		});
		const { error } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(error!.message).toContain('[redacted]');
		expect(`${error!.message} ${error!.description}`).not.toContain(setup.sim.apiKey);
		expect(error!.description).toContain('request id req_x');
	});

	it('explains a body that is not JSON instead of passing garbage on', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', malformed: true });
		const { error } = await setup.run({ operation: 'get', conversationId: byId(someConversationId()) });
		expect(error!.message).toBe('Awardee answered with a body that is not valid JSON');
	});
});
