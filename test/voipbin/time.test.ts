import fc from 'fast-check';

import { utcIsoOfMatch } from '../../nodes/shared/utcIso';
import { voipbinTime } from '../../nodes/Voipbin/normalize';
import { fuzz } from '../fuzz/settings';

/** voipbinTime as it was written on its pattern alone, before the plain RFC 3339 form was read without it: the rule it must keep. */
function byPattern(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
	return match ? utcIsoOfMatch(match) : null;
}

const digits = (count: number, max = 10 ** count - 1) => fc.integer({ min: 0, max }).map((value) => String(value).padStart(count, '0'));

/** Times in and around VoIPbin's forms: every field sometimes out of its range, both separators and cases, zones with and without a colon. */
const time = fc
	.record({
		year: fc.oneof(digits(4), fc.constantFrom('0001', '0099', '0100', '1970', '2026', '9998', '9999')),
		month: fc.oneof(digits(2, 12), digits(2)),
		day: fc.oneof(digits(2, 31), digits(2)),
		hour: fc.oneof(digits(2, 23), digits(2)),
		minute: fc.oneof(digits(2, 59), digits(2)),
		second: fc.oneof(digits(2, 59), digits(2)),
		separator: fc.constantFrom('T', ' ', 't', 'X'),
		fraction: fc.oneof(fc.constant(''), fc.constant('.'), fc.stringMatching(/^\.\d{1,9}$/)),
		zone: fc.oneof(
			fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+0900', 'UTC'),
			fc.tuple(fc.constantFrom('+', '-'), digits(2), fc.constantFrom(':', ''), digits(2)).map((parts) => parts.join('')),
		),
		padding: fc.constantFrom('', ' ', '\t'),
	})
	.map(({ year, month, day, hour, minute, second, separator, fraction, zone, padding }) => `${padding}${year}-${month}-${day}${separator}${hour}:${minute}:${second}${fraction}${zone}${padding}`);

describe('VoIPbin times', () => {
	it('reads every time as its pattern reads it, the plain RFC 3339 form without the pattern included', () => {
		fc.assert(
			fc.property(time, (value) => {
				expect(voipbinTime(value)).toBe(byPattern(value));
			}),
			fuzz(20_000),
		);
		for (const value of ['0099-12-31T23:59:59Z', '0100-01-01T00:00:00Z', '9998-12-31T23:59:59.999999+00:00', '2026-02-29T00:00:00Z', '2024-02-29T12:00:00.5-12:30']) {
			expect(voipbinTime(value)).toBe(byPattern(value));
		}
	});
});
