import { createHash } from 'crypto';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import { DEDUPE_CAPACITY, DEDUPE_SLACK, DEDUPE_WINDOW_MS, rememberInStaticData, seenInStaticData } from '../../nodes/shared/webhook/dedupe';
import { fuzz } from '../fuzz/settings';

/** The window a trigger's static data holds, as its entries in order: `[key, second]`. */
function entriesOf(state: IDataObject): Array<[string, number]> {
	const text = state.seenWindow;
	if (text === undefined) return [];
	expect(typeof text).toBe('string');
	return (text as string).split('|').map((entry) => {
		const space = entry.indexOf(' ');
		return [entry.slice(space + 1), Number(entry.slice(0, space))];
	});
}

/**
 * What the window keeps is specified here by the plain rule: the new keys go in at the end (a key seen before
 * but expired moves to the end); once the window holds more than capacity + slack keys, rebuild it from its
 * live keys sorted by recorded time (a stable sort: same second, window order) and keep the newest `capacity`.
 */
function reference(
	window: Array<[string, number]>,
	keys: string[],
	nowMs: number,
	capacity: number,
	slack: number,
): { wrote: boolean; window: Array<[string, number]> } {
	const isSeen = (key: string) => window.some(([held, at]) => held === key && at * 1000 + DEDUPE_WINDOW_MS > nowMs);
	const fresh = [...new Set(keys)].filter((key) => !isSeen(key));
	if (fresh.length === 0) return { wrote: false, window };
	let entries = window.filter(([key]) => !fresh.includes(key));
	for (const key of fresh) entries.push([key, Math.floor(nowMs / 1000)]);
	if (entries.length > capacity + slack) {
		const oldest = (nowMs - DEDUPE_WINDOW_MS) / 1000;
		const live = entries.filter((entry) => entry[1] > oldest).sort((a, b) => a[1] - b[1]);
		entries = live.slice(Math.max(0, live.length - capacity));
	}
	return { wrote: true, window: entries };
}

/** Keys of a small alphabet, so that repeats, re-adds after expiry and same-second ties are common. */
const step = fc.record({
	keys: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'two words', 'line\nbreak', 'pipe|key'), { minLength: 1, maxLength: 4 }),
	advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.constant(DEDUPE_WINDOW_MS), fc.integer({ min: 0, max: 2 * DEDUPE_WINDOW_MS })),
	// n8n hands the trigger a new copy of its static data, read from its database, for every request.
	reload: fc.boolean(),
	// As the delivery pipeline calls it: only keys it has just found unseen, saying so (`knownUnseen`).
	asPipeline: fc.boolean(),
});

/** The key a test reads back from the window: a key with the separator in it is kept as its hash. */
function asStored(key: string): string {
	return key.includes('|') ? `#sha256:${createHash('sha256').update(key).digest('hex')}` : key;
}

