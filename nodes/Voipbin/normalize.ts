import type { IDataObject } from 'n8n-workflow';

import {
	buildConversation,
	buildMessage,
	contactOrNull,
	idToString,
	isPlainObject,
	pickAttributes,
	requireId,
	textOrNull,
} from '../shared/normalize';
import { plainIsoTimeOf, utcIsoOf, utcIsoOfMatch } from '../shared/utcIso';
import type { Attachment, Author, Channel, Conversation, ConversationEvent, EventType, Message } from '../shared/types';
import { NIL_UUID } from './transport';

/** Years VoIPbin's docs use to mean "has not happened" (`9999-01-01 00:00:00.000000`). */
const SENTINEL_YEARS = new Set([1, 9999]);

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A VoIPbin time as UTC ISO with milliseconds, or null. Both forms VoIPbin writes are read: the current code's
 * RFC 3339 (`2026-05-03T08:12:44.512378Z`, `null` when unset) and the docs' zone-less
 * `2022-06-23 05:05:40.950834`, which is UTC on every host (never the host's local time), with the 9999 sentinel.
 * Microseconds are cut to milliseconds, not rounded, so a time never moves into the next millisecond.
 */
export function voipbinTime(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const text = value.trim();
	// The RFC 3339 form in its plain shape, read without the pattern: the same time for every field in its range in
	// the years 100 to 9998 (the pattern's reading, utcIsoOfMatch, takes the years 0–99 as 1900–1999 and 1 and 9999 as "never").
	const plain = plainIsoTimeOf(text);
	if (plain !== undefined) {
		const year = Number(text.slice(0, 4));
		if (year >= 100 && !SENTINEL_YEARS.has(year)) return utcIsoOf(plain);
	}
	const match = TIME.exec(text);
	return match ? utcIsoOfMatch(match) : null;
}

/** An owner id that names someone: the nil UUID and the empty string (the docs' webhook form) mean nobody. */
export function ownerIdOrNull(value: unknown): string | null {
	const id = idToString(value);
	return id === null || id === NIL_UUID ? null : id;
}

/** VoIPbin's conversation `type` (its channel); WhatsApp has no channel of its own in the common shape. */
const CHANNEL: Record<string, Channel> = {
	message: 'sms',
	line: 'line',
	email: 'email',
	webchat: 'web_chat',
	whatsapp: 'other',
};

function channelOf(type: unknown): Channel {
	if (typeof type !== 'string' || type === '') return null;
	// Own keys only: a type such as `toString` must not find Object's members.
	return Object.prototype.hasOwnProperty.call(CHANNEL, type) ? CHANNEL[type] : 'other';
}

function address(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

const CONVERSATION_ATTRIBUTES = ['customer_id', 'account_id', 'type', 'dialog_id', 'owner_type', 'self', 'peer'];

/** The id every conversation must have to be emitted in any output mode. */
export function conversationId(raw: IDataObject): string {
	return requireId('VoIPbin', 'a conversation', isPlainObject(raw) ? raw.id : undefined);
}

/**
 * A VoIPbin conversation in the common shape. VoIPbin conversations have no status, tags, priority or message
 * times: those stay `unknown`/null. `name` is the title and `detail` the summary; the peer is the contact.
 * One without a usable id (or not an object at all) is a clear error, never a conversation with an empty id.
 */
export function normalizeConversation(raw: IDataObject): Conversation {
	const id = conversationId(raw);
	const peer = address(raw.peer);
	const ownerId = ownerIdOrNull(raw.owner_id);
	const target = textOrNull(peer.target);
	return buildConversation('voipbin', id, {
		// While an agent owns a conversation, VoIPbin runs no flow on its inbound messages: a human handles it.
		handledBy: ownerId ? 'human' : null,
		channel: channelOf(raw.type),
		title: textOrNull(raw.name),
		summary: textOrNull(raw.detail),
		contact: contactOrNull({
			id: target,
			name: textOrNull(peer.target_name) ?? textOrNull(peer.name),
			email: peer.type === 'email' ? target : null,
			phone: peer.type === 'tel' ? target : null,
		}),
		assignee: ownerId ? { type: 'agent', id: ownerId, name: null } : null,
		createdAt: voipbinTime(raw.tm_create),
		updatedAt: voipbinTime(raw.tm_update),
		deleted: voipbinTime(raw.tm_delete) !== null,
		attributes: pickAttributes(raw, CONVERSATION_ATTRIBUTES),
	});
}

function authorOf(party: IDataObject): Author | null {
	const id = textOrNull(party.target);
	const name = textOrNull(party.target_name) ?? textOrNull(party.name);
	if (id === null && name === null) return null;
	return { id, name, email: party.type === 'email' ? id : null };
}

const MESSAGE_ATTRIBUTES = ['status', 'reference_type', 'reference_id', 'source', 'destination'];

/**
 * A conversation message: `incoming` is the contact's, `outgoing` is sent by the account (through the API or
 * the agent app, which VoIPbin does not tell apart) and reads as an agent's. The author is the sender (`source`).
 * Its conversation is its `conversation_id`, else the one it was listed under; with neither, a clear error.
 */
export function normalizeMessage(raw: IDataObject, listedUnder?: string): Message {
	const conversationId = isPlainObject(raw) ? idToString(raw.conversation_id) : null;
	if (!isPlainObject(raw)) raw = {};
	const incoming = raw.direction === 'incoming';
	const medias = Array.isArray(raw.medias) ? (raw.medias as IDataObject[]) : [];
	const attachments: Attachment[] = medias.map((media) => ({
		url: null,
		name: isPlainObject(media) ? textOrNull(media.filename) : null,
		mimeType: null,
	}));
	const attributes = pickAttributes(raw, MESSAGE_ATTRIBUTES);
	if (medias.length > 0) attributes.medias = medias;
	if (voipbinTime(raw.tm_delete) !== null) attributes.deleted = true;
	return buildMessage('voipbin', conversationId ?? requireId('VoIPbin', 'a message', listedUnder), {
		id: idToString(raw.id),
		direction: incoming ? 'inbound' : 'outbound',
		authorRole: incoming ? 'contact' : 'agent',
		author: authorOf(address(raw.source)),
		text: textOrNull(raw.text),
		createdAt: voipbinTime(raw.tm_create),
		attachments,
		attributes,
	});
}

/** The events the VoIPbin Trigger offers: VoIPbin's own names, with what each becomes. */
export const VOIPBIN_EVENT_TYPES: Record<string, { type: EventType; carries: 'conversation' | 'message' }> = {
	conversation_created: { type: 'conversation.created', carries: 'conversation' },
	// VoIPbin sends the conversation as it is after the change, without the previous values: which field changed
	// (an assignment, a rename) cannot be told from the delivery, so it stays a plain update.
	conversation_updated: { type: 'conversation.updated', carries: 'conversation' },
	conversation_message_created: { type: 'message.created', carries: 'message' },
	conversation_message_updated: { type: 'message.updated', carries: 'message' },
	conversation_message_deleted: { type: 'message.deleted', carries: 'message' },
};

export interface VoipbinDelivery {
	/** `{"type": "<event>", "data": {…}}` as VoIPbin sent it. */
	body: IDataObject;
	eventId: string;
	signatureVerified: boolean | null;
	receivedAt: string;
	includeRaw: boolean;
}

/**
 * One VoIPbin webhook delivery as a normalized event. A conversation event carries the conversation, a message
 * event only the message (its `conversationId` names the conversation). VoIPbin sends no delivery id: the event
 * id is the hash of the raw body, which VoIPbin's retries repeat byte for byte.
 */
export function normalizeEvent(delivery: VoipbinDelivery): ConversationEvent {
	const vendorEventType = String(delivery.body.type);
	const data = isPlainObject(delivery.body.data) ? delivery.body.data : {};
	// Own keys only: an event named `toString` must not find Object's members.
	const known = Object.prototype.hasOwnProperty.call(VOIPBIN_EVENT_TYPES, vendorEventType) ? VOIPBIN_EVENT_TYPES[vendorEventType] : undefined;
	// A delivery whose object lacks the id it needs still becomes an event, with that object null.
	const conversation = known?.carries === 'conversation' && idToString(data.id) !== null ? normalizeConversation(data) : null;
	const message = known?.carries === 'message' && idToString(data.conversation_id) !== null ? normalizeMessage(data) : null;
	let occurredAt: string | null = null;
	if (vendorEventType === 'conversation_created') occurredAt = conversation?.createdAt ?? null;
	else if (vendorEventType === 'conversation_updated') occurredAt = conversation?.updatedAt ?? null;
	else if (vendorEventType === 'conversation_message_created') occurredAt = message?.createdAt ?? null;
	else if (vendorEventType === 'conversation_message_updated') occurredAt = voipbinTime(data.tm_update);
	else if (vendorEventType === 'conversation_message_deleted') occurredAt = voipbinTime(data.tm_delete);
	const event: ConversationEvent = {
		schemaVersion: 1,
		vendor: 'voipbin',
		type: known?.type ?? 'other',
		vendorEventType,
		eventId: delivery.eventId,
		occurredAt,
		receivedAt: delivery.receivedAt,
		conversation,
		message,
		changes: null,
		delivery: { id: null, signatureVerified: delivery.signatureVerified, source: 'webhook' },
	};
	if (delivery.includeRaw) event.raw = delivery.body;
	return event;
}
