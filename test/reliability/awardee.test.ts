jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithVirtualSleep());

import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../helpers/clock';
import type { AwardeeSetup } from '../helpers/awardee';
import { byId, startAwardee } from '../helpers/awardee';
import type { NodeRun } from '../harness/n8n';
import { countListing, leaksIn, newTally, readmeRow } from './tally';

/**
 * Awardee under faults and bad input, through the node's real execute path against the simulator. Every
 * case counts into the tally that the README's Reliability table shows; the last test checks the table.
 */
let setup: AwardeeSetup;
const tally = newTally();
const clock = useVirtualClock();

beforeAll(async () => {
	setup = await startAwardee({ seed: 3 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function someConversationId(): string {
	return [...setup.sim.state.conversations.keys()][0];
}

/** A run's outcome counted: leaks always; lost and duplicated where the vendor's list is known. */
function record(run: NodeRun, expectedIds?: string[]): NodeRun {
	tally.leaked += leaksIn(run, [setup.sim.apiKey]);
	if (expectedIds) {
		const emitted = run.items.map((item) => String(item.json.id));
		const { lost, duplicated } = countListing(expectedIds, emitted);
		tally.lost += lost;
		tally.duplicated += duplicated;
	}
	return run;
}

function conversationList(ids: string[], nextCursor: string | null): IDataObject {
	return {
		object: 'list',
		has_more: nextCursor !== null,
		next_cursor: nextCursor,
		data: ids.map((id) => ({ object: 'conversation', id, status: 'open', created_at: '2026-01-01T00:00:00Z' })),
	};
}

/** Scripts `GET /conversations`: each cursor (null: the first page) answers its page, as often as asked. */
function scriptPages(pages: Array<[cursor: string | null, ids: string[], next: string | null]>): void {
	for (const [cursor, ids, next] of pages) {
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations',
			query: { cursor },
			status: 200,
			body: conversationList(ids, next),
			times: 50,
		});
	}
	tally.faults += 1;
}

const listAll = { operation: 'getAll', returnAll: true, output: 'raw' };

describe('Awardee paging under faults', () => {
	it('ends a cursor cycle (A → B → A) with an error naming Awardee and the cursor, emitting no duplicate', async () => {
		scriptPages([
			[null, ['c1', 'c2'], 'A'],
			['A', ['c3'], 'B'],
			['B', ['c4'], 'A'],
		]);
		const run = record(await setup.run(listAll));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('Awardee sent the cursor "A" a second time (page 4)');
		expect(run.error!.description).toMatch(/^Paging stopped after 4 items so that none is listed twice/);
		expect(setup.sim.requests.filter((r) => r.path === '/conversations')).toHaveLength(3);
	});

	it('emits each conversation once when pages overlap', async () => {
		scriptPages([
			[null, ['c1', 'c2', 'c3'], 'A'],
			['A', ['c3', 'c4'], 'B'],
			['B', ['c4', 'c5'], null],
		]);
		const run = record(await setup.run(listAll), ['c1', 'c2', 'c3', 'c4', 'c5']);
		expect(run.items.map((item) => item.json.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
	});

	it('follows an empty page that says there is more, and loses nothing after it', async () => {
		scriptPages([
			[null, ['c1', 'c2'], 'A'],
			['A', [], 'B'],
			['B', ['c3'], null],
		]);
		const run = record(await setup.run(listAll), ['c1', 'c2', 'c3']);
		expect(run.status).toBe('success');
		expect(run.items.map((item) => item.json.id)).toEqual(['c1', 'c2', 'c3']);
	});

	it('fails clearly after three empty pages in a row that say there is more', async () => {
		scriptPages([
			[null, ['c1'], 'A'],
			['A', [], 'B'],
			['B', [], 'C'],
			['C', [], 'D'],
			['D', ['c2'], null],
		]);
		const run = record(await setup.run(listAll));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('Awardee answered 3 empty pages in a row while saying there were more');
	});

	it('with a limit above the page size returns that many in total, paged', async () => {
		const big = await startAwardee({ seed: 160 });
		try {
			const run = await big.run({ operation: 'getAll', returnAll: false, limit: 150, output: 'raw' });
			const all = [...big.sim.state.conversations.keys()];
			expect(run.items).toHaveLength(150);
			expect(new Set(run.items.map((item) => item.json.id)).size).toBe(150);
			expect(big.sim.requests.filter((r) => r.path === '/conversations').map((r) => r.query.limit)).toEqual(['100', '50']);
			tally.duplicated += run.items.length - new Set(run.items.map((item) => item.json.id)).size;
			expect(all.length).toBe(160);
		} finally {
			await big.sim.close();
		}
	});
});

describe('Awardee tag changes on long tag sets', () => {
	it('keeps every one of 120 tags when adding one more, and shows them all', async () => {
		const conversation = setup.sim.addConversation();
		const tags = Array.from({ length: 121 }, (_, i) => setup.sim.addTag(`bulk-${String(i).padStart(3, '0')}`));
		setup.sim.state.conversationTags.set(conversation.id, tags.slice(0, 120).map((tag) => tag.id));
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'addTags', conversationId: byId(conversation.id), tags: [tags[120].id] }));
		expect(run.status).toBe('success');
		const stored = setup.sim.state.conversationTags.get(conversation.id)!;
		const { lost } = countListing(tags.map((tag) => tag.id), stored);
		tally.lost += lost;
		expect(stored).toHaveLength(121);
		expect((run.items[0].json.tags as unknown[]).length).toBe(121);
		expect(run.items[0].json.added).toEqual([{ id: tags[120].id, name: 'bulk-120' }]);
	});
});

describe('Awardee redaction', () => {
	it('redacts a key the vendor echoes in every field of its error: code, message, request id, details, headers', async () => {
		const key = setup.sim.apiKey;
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations/:id',
			status: 400,
			headers: { 'X-Request-Id': key },
			body: { error: `bad_key_${key}`, message: `The key ${key} is wrong`, request_id: `req_${key}`, details: { nested: [{ key }] } },
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.status).toBe('error');
		expect(leaksIn(run, [key])).toBe(0);
		const error = run.error as unknown as { errorResponse: IDataObject };
		expect(error.errorResponse).toMatchObject({ code: 'bad_key_[redacted]', requestId: 'req_[redacted]' });
		expect(run.error!.message).toBe('Awardee rejected the request (HTTP 400): The key [redacted] is wrong');
	});

	it('redacts the key from a Continue On Fail error item and from output the vendor echoes it into', async () => {
		const key = setup.sim.apiKey;
		const echoed = setup.sim.addConversation({ title: `Key is ${key}` });
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 404, headers: { 'X-Request-Id': key }, body: { error: key, request_id: key } });
		tally.faults += 1;
		const run = record(
			await setup.run(
				{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, options: { includeTags: false } },
				[{ id: echoed.id }, { id: echoed.id }],
				{ continueOnFail: true },
			),
		);
		expect(run.items).toHaveLength(2);
		expect(leaksIn(run, [key])).toBe(0);
		expect(run.items[0].json.httpCode).toBe('404');
		expect(run.items[1].json.title).toBe('Key is [redacted]');
	});
});

