import fc from 'fast-check';

import { toUtcIso } from '../../nodes/shared/normalize';
import { utcIsoOf, utcYearOf } from '../../nodes/shared/utcIso';
import { fuzz } from '../fuzz/settings';

const YEAR_0 = Date.UTC(2000, 0, 1) - 730_485 * 86_400_000; // 0000-01-01T00:00:00.000Z
const YEAR_10000 = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z

/** toUtcIso as it was written on Date objects, before it formatted times itself: the rule it must keep. */
function byDate(value: unknown): string | null {
	if (value === null || value === undefined || value === '' || value === 0) return null;
	let date: Date;
	if (value instanceof Date) date = value;
	else if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
	else if (typeof value === 'string') {
		const trimmed = value.trim();
		if (/^\d+$/.test(trimmed)) return byDate(Number(trimmed));
		const iso = trimmed.includes('T') ? trimmed : trimmed.replace(' ', 'T');
		date = new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso);
	} else return null;
	const time = date.getTime();
	const year = date.getUTCFullYear();
	if (Number.isNaN(time) || time === 0 || year === 1 || year === 9999 || year < 0 || year > 9999) return null;
	return date.toISOString();
}

describe('UTC ISO text without Date objects', () => {
	it('writes what toISOString writes, for every millisecond of the years 0 to 9999', () => {
		expect(new Date(YEAR_0).toISOString()).toBe('0000-01-01T00:00:00.000Z');
		fc.assert(
			fc.property(fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }), (time) => {
				expect(utcIsoOf(time)).toBe(new Date(time).toISOString());
				expect(utcYearOf(time)).toBe(new Date(time).getUTCFullYear());
			}),
			fuzz(5000),
		);
		for (const time of [YEAR_0, -1, 0, 1, 951_782_400_000 /* 2000-02-29 */, 1_709_164_800_000, YEAR_10000 - 1]) {
			expect(utcIsoOf(time)).toBe(new Date(time).toISOString());
		}
	});

	it('keeps toUtcIso exactly as it was on Date objects, for any value a vendor sends', () => {
		const stamp = fc.integer({ min: YEAR_0 - 10 * 86_400_000, max: YEAR_10000 + 10 * 86_400_000 });
		const text = fc.oneof(
			stamp.map((time) => (Math.abs(time) < 8.64e15 ? new Date(time).toISOString() : String(time))),
			stamp.map((time) => new Date(time).toISOString().replace('T', ' ').replace('Z', '')),
			stamp.map((time) => new Date(time).toISOString().slice(0, 16)),
			stamp.map((time) => new Date(time).toISOString().replace('Z', '+05:30')),
			fc.constantFrom('2026-02-30T00:00:00.000Z', '2026-12-02T24:00:00Z', '2026-12-02T23:59:60Z', '9999-01-01', '0001-01-01T00:00:00Z', ' 2026-12-02 ', 'yesterday', '17961876600', '1796187660'),
			fc.string(),
		);
		const value = fc.oneof(text, stamp, fc.double(), fc.integer(), stamp.map((time) => new Date(time)), fc.constant(new Date(Number.NaN)));
		fc.assert(
			fc.property(value, (input) => {
				expect(toUtcIso(input)).toBe(byDate(input));
			}),
			fuzz(5000),
		);
	});
});
