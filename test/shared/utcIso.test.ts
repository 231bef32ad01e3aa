import fc from 'fast-check';

import { toUtcIso } from '../../nodes/shared/normalize';
import { plainIsoTimeOf, utcIsoOf, utcYearOf } from '../../nodes/shared/utcIso';
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

	it('reads a plain RFC 3339 date-time to the millisecond Date.parse reads, and leaves every other text to it', () => {
		const two = (n: number) => String(n).padStart(2, '0');
		const field = (min: number, max: number) => fc.integer({ min, max }).map(two);
		// Fields at and past their ranges' ends (day 31 of every month, hour 24, second 60), any fraction length,
		// every zone form, and near misses of the form (a lower-case letter, a missing colon).
		const plain = fc
			.record({
				year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1600, 1900, 1970, 2000, 2024, 2100, 9999)).map((y) => String(y).padStart(4, '0')),
				month: field(0, 13),
				day: fc.oneof(field(0, 32), field(28, 31)),
				hours: fc.oneof(field(0, 24), field(22, 24)),
				minutes: fc.oneof(field(0, 60), field(58, 60)),
				seconds: fc.oneof(field(0, 60), field(58, 60)),
				fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,9}$/), fc.constant('.'), fc.constant('.5')),
				zone: fc.oneof(
					fc.constantFrom('Z', '', '+00:00', '-00:00', 'z', '+0530', '+05:3', 'Zx'),
					fc.tuple(fc.constantFrom('+', '-'), field(0, 24), field(0, 60)).map(([sign, h, m]) => `${sign}${h}:${m}`),
				),
				separator: fc.constantFrom('T', 'T', 'T', 't', ' '),
			})
			.map(({ year, month, day, hours, minutes, seconds, fraction, zone, separator }) => `${year}-${month}-${day}${separator}${hours}:${minutes}:${seconds}${fraction}${zone}`);
		fc.assert(
			fc.property(plain, (text) => {
				const read = plainIsoTimeOf(text);
				const zoneless = /[Tt ]\d{2}:\d{2}:\d{2}(\.\d*)?$/.test(text);
				const parsed = Date.parse(zoneless ? `${text}Z` : text);
				// What it reads is what Date.parse reads; what it leaves, Date.parse still reads as it did.
				if (read !== undefined) expect(read).toBe(parsed);
				expect(toUtcIso(text)).toBe(byDate(text));
			}),
			fuzz(20000),
		);
		expect(plainIsoTimeOf('2026-12-02T16:02:28.415+00:00')).toBe(Date.parse('2026-12-02T16:02:28.415Z'));
		expect(plainIsoTimeOf('2026-12-02T16:02:28.123999Z')).toBe(Date.parse('2026-12-02T16:02:28.123Z'));
		expect(plainIsoTimeOf('2024-02-29T23:59:59-05:30')).toBe(Date.UTC(2024, 2, 1, 5, 29, 59));
		for (const left of ['2026-02-29T00:00:00Z', '2026-12-02T24:00:00Z', '2026-12-02T23:59:60Z', '2026-12-02t10:00:00Z', '2026-12-02T10:00Z', '2026-12-02T10:00:00.Z']) {
			expect(plainIsoTimeOf(left)).toBeUndefined();
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