describe('Awardee retries and answers under faults', () => {
	it('retries a GET whose answer is cut off mid-body (ERR_BAD_RESPONSE, stream aborted)', async () => {
		const id = someConversationId();
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 200, body: { id, pad: 'x'.repeat(4000) }, resetMidBody: true });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(id), options: { includeTags: false } }));
		expect(run.status).toBe('success');
		expect(run.items[0].json.id).toBe(id);
		expect(setup.sim.requests.map((r) => r.status)).toEqual([0, 200]);
	});

	it('retries a keyed reply cut off mid-answer with the same key, and Awardee stores it once', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		setup.sim.injectFault({ method: 'POST', path: '/conversations/:id/messages', afterCommit: true, status: 201, body: { pad: 'x'.repeat(4000) }, resetMidBody: true });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'Exactly once' }));
		expect(run.status).toBe('success');
		const replies = setup.sim.state.messages.get(conversation.id)!.filter((m) => m.parts[0]?.text === 'Exactly once');
		expect(replies).toHaveLength(1);
		tally.duplicated += replies.length - 1;
		const posts = setup.sim.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['idempotency-key']).toBe(posts[1].headers['idempotency-key']);
	});

	it('reports an error answer that is not JSON with its HTTP status and the vendor’s text', async () => {
		setup.sim.injectFault({
			method: 'GET',
			path: '/conversations/:id',
			status: 500,
			headers: { 'Content-Type': 'text/html' },
			rawBody: '<html><head><style>h1{}</style></head><body><h1>Internal Server Error</h1><p>upstream crashed</p></body></html>',
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.error!.message).toBe('Awardee failed to process the request (HTTP 500): Internal Server Error upstream crashed');
		expect(run.error!.httpCode).toBe('500');
	});

	it('ends one request within the 90 s Max Request Time by default, saying which limit was hit', async () => {
		// Every attempt hangs 29 s, then the connection drops: before the budget, 6 attempts and 31 s of back-off took 205 s.
		const started = clock.now();
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', destroySocket: true, during: () => clock.advance(29_000), times: 10 });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'get', conversationId: byId(someConversationId()) }));
		expect(run.status).toBe('error');
		expect(clock.now() - started).toBeLessThan(91_000);
		expect(run.error!.description).toMatch(/Gave up after 3 attempts: the next wait of 4 s would pass Max Request Time \(90 s, all attempts and waits included\)/);
	});

	it('fails at once when a Retry-After would pass the Max Request Time, naming that limit', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/conversations/:id', status: 503, retryAfter: 40, times: 10 });
		tally.faults += 1;
		const started = clock.now();
		const run = record(
			await setup.run({ operation: 'get', conversationId: byId(someConversationId()), requestOptions: { maxRetryWaitSeconds: 600 } }),
		);
		expect(run.error!.message).toBe('Awardee asked to wait 40 s before retrying, longer than the 9 s left to wait');
		expect(run.error!.description).toMatch(/raise Max Request Time/);
		expect(clock.now() - started).toBeLessThan(91_000);
	});

	it('keeps an error about 5,000 unknown tag names short', async () => {
		const names = Array.from({ length: 5000 }, (_, i) => `no-such-tag-${i}`);
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'addTags', conversationId: byId(someConversationId()), tags: names }));
		expect(run.error!.message).toMatch(/^\[item 0\] Unknown tags "no-such-tag-0", .* "no-such-tag-9" … and 4,990 more$/);
		expect(run.error!.message.length).toBeLessThan(400);
	});
});