describe('the static-data window, one text of entries', () => {
	it('keeps exactly what the plain rule keeps, at any capacity and slack, read back in place or from a saved copy', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.array(step, { minLength: 1, maxLength: 30 }), (capacity, slack, steps) => {
				let state: IDataObject = {};
				let expected: Array<[string, number]> = [];
				let nowMs = Date.UTC(2026, 11, 1, 12);
				for (const { keys: given, advanceMs, reload, asPipeline } of steps) {
					nowMs += advanceMs;
					if (reload) state = JSON.parse(JSON.stringify(state)) as IDataObject;
					const keys = asPipeline ? given.filter((key) => !seenInStaticData(state, key, nowMs)) : given;
					if (keys.length === 0) continue;
					const wanted = reference(expected, keys.map(asStored), nowMs, capacity, slack);
					expect(rememberInStaticData(state, keys, nowMs, { capacity, slack }, asPipeline)).toBe(wanted.wrote);
					expected = wanted.window;
					expect(entriesOf(state)).toEqual(expected);
					expect(entriesOf(state).length).toBeLessThanOrEqual(capacity + slack);
					for (const key of given) {
						const live = expected.some(([held, at]) => held === asStored(key) && at * 1000 + DEDUPE_WINDOW_MS > nowMs);
						expect(seenInStaticData(state, key, nowMs)).toBe(live);
					}
				}
			}),
			fuzz(),
		);
	});

	it('never answers for one copy of the window from another: an older copy, read after a write, is read as it is', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const saved: IDataObject = {};
		rememberInStaticData(saved, ['event:a'], nowMs);
		// Two requests read the same saved window; the first adds a key, the second does not see it.
		const first = JSON.parse(JSON.stringify(saved)) as IDataObject;
		const second = JSON.parse(JSON.stringify(saved)) as IDataObject;
		expect(seenInStaticData(first, 'event:b', nowMs)).toBe(false);
		expect(seenInStaticData(second, 'event:b', nowMs)).toBe(false);
		rememberInStaticData(first, ['event:b'], nowMs, undefined, true);
		expect(seenInStaticData(first, 'event:b', nowMs)).toBe(true);
		expect(seenInStaticData(second, 'event:b', nowMs)).toBe(false);
		expect(seenInStaticData(JSON.parse(JSON.stringify(saved)) as IDataObject, 'event:b', nowMs)).toBe(false);
		// The second writes its own key: its window holds a and c, never b.
		rememberInStaticData(second, ['event:c'], nowMs);
		expect(entriesOf(second).map(([key]) => key)).toEqual(['event:a', 'event:c']);
		expect(seenInStaticData(JSON.parse(JSON.stringify(first)) as IDataObject, 'event:c', nowMs)).toBe(false);
		// Every write names its text with a new stamp.
		expect(first.seenWindowStamp).not.toBe(saved.seenWindowStamp);
		expect(second.seenWindowStamp).not.toBe(first.seenWindowStamp);
		// A window changed behind the trigger's back (another process saved over it) is read afresh.
		first.seenWindow = `${nowMs / 1000} event:z`;
		first.seenWindowStamp = 'another-process.1';
		expect(seenInStaticData(first, 'event:b', nowMs)).toBe(false);
		expect(seenInStaticData(first, 'event:z', nowMs)).toBe(true);
		// Read from the database again, with the stamp of a text this process wrote but another text: read as it is.
		const edited = { ...(JSON.parse(JSON.stringify(second)) as IDataObject), seenWindow: `${nowMs / 1000} event:y` };
		expect(seenInStaticData(edited, 'event:y', nowMs)).toBe(true);
		expect(seenInStaticData(edited, 'event:c', nowMs)).toBe(false);
	});

	it('reads an older copy afresh even when the write left a text of the same length (a prune)', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const limits = { capacity: 1, slack: 0 };
		const saved: IDataObject = {};
		rememberInStaticData(saved, ['event:a'], nowMs, limits);
		const first = JSON.parse(JSON.stringify(saved)) as IDataObject;
		const second = JSON.parse(JSON.stringify(saved)) as IDataObject;
		expect(seenInStaticData(first, 'event:a', nowMs)).toBe(true);
		rememberInStaticData(first, ['event:b'], nowMs, limits);
		expect(String(first.seenWindow)).toHaveLength(String(saved.seenWindow).length);
		expect(seenInStaticData(second, 'event:a', nowMs)).toBe(true);
		expect(seenInStaticData(second, 'event:b', nowMs)).toBe(false);
	});

	it('prunes a window over capacity + slack to the newest 1,000, and n8n sees the write through its observable static data', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const full = DEDUPE_CAPACITY + DEDUPE_SLACK;
		const entries = Array.from({ length: full }, (_, index) => `${nowMs / 1000 - full + index} event:${index}`);
		// Out of time order: the oldest is not the first entry.
		entries[0] = `${nowMs / 1000 - 10} event:0`;
		const staticData = ObservableObject.create({ 'node:Trigger': { seenWindow: entries.join('|') } } as IDataObject, undefined, { ignoreEmptyOnFirstChild: true });
		const state = staticData['node:Trigger'] as IDataObject;
		expect(rememberInStaticData(state, ['event:new'], nowMs)).toBe(true);
		const seen = new Map(entriesOf(state));
		expect(seen.size).toBe(DEDUPE_CAPACITY);
		// The 251 oldest went: event:1 … event:251 (event:0 is recent).
		expect(seen.get('event:251')).toBeUndefined();
		expect(seen.get('event:252')).toBe(nowMs / 1000 - full + 252);
		expect(seen.get('event:0')).toBe(nowMs / 1000 - 10);
		expect(seen.get('event:new')).toBe(nowMs / 1000);
		expect((staticData as IDataObject & { __dataChanged: boolean }).__dataChanged).toBe(true);
	});

	it('reads a window saved as an object of keys (earlier builds) and writes it back as a text, keeping the newest by time', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		// As Postgres jsonb hands it back: keys sorted, not in time order; a count as those builds kept it.
		const state: IDataObject = { seenKeys: { 'event:a': nowMs / 1000 - 5, 'event:b': nowMs / 1000 - 9, 'event:c': nowMs / 1000 - 7 }, seenKeyCount: 3 };
		expect(seenInStaticData(state, 'event:b', nowMs)).toBe(true);
		expect(seenInStaticData(state, 'event:d', nowMs)).toBe(false);
		expect(rememberInStaticData(state, ['event:b'], nowMs)).toBe(false);
		expect(state.seenKeys).toBeDefined();
		expect(rememberInStaticData(state, ['event:d'], nowMs, { capacity: 3, slack: 0 })).toBe(true);
		expect(state.seenKeys).toBeUndefined();
		expect(state.seenKeyCount).toBeUndefined();
		// event:b, the oldest, went.
		expect(entriesOf(state)).toEqual([
			['event:a', nowMs / 1000 - 5],
			['event:c', nowMs / 1000 - 7],
			['event:d', nowMs / 1000],
		]);
	});

	it('skips what is not an entry of a window, and keeps a key with spaces, a line break or the separator', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const state: IDataObject = { seenWindow: `garbage||yesterday event:x|${nowMs / 1000} event:two words| ` };
		expect(seenInStaticData(state, 'event:two words', nowMs)).toBe(true);
		expect(seenInStaticData(state, 'event:x', nowMs)).toBe(false);
		expect(seenInStaticData(state, 'garbage', nowMs)).toBe(false);
		rememberInStaticData(state, ['event:with\nbreak', 'event:with|pipe'], nowMs);
		const copy = JSON.parse(JSON.stringify(state)) as IDataObject;
		expect(seenInStaticData(copy, 'event:with\nbreak', nowMs)).toBe(true);
		expect(seenInStaticData(copy, 'event:with|pipe', nowMs)).toBe(true);
		expect(seenInStaticData(copy, 'event:with', nowMs)).toBe(false);
		expect(seenInStaticData(copy, 'pipe', nowMs)).toBe(false);
		expect(entriesOf(copy).map(([key]) => key)).toEqual(['event:two words', 'event:with\nbreak', asStored('event:with|pipe')]);
	});

	it('appends an entry per new key between prunes, and keeps every key of a busy run', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		let state: IDataObject = {};
		for (let delivery = 0; delivery < 1000; delivery++) {
			const before = state.seenWindow as string | undefined;
			rememberInStaticData(state, [`event:new-${delivery}`], nowMs + delivery);
			const after = state.seenWindow as string;
			if (before !== undefined && entriesOf(state).length > 1) expect(after.startsWith(before)).toBe(true);
			// As n8n does: the next request reads a copy from the database.
			state = JSON.parse(JSON.stringify(state)) as IDataObject;
		}
		expect(entriesOf(state)).toHaveLength(1000);
		for (let delivery = 0; delivery < 1000; delivery++) expect(seenInStaticData(state, `event:new-${delivery}`, nowMs + 1000)).toBe(true);
	});
});
