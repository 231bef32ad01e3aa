jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithVirtualSleep());

import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../helpers/clock';
import type { VoipbinSetup } from '../helpers/voipbin';
import { byId, expectOnlyDocumentedRequests, listedConversations, startVoipbin } from '../helpers/voipbin';
import type { NodeRun } from '../harness/n8n';
import { errorEnvelope } from '../simulators/voipbin';
import { countListing, leaksIn, newTally, readmeRow } from './tally';

/**
 * VoIPbin under faults and bad input, through the node's real execute path against the simulator. Every
 * case counts into the tally that the README's Reliability table shows; the last tests check the table and
 * that every request the suite sent is one VoIPbin's OpenAPI documents.
 */
let setup: VoipbinSetup;
const tally = newTally();
const clock = useVirtualClock();

beforeAll(async () => {
	setup = await startVoipbin({ seed: 3 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function someConversationId(): string {
	return listedConversations(setup.sim)[0].id;
}

/** The access key as it travels (the `accesskey` cookie) and URL-encoded, as an echoed URL would carry it. */
function secretsOf(key: string): string[] {
	return [key, encodeURIComponent(key)];
}

/** A run's outcome counted: leaks always; lost and duplicated where the vendor's list is known. */
function record(run: NodeRun, expectedIds?: string[], secrets = secretsOf(setup.sim.accessKey)): NodeRun {
	tally.leaked += leaksIn(run, secrets);
	if (expectedIds) {
		const { lost, duplicated } = countListing(expectedIds, run.items.map((item) => String(item.json.id)));
		tally.lost += lost;
		tally.duplicated += duplicated;
	}
	return run;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Scripts `GET /conversations`: each page token (null: the first page) answers its page, as often as asked. */
function scriptPages(pages: Array<[token: string | null, ids: string[], next: string]>): void {
	for (const [token, ids, next] of pages) {
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations',
			query: { page_token: token },
			status: 200,
			body: { result: ids.map((id) => ({ id, type: 'message', name: `Conversation ${id}` })), next_page_token: next },
			times: 50,
		});
	}
	tally.faults += 1;
}

const listAll = { operation: 'getAll', returnAll: true, output: 'raw' };

describe('VoIPbin paging under faults', () => {
	it('ends a page-token cycle (A → B → A) with an error naming VoIPbin and the token, emitting no duplicate', async () => {
		scriptPages([
			[null, [uuid(1), uuid(2)], 'A'],
			['A', [uuid(3)], 'B'],
			['B', [uuid(4)], 'A'],
		]);
		const run = record(await setup.run(listAll));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('VoIPbin sent the page token "A" a second time (page 4)');
		expect(run.error!.description).toMatch(/^Paging stopped after 4 items so that none is listed twice/);
		expect(setup.sim.requests.filter((r) => r.path === '/conversations')).toHaveLength(3);
	});

	it('emits each conversation once when pages overlap', async () => {
		scriptPages([
			[null, [uuid(1), uuid(2), uuid(3)], 'A'],
			['A', [uuid(3), uuid(4)], 'B'],
			['B', [uuid(4), uuid(5)], 'C'],
			['C', [], 'D'],
		]);
		const expected = [1, 2, 3, 4, 5].map(uuid);
		const run = record(await setup.run(listAll), expected);
		expect(run.status).toBe('success');
		expect(run.items.map((item) => item.json.id)).toEqual(expected);
	});

	it('ends at the first empty page even when it carries a token, as VoIPbin documents, without an error', async () => {
		scriptPages([
			[null, [uuid(1), uuid(2)], 'A'],
			['A', [], 'B'],
			['B', [uuid(3)], ''],
		]);
		const run = record(await setup.run(listAll), [uuid(1), uuid(2)]);
		expect(run.status).toBe('success');
		expect(run.items.map((item) => item.json.id)).toEqual([uuid(1), uuid(2)]);
		expect(setup.sim.requests.map((r) => r.query.page_token)).toEqual([undefined, 'A']);
	});

	it('with a limit above the page size returns that many in total, paged, none twice', async () => {
		for (let i = 0; i < 250; i++) setup.sim.addConversation();
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getAll', returnAll: false, limit: 150, output: 'raw' }));
		const ids = run.items.map((item) => String(item.json.id));
		expect(ids).toHaveLength(150);
		tally.duplicated += ids.length - new Set(ids).size;
		expect(ids).toEqual(listedConversations(setup.sim).slice(0, 150).map((conversation) => conversation.id));
		expect(setup.sim.requests.map((r) => r.query.page_size)).toEqual(['100', '50']);
	});

	it('lists every conversation of a long list once when Return All is on', async () => {
		for (let i = 0; i < 230; i++) setup.sim.addConversation();
		tally.faults += 1;
		const expected = listedConversations(setup.sim).map((conversation) => conversation.id);
		const run = record(await setup.run(listAll), expected);
		expect(run.items.map((item) => item.json.id)).toEqual(expected);
	});
});

describe('VoIPbin answers that are not what it documents', () => {
	it('fails clearly on a page whose result is not a list, rather than end the listing as if it were empty', async () => {
		for (const result of ['abc', { id: uuid(1) }, null]) {
			setup.sim.reset();
			scriptPages([[null, [uuid(1)], 'A']]);
			setup.sim.injectFault({ method: 'GET', path: '/conversations', query: { page_token: 'A' }, status: 200, body: { result, next_page_token: 'B' } });
			const run = record(await setup.run(listAll));
			expect(run.status).toBe('error');
			expect(run.error!.message).toBe('VoIPbin answered a page whose result is not a list');
			expect(run.error!.description).toMatch(/^Paging stopped rather than end the list incomplete without a word/);
		}
	});

	it('fails clearly on a conversation without a usable id, listed or fetched, instead of emitting it with an empty id', async () => {
		const listed: unknown[][] = [[{ id: uuid(1) }, null], [{ id: uuid(1) }, 'x'], [{ id: uuid(1) }, { name: 'no id' }], [{ id: '' }]];
		for (const result of listed) {
			setup.sim.reset();
			setup.sim.injectFault({ method: 'GET', path: '/conversations', query: { page_token: null }, status: 200, body: { result, next_page_token: '' } });
			tally.faults += 1;
			const run = record(await setup.run({ operation: 'getAll', returnAll: true }));
			expect(run.status).toBe('error');
			expect(run.error!.message).toBe('VoIPbin sent a conversation without a usable id');
		}
		for (const body of [[1], {}, { id: { value: uuid(1) } }]) {
			setup.sim.reset();
			setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 200, body });
			tally.faults += 1;
			const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
			expect(run.status).toBe('error');
			expect(run.error!.message).toBe('VoIPbin sent a conversation without a usable id');
		}
	});

	it('takes a message’s conversation from the path it was listed under when the message does not name it', async () => {
		const conversationId = someConversationId();
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id/messages', status: 200, body: { result: [{ id: uuid(7), text: 'hi', direction: 'incoming' }], next_page_token: 'A' } });
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id/messages', status: 200, body: { result: [], next_page_token: '' } });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversationId), returnAll: true, output: 'normalized' }));
		expect(run.status).toBe('success');
		expect(run.items.map((item) => [item.json.id, item.json.conversationId])).toEqual([[uuid(7), conversationId]]);
	});
	it('reads a conversation type that names a JavaScript built-in (toString, constructor) as an other channel', async () => {
		const types = ['toString', 'constructor', '__proto__', 'valueOf'];
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations',
			query: { page_token: null },
			status: 200,
			body: { result: types.map((type, i) => ({ id: uuid(20 + i), type })), next_page_token: '' },
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getAll', returnAll: true, output: 'normalized' }));
		expect(run.status).toBe('success');
		expect(run.items.map((item) => item.json.channel)).toEqual(['other', 'other', 'other', 'other']);
	});

	it('lists a message whose medias hold something other than objects, with those attachments unnamed', async () => {
		const conversationId = someConversationId();
		const message = { id: uuid(8), conversation_id: conversationId, text: 'see attached', direction: 'incoming', medias: [null, 'x', { filename: 'a.png' }] };
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id/messages', status: 200, body: { result: [message], next_page_token: '' } });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversationId), returnAll: true, output: 'normalized' }));
		expect(run.status).toBe('success');
		expect((run.items[0].json.attachments as IDataObject[]).map((attachment) => attachment.name)).toEqual([null, null, 'a.png']);
	});
});

describe('VoIPbin redaction', () => {
	it('redacts the access key echoed in every field of an error: reason, message, request id, details, headers', async () => {
		const key = setup.sim.accessKey;
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations/:id',
			status: 400,
			headers: { 'X-Request-Id': `req_${key}` },
			body: errorEnvelope(400, `BAD_KEY_${key}`, `The key ${key} is wrong`, `req_${key}`, [{ accesskey: key, nested: [{ key }] }]),
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.status).toBe('error');
		expect(leaksIn(run, [key])).toBe(0);
		expect(run.error!.message).toBe('VoIPbin rejected the request (HTTP 400): The key [redacted] is wrong');
		expect((run.error as unknown as { errorResponse: IDataObject }).errorResponse).toMatchObject({
			code: 'BAD_KEY_[redacted]',
			requestId: 'req_[redacted]',
		});
	});

	it('redacts a key with URL-special characters, plain and URL-encoded in an echoed URL, in errors and output', async () => {
		const key = 'vb_sim+Key/With+Plus9Xp4Rt6Wz8Nc3';
		const special = await startVoipbin({ seed: 2, accessKey: key });
		try {
			const conversation = listedConversations(special.sim)[0];
			const url = `${special.sim.baseUrl}/conversations/${conversation.id}?accesskey=${encodeURIComponent(key)}`;
			special.sim.injectFault({
				method: 'GET',
				path: '/conversations/:id',
				status: 502,
				headers: { 'X-Request-Id': encodeURIComponent(key), Location: url },
				body: errorEnvelope(502, 'UPSTREAM_ERROR', `GET ${url} failed for ${key}`, `req_${encodeURIComponent(key)}`, [{ url }]),
			});
			special.sim.state.conversations.get(conversation.id)!.detail = `Opened from ${url}`;
			tally.faults += 1;
			const run = record(
				await special.run(
					{ operation: 'get', conversationId: byId(conversation.id), output: 'raw', requestOptions: { maxRetries: 0 } },
					[{}, {}],
					{ continueOnFail: true },
				),
				undefined,
				secretsOf(key),
			);
			expect(run.items).toHaveLength(2);
			expect(leaksIn(run, secretsOf(key))).toBe(0);
			expect(String(run.items[0].json.error)).toMatch(/HTTP 502/);
			expect(run.items[1].json.detail).toBe(`Opened from ${special.sim.baseUrl}/conversations/${conversation.id}?accesskey=[redacted]`);
			expect(special.sim.requests[0].headers.cookie).toBe(`accesskey=${key}`);
			expectOnlyDocumentedRequests(special.sim);
		} finally {
			await special.sim.close();
		}
	});
});