describe('Awardee bad input', () => {
	/** Runs one item per bad value with Continue On Fail: each must be refused, naming its item, before any request. */
	async function expectRefused(parameters: IDataObject, values: unknown[], message: (value: unknown) => RegExp) {
		const run = record(await setup.run(parameters, values.map((v) => ({ v }) as IDataObject), { continueOnFail: true }));
		expect(run.items).toHaveLength(values.length);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.error).toMatch(new RegExp(`^\\[item ${i}\\] `));
			expect(String(item.json.error)).toMatch(message(values[i]));
		});
		expect(setup.sim.requests).toHaveLength(0);
		tally.badInputs += values.length;
	}

	it('refuses a limit that is not a whole number of at least 1', async () => {
		await expectRefused(
			{ operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' },
			[-1, 0, 2.5, 'abc', true, [5], { n: 5 }, '', 1e12],
			() => /Limit must be a whole number from 1 to 1,000,000, not /,
		);
	});

	it('refuses IDs that are lists (even of one ID), objects, booleans or numbers', async () => {
		const id = someConversationId();
		await expectRefused(
			{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.v }}' } },
			[[id], { id }, true, 42, [id, id]],
			() => /Conversation ID must be text, not (a list|an object|the boolean true|42)/,
		);
	});

	it('refuses update fields of the wrong type or outside their options', async () => {
		await expectRefused(
			{ operation: 'update', conversationId: byId(someConversationId()), updateFields: { priority: '={{ $json.v }}' } },
			['urgent', 5, { p: 1 }, true],
			() => /Update Fields → Priority must be one of /,
		);
		await expectRefused(
			{ operation: 'update', conversationId: byId(someConversationId()), updateFields: { title: '={{ $json.v }}' } },
			[{ t: 'x' }, ['x'], false],
			() => /Update Fields → Title must be text, not /,
		);
	});

	it('refuses a reply text, tag list or assignee of the wrong type', async () => {
		await expectRefused({ operation: 'reply', conversationId: byId(someConversationId()), text: '={{ $json.v }}' }, [{ t: 'hi' }, ['hi'], true], () => /Text must be text, not /);
		await expectRefused({ operation: 'addTags', conversationId: byId(someConversationId()), tags: '={{ $json.v }}' }, [[{ id: 'x' }], true, { a: 1 }, [['vip']]], () => /Tags must be tag names or IDs/);
		await expectRefused(
			{ operation: 'assign', conversationId: byId(someConversationId()), assigneeId: { __rl: true, mode: 'id', value: '={{ $json.v }}' } },
			[['5b1e0c3a-1b4c-4f5d-9e8a-7c3b2a1d0f9e'], { id: 1 }, true],
			() => /Assignee ID must be text, not /,
		);
	});
});

describe('Awardee reliability figures', () => {
	it('are the ones the README shows, with nothing lost, duplicated or leaked', () => {
		expect(tally).toMatchObject({ lost: 0, duplicated: 0, leaked: 0 });
		expect(readmeRow('Awardee')).toEqual(tally);
	});
});
