jest.mock('n8n-workflow', () => {
	// The virtual sleep, also noting when each wait ended (virtual ms): the moment the request that waited was sent.
	const { n8nWorkflowWithVirtualSleep, virtualClock } = jest.requireActual<typeof import('../helpers/clock')>('../helpers/clock');
	const workflow = n8nWorkflowWithVirtualSleep() as { sleep: (ms: number) => Promise<void> };
	const waitsEndedAt: number[] = [];
	return {
		...workflow,
		waitsEndedAt,
		sleep: async (ms: number) => {
			await workflow.sleep(ms);
			waitsEndedAt.push(virtualClock.now());
		},
	};
});

import type { IDataObject } from 'n8n-workflow';

import { intervalOf, recordAnswer, takeTurn } from '../../nodes/shared/transport/pace';
import { startAwardee } from '../helpers/awardee';
import { useVirtualClock } from '../helpers/clock';
import { contactItems, startOnceHub } from '../helpers/oncehub';
import { startVoipbin } from '../helpers/voipbin';

/**
 * The pace every request of one vendor account keeps, through the nodes' real execute path against the
 * simulators on a virtual clock (a wait moves the clock on instead of taking time): all items of a run, and
 * runs at the same time, share it; it follows the vendor's rate-limit headers where it sends them, else its
 * published rate or token bucket, or the rate set under Request Options. Spaced runs at once are in
 * paceShared.test.ts and VoIPbin's in test/voipbin/errors.test.ts, on the real clock: a virtual wait would move
 * time on while another run's request is still on its way.
 */
const clock = useVirtualClock();

/** When each of the transport's waits ended, in order (virtual ms). */
const { waitsEndedAt } = jest.requireMock<{ waitsEndedAt: number[] }>('n8n-workflow');
beforeEach(() => {
	waitsEndedAt.length = 0;
});

const FAN_OUT = 300;

/** 300 requests through n8n take a few seconds on a quiet machine; the bound is for a busy one. */
const FAN_OUT_TIMEOUT_MS = 180_000;

/** `count` input items (the fan-out by default), each with one of the ids in turn, mapped into the node's id parameter by an expression. */
function itemsFor(ids: string[], count = FAN_OUT): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ id: ids[index % ids.length] }));
}

const byExpression = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

/** Moves the virtual clock to the start of the next minute, so that the simulator's minute windows start with the test. */
function startOfMinute(): number {
	clock.advance(60_000 - (clock.now() % 60_000));
	return clock.now();
}

function statusesOf(requests: Array<{ status: number }>): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const { status } of requests) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

describe('pacing by the vendor’s rate-limit headers (Awardee)', () => {
	it('gets 300 items at 60 a minute without a failure or a 429, in the time the limit allows', async () => {
		const setup = await startAwardee({ seed: 5, rateLimitPerMinute: 60, now: () => new Date(clock.now()) });
		try {
			const ids = [...setup.sim.state.conversations.keys()];
			const started = startOfMinute();
			const run = await setup.run(
				{ operation: 'get', conversationId: byExpression, options: { includeTags: false } },
				itemsFor(ids),
			);
			const elapsedMs = clock.now() - started;
			expect(run.status).toBe('success');
			expect(run.items).toHaveLength(FAN_OUT);
			expect(run.items.every((item) => typeof item.json.id === 'string' && !('error' in item.json))).toBe(true);
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: FAN_OUT });
			// The simulator counts whole minutes: 60 in the first, then 60 at the start of each of the next four.
			// The last request can go no sooner than the start of the fifth.
			const allowedMs = 4 * 60_000;
			expect(elapsedMs).toBeGreaterThanOrEqual(allowedMs);
			expect(elapsedMs).toBeLessThanOrEqual(allowedMs * 1.05);
		} finally {
			await setup.sim.close();
		}
	}, FAN_OUT_TIMEOUT_MS);

	it('shares the budget between two runs at once, never sending more than the minute holds', async () => {
		const setup = await startAwardee({ seed: 5, rateLimitPerMinute: 60, now: () => new Date(clock.now()) });
		try {
			const ids = [...setup.sim.state.conversations.keys()].slice(0, 5);
			const items = itemsFor(ids, 50);
			const parameters = { operation: 'get', conversationId: byExpression, options: { includeTags: false } };
			startOfMinute();
			const runs = await Promise.all([setup.run(parameters, items), setup.run(parameters, items)]);
			for (const run of runs) {
				expect(run.status).toBe('success');
				expect(run.items).toHaveLength(50);
			}
			// 100 requests against 60 a minute: the second minute's budget is waited for, not run into.
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: 100 });
		} finally {
			await setup.sim.close();
		}
	});

	it('fails at once, naming the window, when the budget is used up for longer than Max Request Time', async () => {
		const setup = await startAwardee({ seed: 2, rateLimitPerMinute: 2, now: () => new Date(clock.now()) });
		try {
			// Two requests use up the minute; the third would have to wait for the next one.
			const ids = [...setup.sim.state.conversations.keys()];
			const items = [{ id: ids[0] }, { id: ids[1] }, { id: ids[0] }];
			startOfMinute();
			const run = await setup.run(
				{
					operation: 'get',
					conversationId: byExpression,
					options: { includeTags: false },
					requestOptions: { maxRequestSeconds: 2 },
				},
				items,
				{ continueOnFail: true },
			);
			expect(run.items[2].json.error).toMatch(
				/^Awardee's per-minute request limit for this account is used up for \d+ s more, longer than the \d+ s left of Max Request Time$/,
			);
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: 2 });
			expect(run.items.slice(0, 2).every((item) => !('error' in item.json))).toBe(true);
		} finally {
			await setup.sim.close();
		}
	});
});

