import type { IDataObject } from 'n8n-workflow';

import { classifyConversationUpdate, idToString, isPlainObject, lookUp, mapStatus, textOrNull } from '../../shared/normalize';
import type { Changes, Conversation, ConversationEvent, EventType, Message } from '../../shared/types';
import { normalizeConversation, normalizeMessage, socialBoardsTime, TICKET_STATUS, VENDOR } from '../normalize';

/** What each event item of a delivery carries: a chat (A14: `Conversation`, and `Message` for messages) or a `Ticket`. */
export interface SocialBoardsEventKind {
	carries: 'chat' | 'ticket';
	/** The common event type; a ticket status change is classified by its new status. */
	type?: EventType;
}

/** The event types SocialBoards documents: four chat events and the one ticket event it shows (`ticket_status_change`). */
export const SOCIALBOARDS_EVENTS: Record<string, SocialBoardsEventKind> = {
	conversation_created: { carries: 'chat', type: 'conversation.created' },
	conversation_message_added: { carries: 'chat', type: 'message.created' },
	conversation_takeover_state_changed: { carries: 'chat', type: 'conversation.handover' },
	conversation_closed: { carries: 'chat', type: 'conversation.closed' },
	ticket_status_change: { carries: 'ticket' },
};

/** Webhook bodies spell in PascalCase the fields REST answers spell in camelCase (`Id` → `id`, `IsClosed` → `isClosed`). */
export function camelCaseKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(camelCaseKeys);
	if (!isPlainObject(value)) return value;
	// fromEntries defines own properties, so a key `__proto__` stays a key and never becomes the prototype.
	return Object.fromEntries(Object.entries(value).map(([key, inner]) => [`${key.charAt(0).toLowerCase()}${key.slice(1)}`, camelCaseKeys(inner)]));
}

/** One event item of a delivery, with what its envelope says about it. */
export interface SocialBoardsEventInput {
	eventType: string;
	/** The event item exactly as it arrived (PascalCase). */
	item: IDataObject;
	/** The delivery's `TicketId`; one stored version of the docs leaves it out. */
	ticketId: unknown;
	/** The delivery body with only this event in `Events`, for Include Raw Payload. */
	raw: IDataObject;
	eventId: string;
	signatureVerified: boolean | null;
	receivedAt: string;
	includeRaw: boolean;
}

interface EventParts {
	type: EventType;
	conversation: Conversation | null;
	message: Message | null;
	changes: Changes | null;
}

/** A chat event's conversation id: the conversation's own, else the item's `ConversationId`, else the delivery's `TicketId`. */
const chatIdOf = (item: IDataObject, ticketId: unknown) =>
	((isPlainObject(item.conversation) ? item.conversation.id : undefined) ?? item.conversationId ?? ticketId) as IDataObject[string];

/**
 * Whether an event item names the object its event is about (without that id there is nothing to emit), read as
 * the normalizer reads it; a message event needs its message, with its id, too. Items of unknown event types pass.
 */
export function namesItsObject(eventType: string, rawItem: IDataObject, ticketId: unknown): boolean {
	const kind = lookUp(SOCIALBOARDS_EVENTS, eventType);
	const item = camelCaseKeys(rawItem) as IDataObject;
	if (kind?.carries === 'ticket') return isPlainObject(item.ticket) && idToString(item.ticket.id) !== null;
	if (kind?.carries !== 'chat') return true;
	if (idToString(chatIdOf(item, ticketId)) === null) return false;
	return eventType !== 'conversation_message_added' || (isPlainObject(item.message) && idToString(item.message.id) !== null);
}

function chatEventParts(kind: SocialBoardsEventKind, eventType: string, item: IDataObject, ticketId: unknown): EventParts {
	const chat = isPlainObject(item.conversation) ? item.conversation : {};
	const conversation = normalizeConversation(null, { ...chat, id: chatIdOf(item, ticketId) }, null, { webUrl: item.inboxLink });
	const message = eventType === 'conversation_message_added' && isPlainObject(item.message) ? normalizeMessage(item.message, conversation.id) : null;
	let changes: Changes | null = null;
	// A14: the takeover event carries the new state; the one before it was the other.
	if (eventType === 'conversation_takeover_state_changed' && typeof chat.isTakeoverEnabled === 'boolean') {
		changes = { isTakeoverEnabled: { from: !chat.isTakeoverEnabled, to: chat.isTakeoverEnabled } };
	}
	return { type: kind.type ?? 'other', conversation, message, changes };
}

/** `PreviousTicketStatus` is the status before the change (the docs' example fits only that reading); `Ticket.Status` the new one. */
function ticketEventParts(item: IDataObject): EventParts {
	const ticket = isPlainObject(item.ticket) ? item.ticket : {};
	const conversation = normalizeConversation(ticket, null, null, { webUrl: item.inboxLink });
	const from = textOrNull(item.previousTicketStatus);
	const to = textOrNull(ticket.status);
	const type = classifyConversationUpdate({
		becameClosed: mapStatus(TICKET_STATUS, to).status === 'closed',
		statusChanged: true,
		assigneeChanged: false,
		tagsChanged: false,
	});
	return { type, conversation, message: null, changes: { status: { from, to } } };
}

/** An event type the trigger does not know: whatever object it names, as `other`. */
function otherEventParts(item: IDataObject, ticketId: unknown): EventParts {
	let conversation: Conversation | null = null;
	if (isPlainObject(item.ticket) && idToString(item.ticket.id) !== null) conversation = normalizeConversation(item.ticket, null, null, { webUrl: item.inboxLink });
	else if (idToString(chatIdOf(item, ticketId)) !== null) {
		const chat = isPlainObject(item.conversation) ? item.conversation : {};
		conversation = normalizeConversation(null, { ...chat, id: chatIdOf(item, ticketId) }, null, { webUrl: item.inboxLink });
	}
	return { type: 'other', conversation, message: null, changes: null };
}

/** One SocialBoards event item as the common Event; `occurredAt` is its `EventTime`, null where it has none (ticket events). */
export function normalizeSocialBoardsEvent(input: SocialBoardsEventInput): ConversationEvent {
	const item = camelCaseKeys(input.item) as IDataObject;
	const kind = lookUp(SOCIALBOARDS_EVENTS, input.eventType);
	let parts: EventParts;
	if (kind?.carries === 'chat') parts = chatEventParts(kind, input.eventType, item, input.ticketId);
	else if (kind?.carries === 'ticket') parts = ticketEventParts(item);
	else parts = otherEventParts(item, input.ticketId);
	const event: ConversationEvent = {
		schemaVersion: 1,
		vendor: VENDOR,
		type: parts.type,
		vendorEventType: input.eventType,
		eventId: input.eventId,
		occurredAt: socialBoardsTime(item.eventTime),
		receivedAt: input.receivedAt,
		conversation: parts.conversation,
		message: parts.message,
		changes: parts.changes,
		delivery: { id: null, signatureVerified: input.signatureVerified, source: 'webhook' },
	};
	if (input.includeRaw) event.raw = input.raw;
	return event;
}