describe('VoIPbin retries and answers under faults', () => {
	it('retries a GET whose answer is cut off mid-body (ERR_BAD_RESPONSE, stream aborted)', async () => {
		const id = someConversationId();
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 200, body: { id, pad: 'x'.repeat(4000) }, resetMidBody: true });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(id) }));
		expect(run.status).toBe('success');
		expect(run.items[0].json.id).toBe(id);
		expect(setup.sim.requests.map((r) => r.status)).toEqual([0, 200]);
	});

	it('never repeats a reply whose answer is cut off mid-body after VoIPbin stored it, and says so', async () => {
		const conversationId = someConversationId();
		const before = setup.sim.state.messages.get(conversationId)!.length;
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', afterCommit: true, status: 200, body: { pad: 'x'.repeat(4000) }, resetMidBody: true });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'reply', conversationId: byId(conversationId), text: 'Exactly once' }));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('VoIPbin did not confirm the reply');
		expect(run.error!.description).toMatch(/the reply was not sent again: it may or may not have gone out/);
		const replies = setup.sim.state.messages.get(conversationId)!.filter((m) => m.text === 'Exactly once');
		expect(replies).toHaveLength(1);
		tally.duplicated += replies.length - 1;
		expect(setup.sim.state.messages.get(conversationId)!.length).toBe(before + 1);
		expect(setup.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it('reports an error answer that is not JSON with its HTTP status and the vendor’s text', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 500, headers: { 'Content-Type': 'text/plain' }, rawBody: 'upstream timed out' });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('VoIPbin failed to process the request (HTTP 500): upstream timed out');
		expect(run.error!.httpCode).toBe('500');
	});

	it('ends one request within the 90 s Max Request Time by default, saying which limit was hit', async () => {
		const started = clock.now();
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', destroySocket: true, during: () => clock.advance(29_000), times: 10 });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.status).toBe('error');
		expect(clock.now() - started).toBeLessThan(91_000);
		expect(run.error!.description).toMatch(/would pass Max Request Time \(90 s, all attempts and waits included\)/);
	});

	it('fails at once when a Retry-After would pass the Max Request Time, naming that limit', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 503, retryAfter: 120, times: 10 });
		tally.faults += 1;
		const started = clock.now();
		const run = record(
			await setup.run({ operation: 'get', conversationId: byId(someConversationId()), requestOptions: { maxRetryWaitSeconds: 600 } }),
		);
		expect(run.error!.message).toMatch(/^VoIPbin asked to wait 120 s before retrying, longer than the \d+ s left to wait$/);
		expect(run.error!.description).toMatch(/raise Max Request Time/);
		expect(clock.now() - started).toBeLessThan(91_000);
		expect(setup.sim.requests).toHaveLength(1);
	});
});

