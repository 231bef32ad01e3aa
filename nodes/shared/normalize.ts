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
import { plainIsoTimeOf, utcIsoOf, utcYearOf } from './utcIso';

/** Years vendors use to mean "no date" (9999-01-01, 0001-01-01) rather than a real moment. */
const SENTINEL_YEARS = new Set([1, 9999]);

const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Years ISO 8601 writes with four digits; others (+010000, -000001) are no vendor's real moment. */
function isFourDigitYear(year: number): boolean {
	return year >= 0 && year <= 9999;
}

/**
 * Whether a text can be a zone-less date and time at all (ends in a digit, no `+`, no `-` past the date): the
 * pattern is tried only then, as almost every vendor time carries its zone.
 */
function mayBeZoneless(iso: string): boolean {
	const last = iso.charCodeAt(iso.length - 1);
	return last >= 0x30 && last <= 0x39 && !iso.includes('+') && iso.lastIndexOf('-') < 10;
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
		time = plainIsoTimeOf(iso) ?? Date.parse(mayBeZoneless(iso) && ZONELESS_DATE_TIME.test(iso) ? `${iso}Z` : iso);
	} else {
		return null;
	}
	if (Number.isNaN(time) || time === 0) return null;
	const year = utcYearOf(time);
	if (SENTINEL_YEARS.has(year) || !isFourDigitYear(year)) return null;
	return utcIsoOf(time);
}

/** The time value `new Date(ms)` holds: NaN beyond ±8.64e15 ms, else the whole milliseconds toward zero. */
function timeClip(ms: number): number {
	if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return Number.NaN;
	return Math.trunc(ms) + 0;
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
