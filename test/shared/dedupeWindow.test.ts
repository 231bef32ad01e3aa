import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import { DEDUPE_CAPACITY, DEDUPE_SLACK, DEDUPE_WINDOW_MS, rememberInStaticData, seenInStaticData } from '../../nodes/shared/webhook/dedupe';
import { fuzz } from '../fuzz/settings';

/**
 * The static-data window is updated in place (a full window is read and written on every delivery, through
 * n8n's observable proxy, where enumerating it is what costs). What it keeps is specified here by the plain
 * rule: the new keys go in (a key seen before but expired moves to the end); once the window holds more than
 * capacity + slack keys, rebuild it from its live keys sorted by recorded time (a stable sort: same second,
 * window order) and keep the newest `capacity`.
 */
function reference(
	window: IDataObject | undefined,
	keys: string[],
	nowMs: number,
	capacity: number,
	slack: number,
): { wrote: boolean; window: IDataObject | undefined } {
	const isSeen = (key: string) => {
		const at = window?.[key];
		return window !== undefined && Object.prototype.hasOwnProperty.call(window, key) && typeof at === 'number' && at * 1000 + DEDUPE_WINDOW_MS > nowMs;
	};
	const fresh = [...new Set(keys)].filter((key) => !isSeen(key));
	if (fresh.length === 0) return { wrote: false, window };
	let entries = Object.entries(window ?? {}).filter(([key]) => !fresh.includes(key));
	for (const key of fresh) entries.push([key, Math.floor(nowMs / 1000)]);
	if (entries.length > capacity + slack) {
		const oldest = (nowMs - DEDUPE_WINDOW_MS) / 1000;
		const live = entries.filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > oldest).sort((a, b) => a[1] - b[1]);
		entries = live.slice(Math.max(0, live.length - capacity));
	}
	return { wrote: true, window: Object.fromEntries(entries) };
}

/** Keys of a small alphabet, so that repeats, re-adds after expiry and same-second ties are common. */
const step = fc.record({
	keys: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), { minLength: 1, maxLength: 4 }),
	advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.constant(DEDUPE_WINDOW_MS), fc.integer({ min: 0, max: 2 * DEDUPE_WINDOW_MS })),
	// A database may hand the keys back in another order (Postgres jsonb sorts them).
	reorder: fc.boolean(),
	// As the delivery pipeline calls it: only keys it has just found unseen, saying so (`knownUnseen`).
	asPipeline: fc.boolean(),
});

/** Static data as n8n hands it to a trigger, with a count of how often the window's keys were enumerated. */
function observedWindow(window: IDataObject, extra: IDataObject = {}) {
	let enumerations = 0;
	const counted = new Proxy(window, {
		ownKeys(target) {
			enumerations += 1;
			return Reflect.ownKeys(target);
		},
	});
	const staticData = ObservableObject.create({ 'node:Trigger': { ...extra, seenKeys: counted } } as IDataObject, undefined, { ignoreEmptyOnFirstChild: true });
	// n8n's own wrapping enumerates once (a new Workflow does it for every request): not the trigger's cost.
	const byN8n = enumerations;
	return { staticData, state: staticData['node:Trigger'] as IDataObject, enumerations: () => enumerations - byN8n };
}

describe('the static-data window, updated in place', () => {
	it('keeps exactly what the plain rule keeps, in any order of keys, at any capacity and slack', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.array(step, { minLength: 1, maxLength: 30 }), (capacity, slack, steps) => {
				const state: IDataObject = {};
				let expected: IDataObject | undefined;
				let nowMs = Date.UTC(2026, 11, 1, 12);
				for (const { keys: given, advanceMs, reorder, asPipeline } of steps) {
					nowMs += advanceMs;
					if (reorder && state.seenKeys) {
						const sorted = Object.fromEntries(Object.entries(state.seenKeys as IDataObject).sort(([a], [b]) => (a < b ? -1 : 1)));
						state.seenKeys = sorted;
						expected = { ...sorted };
					}
					const keys = asPipeline ? given.filter((key) => !seenInStaticData(state, key, nowMs)) : given;
					if (keys.length === 0) continue;
					const wanted = reference(expected, keys, nowMs, capacity, slack);
					expect(rememberInStaticData(state, keys, nowMs, { capacity, slack }, asPipeline)).toBe(wanted.wrote);
					expected = wanted.window;
					expect(state.seenKeys).toEqual(expected);
					if (expected) {
						expect(state.seenKeyCount).toBe(Object.keys(expected).length);
						expect(state.seenKeyCount).toBeLessThanOrEqual(capacity + slack);
					}
				}
			}),
			fuzz(),
		);
	});

	it('prunes a window over capacity + slack to the newest 1,000, and n8n sees the write through its observable static data', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const window: IDataObject = {};
		const full = DEDUPE_CAPACITY + DEDUPE_SLACK;
		for (let index = 0; index < full; index++) window[`event:${index}`] = nowMs / 1000 - full + index;
		// Out of time order, as a database may return it: the oldest is not the first key.
		window['event:0'] = nowMs / 1000 - 10;
		const { staticData, state } = observedWindow(window, { seenKeyCount: full });
		expect(rememberInStaticData(state, ['event:new'], nowMs)).toBe(true);
		const seen = state.seenKeys as IDataObject;
		expect(Object.keys(seen)).toHaveLength(DEDUPE_CAPACITY);
		expect(state.seenKeyCount).toBe(DEDUPE_CAPACITY);
		// The 251 oldest went: event:1 … event:251 (event:0 is recent).
		expect(seen['event:251']).toBeUndefined();
		expect(seen['event:252']).toBe(nowMs / 1000 - full + 252);
		expect(seen['event:0']).toBe(nowMs / 1000 - 10);
		expect(seen['event:new']).toBe(nowMs / 1000);
		expect((staticData as IDataObject & { __dataChanged: boolean }).__dataChanged).toBe(true);
	});

	it('enumerates a full window once per slack deliveries, not on every delivery', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const window: IDataObject = {};
		for (let index = 0; index < DEDUPE_CAPACITY; index++) window[`event:old-${index}`] = nowMs / 1000 - 3600 + index;
		const { state, enumerations } = observedWindow(window, { seenKeyCount: DEDUPE_CAPACITY });
		for (let delivery = 0; delivery < 1000; delivery++) rememberInStaticData(state, [`event:new-${delivery}`], nowMs + delivery);
		// 1,000 new keys over a full window: pruned to 1,000 each time it passes 1,250, after 251 new keys: 3 times.
		expect(enumerations()).toBe(3);
		expect(state.seenKeyCount).toBe(Object.keys(state.seenKeys as IDataObject).length);
		for (let delivery = 0; delivery < 1000; delivery++) expect((state.seenKeys as IDataObject)[`event:new-${delivery}`]).toBeDefined();
	});

	it('counts a window saved without a count once, then keeps the count', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const window: IDataObject = { 'event:a': nowMs / 1000 - 5, 'event:b': nowMs / 1000 - 4 };
		const { state, enumerations } = observedWindow(window);
		rememberInStaticData(state, ['event:c'], nowMs);
		rememberInStaticData(state, ['event:d'], nowMs);
		expect(enumerations()).toBe(1);
		expect(state.seenKeyCount).toBe(4);
	});
});