describe('VoIPbin bad input', () => {
	/** Runs one item per bad value with Continue On Fail: each must be refused, naming its item, before any request. */
	async function expectRefused(parameters: IDataObject, values: unknown[], message: RegExp) {
		const run = record(await setup.run(parameters, values.map((v) => ({ v }) as IDataObject), { continueOnFail: true }));
		expect(run.items).toHaveLength(values.length);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(String(item.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] `));
			expect(String(item.json.error)).toMatch(message);
		});
		expect(setup.sim.requests).toHaveLength(0);
		tally.badInputs += values.length;
	}

	it('refuses a limit that is not a whole number of at least 1', async () => {
		await expectRefused(
			{ operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' },
			[-1, 0, 2.5, 'abc', true, [5], { n: 5 }, ''],
			/Limit must be a whole number from 1 to 1,000,000, not /,
		);
	});

	it('refuses IDs that are lists (even of one ID), objects, booleans or numbers', async () => {
		const id = someConversationId();
		const byExpression = { __rl: true, mode: 'id', value: '={{ $json.v }}' };
		await expectRefused({ operation: 'get', conversationId: byExpression }, [[id], { id }, true, 42, [id, id]], /Conversation ID must be text, not (a list|an object|the boolean true|42)/);
		await expectRefused(
			{ resource: 'message', operation: 'getAll', conversationId: byExpression, returnAll: true },
			[[id], { id }, false, 7],
			/Conversation ID must be text, not /,
		);
		await expectRefused(
			{ operation: 'assign', conversationId: byId(id), assigneeId: byExpression },
			[[id], { id }, true, 42],
			/Assignee ID must be text, not /,
		);
	});

	it('refuses IDs that are text but not a VoIPbin UUID', async () => {
		await expectRefused(
			{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.v }}' } },
			['not-a-uuid', '../agents', 'a7bc12b7-f95c-43e6-82a1-38f4b7ff9b3'],
			/Conversation ID ".+" is not a VoIPbin ID/,
		);
		await expectRefused(
			{ operation: 'getAll', returnAll: true, filters: { owner_id: '={{ $json.v }}' } },
			[[someConversationId()], { id: 1 }, true, 'sam@example.com'],
			/Filters → Owner ID must be text, not |Owner ID ".+" is not a VoIPbin ID/,
		);
	});

	it('refuses update fields and reply texts of the wrong type', async () => {
		await expectRefused(
			{ operation: 'update', conversationId: byId(someConversationId()), updateFields: { name: '={{ $json.v }}' } },
			[{ t: 'x' }, ['x'], false],
			/Update Fields → Name must be text, not /,
		);
		await expectRefused(
			{ operation: 'update', conversationId: byId(someConversationId()), updateFields: { detail: '={{ $json.v }}' } },
			[{ d: 'x' }, ['x'], true],
			/Update Fields → Detail must be text, not /,
		);
		await expectRefused(
			{ operation: 'reply', conversationId: byId(someConversationId()), text: '={{ $json.v }}' },
			[{ t: 'hi' }, ['hi'], true],
			/Text must be text, not /,
		);
		await expectRefused({ operation: 'reply', conversationId: byId(someConversationId()), text: '={{ $json.v }}' }, ['', '   '], /The reply is empty/);
	});
});

describe('VoIPbin reliability figures', () => {
	it('are the ones the README shows, with nothing lost, duplicated or leaked', () => {
		expect(tally).toMatchObject({ lost: 0, duplicated: 0, leaked: 0 });
		expect(readmeRow('VoIPbin')).toEqual(tally);
	});

	it('come from requests VoIPbin’s OpenAPI documents, every one of them', () => {
		expectOnlyDocumentedRequests(setup.sim);
	});
});
