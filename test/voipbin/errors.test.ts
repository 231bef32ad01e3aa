jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithRecordedSleep());

import type { IDataObject } from 'n8n-workflow';

import { recordedSleeps } from '../helpers/clock';
import type { VoipbinSetup } from '../helpers/voipbin';
import { byId, expectOnlyDocumentedRequests, listedConversations, startVoipbin } from '../helpers/voipbin';
import { errorEnvelope } from '../simulators/voipbin';

let setup: VoipbinSetup;

beforeAll(async () => {
	setup = await startVoipbin({ seed: 3 });
});
beforeEach(() => {
	setup.sim.reset();
	recordedSleeps.length = 0;
});
afterAll(async () => await setup.sim.close());

function someConversationId(): string {
	return listedConversations(setup.sim)[0].id;
}

const UNKNOWN_ID = '6b0d6f0e-2f57-4f42-9c55-0d1d3c2e4a10';

/** The retry waits the transport asked for: the account's pace (at most 60 ms a turn at 16.7/s) is not one. */
const retryWaits = () => recordedSleeps.filter((ms) => ms >= 100);

describe('VoIPbin rate limit and retries', () => {
	it('waits for Retry-After after a 429 and then succeeds', async () => {
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations/:id',
			status: 429,
			retryAfter: 1,
			body: errorEnvelope(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests.', 'req_1', [{ limited_by: 'customer' }]),
		});
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(someConversationId()) });
		expect(status).toBe('success');
		expect(items[0].json.id).toBe(someConversationId());
		expect(retryWaits()).toEqual([1000]);
		expect(setup.sim.requests.map((r) => r.status)).toEqual([429, 200]);
	});

	it('fails at once when Retry-After is longer than the wait budget, naming the wait', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations', status: 429, retryAfter: 120, times: 10 });
		const { status, error } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(status).toBe('error');
		expect(error!.message).toBe('VoIPbin asked to wait 120 s before retrying, longer than the 60 s left to wait');
		expect(setup.sim.requests.map((r) => r.status)).toEqual([429]);
		expect(retryWaits()).toEqual([]);
	});

	it('spends the account’s burst on the pages and items of one run without a wait, never meeting a 429', async () => {
		// The simulator's bucket is VoIPbin's: 16.7 a second, burst 33. Eight requests fit in what the package keeps of it.
		const paced = await startVoipbin({ seed: 0 });
		try {
			for (let i = 0; i < 250; i++) paced.sim.addConversation();
			// Two items, each listing 100 + 100 + 50 and the empty page: eight requests.
			const { status, items } = await paced.run({ operation: 'getAll', returnAll: true, output: 'simplified' }, [{}, {}]);
			expect(status).toBe('success');
			expect(items).toHaveLength(500);
			expect(paced.sim.requests.map((r) => r.status)).toEqual(Array(8).fill(200));
			expect(recordedSleeps).toEqual([]);
			expectOnlyDocumentedRequests(paced.sim);
		} finally {
			await paced.sim.close();
		}
	});

	it('shares one bucket between two runs at once with the same credential, never meeting a 429', async () => {
		// 50 requests together: more than the burst of 33, so two buckets, one per run, would run into the limit.
		const paced = await startVoipbin({ seed: 3 });
		try {
			const ids = listedConversations(paced.sim).map((conversation) => conversation.id);
			const items = Array.from({ length: 25 }, (_, index) => ({ id: ids[index % ids.length] }));
			const parameters = { operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };
			const runs = await Promise.all([paced.run(parameters, items), paced.run(parameters, items)]);
			for (const run of runs) {
				expect(run.status).toBe('success');
				expect(run.items).toHaveLength(25);
			}
			expect(paced.sim.requests.map((r) => r.status)).toEqual(Array(50).fill(200));
			// The pace waited (the bucket ran empty), each wait within one refill of 1/16.7 s.
			expect(recordedSleeps.length).toBeGreaterThan(0);
			expect(Math.max(...recordedSleeps)).toBeLessThanOrEqual(Math.ceil(1000 / 16.7));
		} finally {
			await paced.sim.close();
		}
	});

	it('retries 503 on reads within the retry limit, then reports the failure', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 503, retryAfter: 0, times: 10 });
		const { status, error } = await setup.run({
			operation: 'get',
			conversationId: byId(someConversationId()),
			requestOptions: { maxRetries: 2 },
		});
		expect(status).toBe('error');
		expect(error!.message).toMatch(/^VoIPbin failed to process the request \(HTTP 503\)/);
		expect(setup.sim.requests).toHaveLength(3);
	});

	it('never sends a reply twice when the connection drops after VoIPbin stored it, and says so', async () => {
		const conversationId = someConversationId();
		const before = setup.sim.state.messages.get(conversationId)!.length;
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', afterCommit: true, destroySocket: true });
		const { status, error } = await setup.run({ operation: 'reply', conversationId: byId(conversationId), text: 'Only once' });
		expect(status).toBe('error');
		expect(error!.message).toBe('VoIPbin did not confirm the reply');
		expect(error!.description).toMatch(/the reply was not sent again: it may or may not have gone out/);
		expect(error!.description).toMatch(/POST .*\/messages failed/);
		expect(setup.sim.state.messages.get(conversationId)!.filter((m) => m.text === 'Only once')).toHaveLength(1);
		expect(setup.sim.state.messages.get(conversationId)!.length).toBe(before + 1);
		expect(setup.sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([0]);
	});

	it('never repeats a reply VoIPbin answered with 503 or 429', async () => {
		const conversationId = someConversationId();
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', status: 503, retryAfter: 0 });
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', status: 429, retryAfter: 0 });
		const first = await setup.run({ operation: 'reply', conversationId: byId(conversationId), text: 'Hi' });
		const second = await setup.run({ operation: 'reply', conversationId: byId(conversationId), text: 'Hi' });
		expect(first.error!.message).toMatch(/\(HTTP 503\)/);
		expect(second.error!.message).toMatch(/^VoIPbin is rate limiting requests \(HTTP 429\)/);
		expect(setup.sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([503, 429]);
	});

	it('explains a body that is not JSON instead of passing garbage on', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', malformed: true });
		const { error } = await setup.run({ operation: 'get', conversationId: byId(someConversationId()) });
		expect(error!.message).toBe('VoIPbin answered with a body that is not valid JSON');
	});
});

