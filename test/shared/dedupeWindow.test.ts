import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import { DEDUPE_WINDOW_MS, rememberInStaticData } from '../../nodes/shared/webhook/dedupe';
import { fuzz } from '../fuzz/settings';

/**
 * The static-data window is updated in place in one pass (a full window is read and written on every
 * delivery, through n8n's observable proxy). What it keeps is specified here by the plain rule: rebuild the
 * window from its live keys sorted by recorded time (a stable sort: same second, window order), keep the newest
 * that leave room for the new keys, then add the new keys.
 */
function reference(window: IDataObject | undefined, keys: string[], nowMs: number, capacity: number): { wrote: boolean; window: IDataObject | undefined } {
	const isSeen = (key: string) => {
		const at = window?.[key];
		return window !== undefined && Object.prototype.hasOwnProperty.call(window, key) && typeof at === 'number' && at * 1000 + DEDUPE_WINDOW_MS > nowMs;
	};
	const fresh = [...new Set(keys)].filter((key) => !isSeen(key));
	if (fresh.length === 0) return { wrote: false, window };
	const oldest = (nowMs - DEDUPE_WINDOW_MS) / 1000;
	const kept = Object.entries(window ?? {})
		.filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > oldest && !fresh.includes(entry[0]))
		.sort((a, b) => a[1] - b[1]);
	const room = Math.max(0, capacity - fresh.length);
	const next: IDataObject = {};
	for (const [key, at] of kept.slice(Math.max(0, kept.length - room))) next[key] = at;
	for (const key of fresh.slice(-capacity)) next[key] = Math.floor(nowMs / 1000);
	return { wrote: true, window: next };
}

/** Keys of a small alphabet, so that repeats, re-adds after expiry and same-second ties are common. */
const step = fc.record({
	keys: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), { minLength: 1, maxLength: 4 }),
	advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.constant(DEDUPE_WINDOW_MS), fc.integer({ min: 0, max: 2 * DEDUPE_WINDOW_MS })),
	// A database may hand the keys back in another order (Postgres jsonb sorts them).
	reorder: fc.boolean(),
});

describe('the static-data window, updated in place', () => {
	it('keeps exactly what a rebuild sorted by recorded time keeps, in any order of keys and at any capacity', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { minLength: 1, maxLength: 30 }), (capacity, steps) => {
				const state: IDataObject = {};
				let expected: IDataObject | undefined;
				let nowMs = Date.UTC(2026, 11, 1, 12);
				for (const { keys, advanceMs, reorder } of steps) {
					nowMs += advanceMs;
					if (reorder && state.seenKeys) {
						const sorted = Object.fromEntries(Object.entries(state.seenKeys as IDataObject).sort(([a], [b]) => (a < b ? -1 : 1)));
						state.seenKeys = sorted;
						expected = { ...sorted };
					}
					const wanted = reference(expected, keys, nowMs, capacity);
					expect(rememberInStaticData(state, keys, nowMs, capacity)).toBe(wanted.wrote);
					expected = wanted.window;
					expect(state.seenKeys).toEqual(expected);
				}
			}),
			fuzz(),
		);
	});

	it('drops the oldest key of a full window, and n8n sees the write through its observable static data', () => {
		const nowMs = Date.UTC(2026, 11, 1, 12);
		const window: IDataObject = {};
		for (let index = 0; index < 1000; index++) window[`event:${index}`] = nowMs / 1000 - 1000 + index;
		// Out of time order, as a database may return it: the oldest is not the first key.
		window['event:0'] = nowMs / 1000 - 10;
		const staticData = ObservableObject.create({ 'node:Trigger': { seenKeys: window } } as IDataObject, undefined, { ignoreEmptyOnFirstChild: true });
		const state = staticData['node:Trigger'] as IDataObject;
		expect(rememberInStaticData(state, ['event:new'], nowMs)).toBe(true);
		const seen = state.seenKeys as IDataObject;
		expect(Object.keys(seen)).toHaveLength(1000);
		expect(seen['event:1']).toBeUndefined();
		expect(seen['event:0']).toBe(nowMs / 1000 - 10);
		expect(seen['event:new']).toBe(nowMs / 1000);
		expect((staticData as IDataObject & { __dataChanged: boolean }).__dataChanged).toBe(true);
	});
});
