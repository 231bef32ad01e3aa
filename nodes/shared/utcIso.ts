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

/** The count of days since 1970-01-01 of a proleptic Gregorian date (the inverse of `civilFromDays`). */
function daysFromCivil(year: number, month: number, day: number): number {
	const marchYear = month <= 2 ? year - 1 : year;
	const era = Math.floor(marchYear / 400);
	const yearOfEra = marchYear - era * 400;
	const monthFromMarch = month > 2 ? month - 3 : month + 9;
	const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
	if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The number of two ASCII digits at `at`, or -1. */
function twoDigitsAt(text: string, at: number): number {
	const tens = text.charCodeAt(at) - DIGIT_0;
	const ones = text.charCodeAt(at + 1) - DIGIT_0;
	return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * The epoch milliseconds of an RFC 3339 date-time in its plain form, `YYYY-MM-DDTHH:MM:SS`, an optional
 * fraction, then `Z`, `±HH:MM` or nothing (read as UTC), which is how vendors write their times; undefined for
 * anything else, and for any field out of its range (a 30th of February, hour 24, second 60), which are left
 * to `Date.parse`. The same number `Date.parse` gives (the fraction's first three digits are the
 * milliseconds), at a fraction of its cost: V8 takes a third of a microsecond per call, and a listed
 * conversation carries several times.
 */
export function plainIsoTimeOf(text: string): number | undefined {
	const length = text.length;
	if (length < 19 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54) return undefined;
	if (text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return undefined;
	const century = twoDigitsAt(text, 0);
	const yearOfCentury = twoDigitsAt(text, 2);
	const month = twoDigitsAt(text, 5);
	const day = twoDigitsAt(text, 8);
	const hours = twoDigitsAt(text, 11);
	const minutes = twoDigitsAt(text, 14);
	const seconds = twoDigitsAt(text, 17);
	if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return undefined;
	if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
	const year = century * 100 + yearOfCentury;
	if (day > daysInMonth(year, month)) return undefined;
	let at = 19;
	let milliseconds = 0;
	if (at < length && text.charCodeAt(at) === 0x2e) {
		const first = ++at;
		for (let scale = 100; at < length; at++) {
			const digit = text.charCodeAt(at) - DIGIT_0;
			if (digit < 0 || digit > 9) break;
			milliseconds += digit * scale;
			scale /= 10;
		}
		if (at === first) return undefined;
		milliseconds = Math.floor(milliseconds);
	}
	let offsetMinutes = 0;
	if (at < length) {
		const sign = text.charCodeAt(at);
		if (sign === 0x5a /* Z */) {
			if (at + 1 !== length) return undefined;
		} else if ((sign === 0x2b || sign === 0x2d) && at + 6 === length && text.charCodeAt(at + 3) === 0x3a) {
			const offsetHours = twoDigitsAt(text, at + 1);
			const offsetRest = twoDigitsAt(text, at + 4);
			if (offsetHours < 0 || offsetHours > 23 || offsetRest < 0 || offsetRest > 59) return undefined;
			offsetMinutes = (sign === 0x2b ? 1 : -1) * (offsetHours * 60 + offsetRest);
		} else {
			return undefined;
		}
	}
	const dayStart = daysFromCivil(year, month, day) * MS_PER_DAY;
	return dayStart + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + milliseconds;
}

/** The UTC year of a time value (epoch milliseconds, a whole number). */
export function utcYearOf(timeMs: number): number {
	return civilFromDays(Math.floor(timeMs / MS_PER_DAY)).year;
}

/**
 * The UTC ISO text of a date-time matched by a vendor's pattern whose groups are, in order, year, month, day,
 * hour, minute, second, fraction and zone (`Z` or `±HH[:]MM`; none reads as UTC). The fraction's first three
 * digits are the milliseconds, cut, not rounded. Null for the years 1 and 9999, which vendors write for "never",
 * and for a time out of Date's range. Fields out of their range roll over as Date.UTC rolls them, which also
 * reads the years 0–99 as 1900–1999.
 */
export function utcIsoOfMatch(match: RegExpExecArray): string | null {
	const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
	if (Number(year) === 1 || Number(year) === 9999) return null;
	let offsetMinutes = 0;
	if (zone.toUpperCase() !== 'Z') {
		const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
		if (!offset) return null;
		const [, sign, hours, minutes] = offset;
		offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
	}
	const utcMs =
		Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) +
		Number(fraction.slice(0, 3).padEnd(3, '0')) -
		offsetMinutes * 60_000;
	// A sentinel year is gone: the time lies in the years 0–9999.
	return Number.isNaN(utcMs) ? null : utcIsoOf(utcMs);
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
