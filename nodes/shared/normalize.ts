import type { IDataObject } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import type {
	Changes,
	ClosedReason,
	Contact,
	Conversation,
	ConversationStatus,
	EventType,
	HandledBy,
	Message,
	Vendor,
} from './types';

const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const MS_PER_DAY = 86_400_000;

/** The most a time value can be away from 1970 (ECMAScript's TimeClip): beyond it a Date is invalid. */
const MAX_TIME_MS = 8.64e15;

/** A number of milliseconds as a Date would hold it: whole, and NaN beyond the range a Date can hold. */
function timeClip(ms: number): number {
	return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? Math.trunc(ms) + 0 : Number.NaN;
}

const DIGIT_0 = 48;

/**
 * 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z: the time values of the years ISO 8601 writes with four
 * digits; others (+010000, -000001) are no vendor's real moment.
 */
const FIRST_FOUR_DIGIT_MS = -62_167_219_200_000;
const AFTER_FOUR_DIGIT_MS = 253_402_300_800_000;

/** Years vendors use to mean "no date" (0001-01-01, 9999-01-01) rather than a real moment: [start, end) of each. */
const YEAR_1_MS = [-62_135_596_800_000, -62_104_060_800_000] as const;
const YEAR_9999_MS = [253_370_764_800_000, AFTER_FOUR_DIGIT_MS] as const;

/**
 * A valid time value (whole epoch ms) as `new Date(time).toISOString()` writes it. For the four-digit years the
 * text is worked out from the days since 1970 (the proleptic Gregorian calendar, as Date counts), because
 * `toISOString` costs about four times as much and every listed object has several times; it is one flat string,
 * as `toISOString` makes. Other years go through Date.
 */
export function isoOfTime(time: number): string {
	if (time < FIRST_FOUR_DIGIT_MS || time >= AFTER_FOUR_DIGIT_MS) return new Date(time).toISOString();
	const days = Math.floor(time / MS_PER_DAY);
	const msOfDay = time - days * MS_PER_DAY;
	// Days to civil date (H. Hinnant's civil_from_days), in 400-year eras of 146,097 days from 0000-03-01.
	const shifted = days + 719_468;
	const era = Math.floor(shifted / 146_097);
	const dayOfEra = shifted - era * 146_097;
	const yearOfEra = Math.floor(
		(dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
	);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
	const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	const hours = Math.floor(msOfDay / 3_600_000);
	const minutes = Math.floor(msOfDay / 60_000) % 60;
	const seconds = Math.floor(msOfDay / 1000) % 60;
	const ms = msOfDay % 1000;
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
		DIGIT_0 + Math.floor(ms / 100),
		DIGIT_0 + (Math.floor(ms / 10) % 10),
		DIGIT_0 + (ms % 10),
		0x5a, // Z
	);
}

/** Whether a valid time value falls in a four-digit year other than the sentinels 1 and 9999. */
function isRealMoment(time: number): boolean {
	return (
		time >= FIRST_FOUR_DIGIT_MS &&
		time < YEAR_9999_MS[0] &&
		!(time >= YEAR_1_MS[0] && time < YEAR_1_MS[1])
	);
}

/**
 * Whether a text can be a zone-less date and time at all (ends in a digit, no `+`, no `-` past the date): the
 * pattern is tried only then, as almost every vendor time carries its zone.
 */
function mayBeZoneless(iso: string): boolean {
	const last = iso.charCodeAt(iso.length - 1);
	return last >= DIGIT_0 && last <= DIGIT_0 + 9 && !iso.includes('+') && iso.lastIndexOf('-') < 10;
}

/**
 * Any vendor time (ISO with Z or an offset, a zone-less date and time read as UTC, unix seconds or milliseconds, Date) as UTC ISO 8601 with
 * milliseconds and a Z; null for absent, unparsable and sentinel values.
 */
