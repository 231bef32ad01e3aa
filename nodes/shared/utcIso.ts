/**
 * UTC ISO 8601 text of a time value, as `Date.prototype.toISOString` writes it for years 0 to 9999
 * (`2026-12-02T04:14:00.632Z`), without a Date object: V8's `toISOString` costs one to two microseconds a call,
 * and a webhook delivery or a listed conversation formats several times.
 */

const MS_PER_DAY = 86_400_000;

const DIGIT_0 = 0x30;

/**
 * The proleptic Gregorian year, month (1–12) and day of a count of days since 1970-01-01 (the "civil from days"
 * algorithm: whole 400-year eras, then the year of the era counted from March, so that leap days come last).
 */
function civilFromDays(days: number): { year: number; month: number; day: number } {
	const shifted = days + 719_468;
	const era = Math.floor(shifted / 146_097);
	const dayOfEra = shifted - era * 146_097;
	const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
	const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
	return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The UTC year of a time value (epoch milliseconds, a whole number). */
export function utcYearOf(timeMs: number): number {
	return civilFromDays(Math.floor(timeMs / MS_PER_DAY)).year;
}

/**
 * `new Date(timeMs).toISOString()` for a whole number of epoch milliseconds whose year lies from 0 to 9999
 * (outside that range toISOString writes six-digit years, which no caller here emits). Written with one
 * `String.fromCharCode`, so that the text is one flat string of 24 characters, as toISOString's is: text joined
 * from pieces is a tree of pieces in V8 (about 320 bytes instead of about 50 held per time, and every listed
 * conversation keeps several).
 */
export function utcIsoOf(timeMs: number): string {
	const days = Math.floor(timeMs / MS_PER_DAY);
	let rest = timeMs - days * MS_PER_DAY;
	const { year, month, day } = civilFromDays(days);
	const hours = Math.floor(rest / 3_600_000);
	rest -= hours * 3_600_000;
	const minutes = Math.floor(rest / 60_000);
	rest -= minutes * 60_000;
	const seconds = Math.floor(rest / 1000);
	const milliseconds = rest - seconds * 1000;
	return String.fromCharCode(
		DIGIT_0 + Math.floor(year / 1000),
		DIGIT_0 + (Math.floor(year / 100) % 10),
		DIGIT_0 + (Math.floor(year / 10) % 10),
		DIGIT_0 + (year % 10),
		0x2d, // -
		DIGIT_0 + Math.floor(month / 10),
		DIGIT_0 + (month % 10),
		0x2d,
		DIGIT_0 + Math.floor(day / 10),
		DIGIT_0 + (day % 10),
		0x54, // T
		DIGIT_0 + Math.floor(hours / 10),
		DIGIT_0 + (hours % 10),
		0x3a, // :
		DIGIT_0 + Math.floor(minutes / 10),
		DIGIT_0 + (minutes % 10),
		0x3a,
		DIGIT_0 + Math.floor(seconds / 10),
		DIGIT_0 + (seconds % 10),
		0x2e, // .
		DIGIT_0 + Math.floor(milliseconds / 100),
		DIGIT_0 + (Math.floor(milliseconds / 10) % 10),
		DIGIT_0 + (milliseconds % 10),
		0x5a, // Z
	);
}