describe('VoIPbin errors', () => {
	it('names the conversation that was not found, with VoIPbin’s reason and request id', async () => {
		const { status, error } = await setup.run({ operation: 'get', conversationId: byId(UNKNOWN_ID) });
		expect(status).toBe('error');
		expect(error!.message).toBe(`Conversation ${UNKNOWN_ID} was not found (HTTP 404): The conversation was not found.`);
		expect(error!.description).toMatch(/CONVERSATION_NOT_FOUND; request id req_[0-9A-F]+/);
		const messages = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(UNKNOWN_ID), returnAll: true });
		expect(messages.error!.message).toMatch(new RegExp(`^Conversation ${UNKNOWN_ID} was not found`));
	});

	it('says which credential to check on a 401, never showing the key, in the URL or anywhere else', async () => {
		const wrongKey = 'vb_wrongWrongWrong0123456789abcdef';
		const other = await startVoipbin({ seed: 1 }, { accessKey: wrongKey });
		try {
			const { error } = await other.run({ operation: 'getAll', returnAll: true });
			expect(error!.message).toMatch(/^VoIPbin refused the credentials \(HTTP 401\)/);
			expect(error!.description).toMatch(/Check the "VoIPbin API" credential/);
			expect(error!.description).toMatch(/INVALID_CREDENTIALS/);
			expect(error!.description).toContain(`Request: GET ${other.sim.baseUrl}/conversations`);
			const everything = JSON.stringify(error, Object.getOwnPropertyNames(error));
			expect(everything).not.toContain(wrongKey);
			expect(everything).not.toContain('accesskey');
			const [request] = other.sim.requests;
			expect(request.query.accesskey).toBeUndefined();
			expect(request.headers.authorization).toBeUndefined();
			expect(request.headers.cookie).toBe(`accesskey=${wrongKey}`);
		} finally {
			await other.sim.close();
		}
	});

	it('redacts the access key wherever a vendor message repeats it, plain or URL-encoded', async () => {
		const key = setup.sim.accessKey;
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations',
			status: 400,
			body: errorEnvelope(400, 'INVALID_REQUEST_PARAMETER', `bad key ${key} in /conversations?accesskey=${encodeURIComponent(`${key}+`)}`, 'req_x'),
		});
		const { error } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(error!.message).toContain('[redacted]');
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(key);
		expect(error!.description).toContain('request id req_x');
	});
});

describe('VoIPbin input checks, before any request', () => {
	it('refuses an ID that is not a UUID, naming the item', async () => {
		const { status, error } = await setup.run({ operation: 'get', conversationId: byId('={{ "12345" }}') });
		expect(status).toBe('error');
		expect(error!.message).toBe('[item 0] Conversation ID "12345" is not a VoIPbin ID');
		expect(error!.description).toMatch(/enter its UUID/);
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('refuses an empty reply, an empty update, a bad assignee and a bad owner filter', async () => {
		const id = byId(someConversationId());
		const cases: Array<[IDataObject, string]> = [
			[{ operation: 'reply', conversationId: id, text: '   ' }, '[item 0] The reply is empty'],
			[{ operation: 'update', conversationId: id, updateFields: {} }, '[item 0] No field to update'],
			[{ operation: 'assign', conversationId: id, assigneeId: byId('={{ "sam" }}') }, '[item 0] Assignee ID "sam" is not a VoIPbin ID'],
			[{ operation: 'getAll', filters: { owner_id: 'sam' } }, '[item 0] Owner ID "sam" is not a VoIPbin ID'],
			[{ resource: 'message', operation: 'getAll', conversationId: byId('={{ "" }}') }, '[item 0] Conversation ID is empty'],
		];
		for (const [parameters, message] of cases) {
			const { error } = await setup.run(parameters);
			expect(error!.message).toBe(message);
		}
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail yields an error item per failed item and loses none', async () => {
		const good = someConversationId();
		const { status, items } = await setup.run(
			{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			[{ id: good }, { id: 'not-an-id' }, { id: UNKNOWN_ID }, { id: good }],
			{ continueOnFail: true },
		);
		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.id).toBe(good);
		expect(items[1].json).toMatchObject({ error: '[item 1] Conversation ID "not-an-id" is not a VoIPbin ID', itemIndex: 1 });
		expect(items[2].json).toMatchObject({ httpCode: '404', itemIndex: 2 });
		expect(items[2].json.error).toMatch(new RegExp(`^Conversation ${UNKNOWN_ID} was not found \\(HTTP 404\\)`));
		expect(items[3].json.id).toBe(good);
		expect(setup.sim.requests).toHaveLength(3);
	});
});

describe('VoIPbin OpenAPI', () => {
	it('saw only requests the OpenAPI documents, in every test of this file', () => {
		expectOnlyDocumentedRequests(setup.sim);
	});
});