describe('pacing by the vendor’s published token bucket (VoIPbin: 16.7 a second, burst 33)', () => {
	const RATE = 16.7;
	/** What the package keeps of VoIPbin's burst of 33: a margin of 3 for jitter and the account's other users. */
	const CAPACITY = 30;
	const REFILL_MS = 1000 / RATE;

	it('sends the first 30 of 60 items without a wait, then one each 1/16.7 s counted from the sends, never meeting a 429', async () => {
		// The simulator's bucket is VoIPbin's: 16.7 a second, burst 33, full at the start.
		const setup = await startVoipbin({ seed: 3, now: () => new Date(clock.now()) });
		try {
			const ids = [...setup.sim.state.conversations.keys()];
			const items = itemsFor(ids, 60);
			const run = await setup.run({ operation: 'get', conversationId: byExpression }, items);
			expect(run.status).toBe('success');
			expect(run.items).toHaveLength(60);
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: 60 });
			// No wait before the bucket is spent: at least 30 requests arrived before the first wait ended.
			expect(waitsEndedAt.length).toBeGreaterThan(0);
			expect(setup.sim.arrivals.filter((time) => time < waitsEndedAt[0]).length).toBeGreaterThanOrEqual(CAPACITY);
			// Then each request waits for a token, counted from the sends, not the answers (an answer's time added
			// would make every gap longer than a refill). Waits are whole milliseconds, so a send up to 1 ms after
			// its token gives that back to the next: gaps of about 60 ms, spanning at least one refill each. On a busy
			// machine the moment a wait ends is noted a few milliseconds late now and then, which the next gives back.
			const gaps = waitsEndedAt.slice(1).map((time, index) => time - waitsEndedAt[index]);
			expect(gaps.length).toBeGreaterThanOrEqual(5);
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(REFILL_MS) - 10);
			expect(waitsEndedAt[gaps.length] - waitsEndedAt[0]).toBeGreaterThanOrEqual(gaps.length * REFILL_MS - 1);
			expect(gaps.filter((gap) => gap <= Math.ceil(REFILL_MS)).length).toBeGreaterThanOrEqual(gaps.length / 2);
		} finally {
			await setup.sim.close();
		}
	});

	it('keeps strict spacing at a rate set under Request Options, spending no burst', async () => {
		// A bucket that holds a single request: any two closer than 1/16.7 s apart would meet a 429.
		const setup = await startVoipbin({ seed: 3, rateLimit: { perSecond: RATE, burst: 1 }, now: () => new Date(clock.now()) });
		try {
			const ids = [...setup.sim.state.conversations.keys()];
			const started = clock.now();
			const run = await setup.run(
				{ operation: 'get', conversationId: byExpression, requestOptions: { maxRequestsPerSecond: RATE } },
				itemsFor(ids),
			);
			const elapsedMs = clock.now() - started;
			expect(run.status).toBe('success');
			expect(run.items).toHaveLength(FAN_OUT);
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: FAN_OUT });
			const allowedMs = ((FAN_OUT - 1) / RATE) * 1000;
			expect(elapsedMs).toBeGreaterThanOrEqual(allowedMs);
			expect(elapsedMs).toBeLessThan(allowedMs * 2);
		} finally {
			await setup.sim.close();
		}
	}, FAN_OUT_TIMEOUT_MS);
});

