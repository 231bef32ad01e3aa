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

/** Years vendors use to mean "no date" (9999-01-01, 0001-01-01) rather than a real moment. */
const SENTINEL_YEARS = new Set([1, 9999]);

const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Years ISO 8601 writes with four digits; others (+010000, -000001) are no vendor's real moment. */
function isFourDigitYear(year: number): boolean {
	return year >= 0 && year <= 9999;
}

/**
 * Any vendor time (ISO with Z or an offset, a zone-less date and time read as UTC, unix seconds or milliseconds, Date) as UTC ISO 8601 with
 * milliseconds and a Z; null for absent, unparsable and sentinel values.
 */
export function toUtcIso(value: unknown): string | null {
	if (value === null || value === undefined || value === '' || value === 0) return null;
	let date: Date;
	if (value instanceof Date) {
		date = value;
	} else if (typeof value === 'number') {
		date = new Date(value < 1e12 ? value * 1000 : value);
	} else if (typeof value === 'string') {
		const trimmed = value.trim();
		if (/^\d+$/.test(trimmed)) return toUtcIso(Number(trimmed));
		const iso = trimmed.includes('T') ? trimmed : trimmed.replace(' ', 'T');
		// A date and time without a zone is UTC, whatever the host's zone (JavaScript would read it as local time).
		date = new Date(ZONELESS_DATE_TIME.test(iso) ? `${iso}Z` : iso);
	} else {
		return null;
	}
	const time = date.getTime();
	if (Number.isNaN(time) || time === 0 || SENTINEL_YEARS.has(date.getUTCFullYear()) || !isFourDigitYear(date.getUTCFullYear())) return null;
	return date.toISOString();
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

export function mapStatus(table: StatusTable, vendorStatus: unknown): Required<StatusMapping> {
	const entry = lookUp(table, vendorStatus);
	return {
		status: entry?.status ?? 'unknown',
		closedReason: entry?.closedReason ?? null,
		handledBy: entry?.handledBy ?? null,
	};
}

export function contactOrNull(fields: {
	id?: unknown;
	name?: unknown;
	email?: unknown;
	phone?: unknown;
}): Contact | null {
	const contact: Contact = {
		id: idToString(fields.id),
		name: textOrNull(fields.name),
		email: textOrNull(fields.email),
		phone: textOrNull(fields.phone),
	};
	return Object.values(contact).every((v) => v === null) ? null : contact;
}

export function globalId(vendor: Vendor, id: string): string {
	return `${vendor}:${id}`;
}

type ConversationFields = Partial<Omit<Conversation, 'schemaVersion' | 'vendor' | 'id' | 'globalId'>>;

/** A complete Conversation: every key present, whatever the vendor did not give is null. */
export function buildConversation(vendor: Vendor, id: string, fields: ConversationFields): Conversation {
	return {
		schemaVersion: 1,
		vendor,
		id,
		globalId: globalId(vendor, id),
		status: 'unknown',
		closedReason: null,
		vendorStatus: null,
		handledBy: null,
		channel: null,
		title: null,
		summary: null,
		preview: null,
		contact: null,
		assignee: null,
		tags: null,
		priority: null,
		createdAt: null,
		updatedAt: null,
		lastMessageAt: null,
		closedAt: null,
		deleted: false,
		messageCount: null,
		webUrl: null,
		attributes: {},
		...fields,
	};
}

type MessageFields = Partial<Omit<Message, 'schemaVersion' | 'vendor' | 'conversationId'>> &
	Pick<Message, 'direction' | 'authorRole'>;

export function buildMessage(vendor: Vendor, conversationId: string, fields: MessageFields): Message {
	return {
		schemaVersion: 1,
		vendor,
		id: null,
		conversationId,
		author: null,
		text: null,
		isPrivate: false,
		createdAt: null,
		attachments: [],
		...fields,
	};
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

function snakeCase(key: string): string {
	return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Deep copy with camelCase keys turned snake_case: lets webhook bodies share the REST normalizer. */
export function snakeCaseKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(snakeCaseKeys);
	if (!isPlainObject(value)) return value;
	const result: IDataObject = {};
	for (const [key, inner] of Object.entries(value)) {
		result[snakeCase(key)] = snakeCaseKeys(inner) as IDataObject[keyof IDataObject];
	}
	return result;
}