export function toUtcIso(value: unknown): string | null {
	if (value === null || value === undefined || value === '' || value === 0) return null;
	let time: number;
	if (value instanceof Date) {
		time = value.getTime();
	} else if (typeof value === 'number') {
		time = timeClip(value < 1e12 ? value * 1000 : value);
	} else if (typeof value === 'string') {
		const trimmed = value.trim();
		// All digits: unix seconds or milliseconds (a date has its `-` at the fifth place, so it is not tried).
		if (trimmed.charCodeAt(4) !== 0x2d && /^\d+$/.test(trimmed)) return toUtcIso(Number(trimmed));
		const iso = trimmed.includes('T') ? trimmed : trimmed.replace(' ', 'T');
		// A date and time without a zone is UTC, whatever the host's zone (JavaScript would read it as local time).
		time = Date.parse(mayBeZoneless(iso) && ZONELESS_DATE_TIME.test(iso) ? `${iso}Z` : iso);
	} else {
		return null;
	}
	if (Number.isNaN(time) || time === 0 || !isRealMoment(time)) return null;
	return isoOfTime(time);
}

/** A vendor id (number or string) as a string; null for absent or empty ids and for values no id can be. */
export function idToString(value: unknown): string | null {
	if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return null;
	const text = String(value).trim();
	// No id spans lines; one that does could not be matched, put in a URL or keyed on.
	return text === '' || /[\n\r\u2028\u2029]/.test(text) ? null : text;
}

/**
 * The id an object must have to be emitted at all (the shapes require one): a vendor object without one is
 * a clear error rather than an item nobody can match to anything.
 */
export function requireId(vendorName: string, objectName: string, value: unknown): string {
	const id = idToString(value);
	if (id === null) throw new ApplicationError(`${vendorName} sent ${objectName} without a usable id`);
	return id;
}

/** A vendor object a listing emits as it is (Raw output): what is not an object cannot be an item. */
export function requireObject(vendorName: string, objectName: string, value: unknown): IDataObject {
	if (!isPlainObject(value)) throw new ApplicationError(`${vendorName} sent ${objectName} that is not an object`);
	return value;
}

/** A string field with empty and whitespace-only values read as absent. */
export function textOrNull(value: unknown): string | null {
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return null;
	return value.trim() === '' ? null : value;
}

export interface StatusMapping {
	status: ConversationStatus;
	closedReason?: ClosedReason;
	handledBy?: HandledBy;
}

/** A vendor's status vocabulary, mapped onto the common one. */
export type StatusTable = Record<string, StatusMapping>;

/** A vendor word looked up in one of our tables: only the table's own entries, never `constructor` or `valueOf`. */
export function lookUp<T>(table: Record<string, T>, word: unknown): T | undefined {
	return typeof word === 'string' && Object.prototype.hasOwnProperty.call(table, word) ? table[word] : undefined;
}

const UNKNOWN_STATUS: Readonly<Required<StatusMapping>> = Object.freeze({ status: 'unknown', closedReason: null, handledBy: null });

/** Each table's entries with every field filled in, made once per table rather than once per object. */
const completedTables = new WeakMap<StatusTable, Record<string, Readonly<Required<StatusMapping>>>>();

/** The common status of a vendor status word; the answer is shared, so read it, never change it. */
export function mapStatus(table: StatusTable, vendorStatus: unknown): Readonly<Required<StatusMapping>> {
	let completed = completedTables.get(table);
	if (!completed) {
		completed = {};
		for (const [word, entry] of Object.entries(table)) {
			completed[word] = Object.freeze({
				status: entry.status,
				closedReason: entry.closedReason ?? null,
				handledBy: entry.handledBy ?? null,
			});
		}
		completedTables.set(table, completed);
	}
	return lookUp(completed, vendorStatus) ?? UNKNOWN_STATUS;
}

export function contactOrNull(fields: {
	id?: unknown;
	name?: unknown;
	email?: unknown;
	phone?: unknown;
}): Contact | null {
	const id = idToString(fields.id);
	const name = textOrNull(fields.name);
	const email = textOrNull(fields.email);
	const phone = textOrNull(fields.phone);
	return id === null && name === null && email === null && phone === null ? null : { id, name, email, phone };
}

export function globalId(vendor: Vendor, id: string): string {
	return `${vendor}:${id}`;
}

type ConversationFields = Partial<Omit<Conversation, 'schemaVersion' | 'vendor' | 'id' | 'globalId'>>;

/**
 * A complete Conversation: every key present, in the schema's order; whatever the vendor did not give is null.
 * One object literal, as it is built once per listed conversation.
 */