describe('a rate above 1,000 a second (under the clock’s tick of 1 ms)', () => {
	it('sends without a timer while the millisecond holds its share: 60 items at 100,000 a second take no wait', async () => {
		// The rate set lifts VoIPbin's own, which the simulator then does not enforce.
		const setup = await startVoipbin({ seed: 3, rateLimit: false, now: () => new Date(clock.now()) });
		try {
			const ids = [...setup.sim.state.conversations.keys()];
			const items = itemsFor(ids, 60);
			const run = await setup.run(
				{ operation: 'get', conversationId: byExpression, requestOptions: { maxRequestsPerSecond: 100_000 } },
				items,
			);
			expect(run.status).toBe('success');
			expect(run.items).toHaveLength(60);
			// A wait of a fraction of a millisecond used to become a 1 ms timer before almost every request.
			expect(waitsEndedAt).toEqual([]);
		} finally {
			await setup.sim.close();
		}
	});

	it('never sends more in one millisecond than the rate allows in it: at 2,000 a second, two', async () => {
		// Answers that come at once, on a clock that moves only by the pace's waits: the pace alone decides.
		let now = 1_000_000;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		const sentAt: number[] = [];
		const rule = { spacingMs: intervalOf(2_000) };
		for (let request = 0; request < 9; request++) {
			const turn = await takeTurn('a rate above a tick', rule, () => undefined, async (ms) => {
				now += ms;
			});
			sentAt.push(now);
			recordAnswer(turn, undefined);
		}
		expect(sentAt).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4].map((ms) => 1_000_000 + ms));
	});
});

describe('pacing by the vendor’s published rate', () => {
	it('counts OnceHub’s 5 a second over any second: 5 at once, then each a second after the answer 5 before, never meeting a 429', async () => {
		const setup = await startOnceHub({ seed: 2, rateLimitPerSecond: 5 });
		try {
			const items = contactItems(setup, 60);
			const started = clock.now();
			const run = await setup.run({ resource: 'contact', operation: 'get', contactId: byExpression }, items);
			const elapsedMs = clock.now() - started;
			expect(run.status).toBe('success');
			expect(run.items).toHaveLength(60);
			expect(statusesOf(setup.sim.requests)).toEqual({ 200: 60 });
			const { arrivals } = setup.sim;
			// The first five went before the first wait.
			expect(waitsEndedAt[0]).toBeGreaterThan(arrivals[4]);
			// No second holds more than five arrivals.
			for (let index = 5; index < arrivals.length; index++) expect(arrivals[index] - arrivals[index - 5]).toBeGreaterThanOrEqual(1000);
			// What the limit allows: the 60th can arrive no sooner than 11 s after the first. Spacing every request
			// by 200 ms from the answer before took 11.8 s plus every answer's time.
			expect(elapsedMs).toBeGreaterThanOrEqual(11_000);
			expect(elapsedMs).toBeLessThanOrEqual(11_000 * 1.05);
		} finally {
			await setup.sim.close();
		}
	});

	it('sends at the rate set under Request Options instead of the vendor’s', async () => {
		const setup = await startOnceHub({ seed: 2 });
		try {
			const items = contactItems(setup, 6);
			const run = await setup.run(
				{ resource: 'contact', operation: 'get', contactId: byExpression, requestOptions: { maxRequestsPerSecond: 2 } },
				items,
			);
			expect(run.status).toBe('success');
			const gaps = setup.sim.arrivals.slice(1).map((time, index) => time - setup.sim.arrivals[index]);
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(499);
		} finally {
			await setup.sim.close();
		}
	});
});