export function buildConversation(vendor: Vendor, id: string, fields: ConversationFields): Conversation {
	const conversation: Conversation = {
		schemaVersion: 1,
		vendor,
		id,
		globalId: globalId(vendor, id),
		status: fields.status ?? 'unknown',
		closedReason: fields.closedReason ?? null,
		vendorStatus: fields.vendorStatus ?? null,
		handledBy: fields.handledBy ?? null,
		channel: fields.channel ?? null,
		title: fields.title ?? null,
		summary: fields.summary ?? null,
		preview: fields.preview ?? null,
		contact: fields.contact ?? null,
		assignee: fields.assignee ?? null,
		tags: fields.tags ?? null,
		priority: fields.priority ?? null,
		createdAt: fields.createdAt ?? null,
		updatedAt: fields.updatedAt ?? null,
		lastMessageAt: fields.lastMessageAt ?? null,
		closedAt: fields.closedAt ?? null,
		deleted: fields.deleted ?? false,
		messageCount: fields.messageCount ?? null,
		webUrl: fields.webUrl ?? null,
		attributes: fields.attributes ?? {},
	};
	if (fields.raw !== undefined) conversation.raw = fields.raw;
	return conversation;
}

type MessageFields = Partial<Omit<Message, 'schemaVersion' | 'vendor' | 'conversationId'>> &
	Pick<Message, 'direction' | 'authorRole'>;

/** A complete Message in one object literal; `direction` and `authorRole` follow the attachments, as ever. */
export function buildMessage(vendor: Vendor, conversationId: string, fields: MessageFields): Message {
	const message: Message = {
		schemaVersion: 1,
		vendor,
		id: fields.id ?? null,
		conversationId,
		author: fields.author ?? null,
		text: fields.text ?? null,
		isPrivate: fields.isPrivate ?? false,
		createdAt: fields.createdAt ?? null,
		attachments: fields.attachments ?? [],
		direction: fields.direction,
		authorRole: fields.authorRole,
	};
	if (fields.attributes !== undefined) message.attributes = fields.attributes;
	if (fields.raw !== undefined) message.raw = fields.raw;
	return message;
}

/** Attributes keep the vendor's own field names; absent values are left out rather than set to null. */
export function pickAttributes(source: IDataObject, keys: string[]): IDataObject {
	const attributes: IDataObject = {};
	for (const key of keys) {
		const value = source[key];
		if (value !== undefined && value !== null) attributes[key] = value;
	}
	return attributes;
}

/**
 * The event type of a vendor's generic "updated" delivery, by the package-wide precedence:
 * closed, then status change, then assignment, then tags, else plain update.
 */
export function classifyConversationUpdate(change: {
	becameClosed: boolean;
	statusChanged: boolean;
	assigneeChanged: boolean;
	tagsChanged: boolean;
}): EventType {
	if (change.becameClosed) return 'conversation.closed';
	if (change.statusChanged) return 'conversation.status_changed';
	if (change.assigneeChanged) return 'conversation.assigned';
	if (change.tagsChanged) return 'conversation.tags_changed';
	return 'conversation.updated';
}

/** Reads a vendor's `{ field: { from, to } }` diff, dropping entries that are not from/to pairs. */
export function readChanges(value: unknown): Changes | null {
	if (!isPlainObject(value)) return null;
	const changes: Changes = {};
	for (const [field, pair] of Object.entries(value)) {
		if (isPlainObject(pair) && ('from' in pair || 'to' in pair)) {
			changes[field] = { from: pair.from ?? null, to: pair.to ?? null };
		}
	}
	return Object.keys(changes).length > 0 ? changes : null;
}

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Webhook bodies use a small, fixed set of keys: each is converted once (bounded, for keys out of user data). */
const snakeCased = new Map<string, string>();
const MAX_SNAKE_CASED = 2000;

function snakeCase(key: string): string {
	let converted = snakeCased.get(key);
	if (converted === undefined) {
		converted = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
		if (snakeCased.size >= MAX_SNAKE_CASED) snakeCased.clear();
		snakeCased.set(key, converted);
	}
	return converted;
}

/** Deep copy with camelCase keys turned snake_case: lets webhook bodies share the REST normalizer. */
export function snakeCaseKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(snakeCaseKeys);
	if (!isPlainObject(value)) return value;
	const result: IDataObject = {};
	for (const key of Object.keys(value)) {
		result[snakeCase(key)] = snakeCaseKeys(value[key]) as IDataObject[keyof IDataObject];
	}
	return result;
}
