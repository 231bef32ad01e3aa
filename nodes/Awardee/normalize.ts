import type { IDataObject } from 'n8n-workflow';

import {
	buildConversation,
	buildMessage,
	classifyConversationUpdate,
	contactOrNull,
	idToString,
	isPlainObject,
	lookUp,
	mapStatus,
	requireId,
	pickAttributes,
	readChanges,
	snakeCaseKeys,
	textOrNull,
	toUtcIso,
} from '../shared/normalize';
import type { StatusTable } from '../shared/normalize';
import type { Attachment, Conversation, ConversationEvent, Message, Priority, TagRef } from '../shared/types';

/** Awardee's six statuses on the common scale; handing off to a human reads as `pending`. */
export const AWARDEE_STATUS: StatusTable = {
	bot_active: { status: 'open', handledBy: 'bot' },
	agent_requested: { status: 'pending', handledBy: 'human' },
	open: { status: 'open', handledBy: 'human' },
	resolved: { status: 'resolved', handledBy: 'human' },
	closed: { status: 'closed', closedReason: 'ended' },
	archived: { status: 'closed', closedReason: 'archived' },
};

const PRIORITY: Record<string, Priority> = { low: 'low', medium: 'normal', high: 'high' };

const CONVERSATION_ATTRIBUTES = [
	'chatbot_id',
	'org_id',
	'sentiment_score',
	'resolved_at',
	'qr_code_id',
	'product_id',
	'object_id',
];

export function normalizeTags(tags: IDataObject[] | null | undefined): TagRef[] | null {
	if (!tags) return null;
	return tags.map((tag) => ({ id: idToString(tag.id), name: textOrNull(tag.name) }));
}

/** The id every conversation must have to be emitted in any output mode. */
export function conversationId(raw: IDataObject): string {
	return requireId('Awardee', 'a conversation', isPlainObject(raw) ? raw.id : undefined);
}

/** A REST conversation (snake_case) in the common shape; `tags` are given when they were loaded. */
export function normalizeConversation(raw: IDataObject, tags?: IDataObject[] | null): Conversation {
	const id = conversationId(raw);
	const { status, closedReason, handledBy } = mapStatus(AWARDEE_STATUS, raw.status);
	const assignee = idToString(raw.assigned_to);
	return buildConversation('awardee', id, {
		status,
		closedReason,
		handledBy,
		vendorStatus: textOrNull(raw.status),
		channel: 'web_chat',
		title: textOrNull(raw.title),
		summary: textOrNull(raw.summary),
		preview: textOrNull(raw.last_message_preview),
		contact: contactOrNull({ name: raw.contact_name, email: raw.contact_email, phone: raw.contact_phone }),
		assignee: assignee ? { type: 'user', id: assignee, name: null } : null,
		tags: normalizeTags(tags),
		priority: lookUp(PRIORITY, raw.priority) ?? null,
		createdAt: toUtcIso(raw.created_at),
		updatedAt: toUtcIso(raw.updated_at),
		lastMessageAt: toUtcIso(raw.last_message_at),
		closedAt: toUtcIso(raw.closed_at),
		attributes: pickAttributes(raw, CONVERSATION_ATTRIBUTES),
	});
}

/** A message's parts in their `order` (the sort is stable: parts without one keep their place among equals). */
function partsOf(raw: IDataObject): IDataObject[] {
	const parts = Array.isArray(raw.parts) ? (raw.parts as unknown[]).filter(isPlainObject) : [];
	return parts.sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
}

/** Awardee marks API replies with `metadata.source = "api"`: those are the package's own messages. */
export function isApiReply(raw: IDataObject): boolean {
	return isPlainObject(raw.metadata) && raw.metadata.source === 'api';
}

/** The conversation a message belongs to: its own field, else the one it was listed under. */
function messageConversationId(raw: IDataObject, listedUnder: string | undefined): string {
	return idToString(raw.conversation_id) ?? requireId('Awardee', 'a message', listedUnder);
}

/** A REST message (snake_case): visitor → inbound, API reply → agent, other assistant → bot, system → marker. */
export function normalizeMessage(raw: IDataObject, conversationId?: string): Message {
	const texts: string[] = [];
	const attachments: Attachment[] = [];
	const toolCalls: unknown[] = [];
	for (const part of partsOf(raw)) {
		const text = textOrNull(part.text);
		if (text !== null) texts.push(text);
		const url = textOrNull(part.file_url);
		if (url !== null) {
			attachments.push({ url, name: textOrNull(part.file_filename), mimeType: textOrNull(part.file_media_type) });
		}
		if (textOrNull(part.tool_name) !== null) toolCalls.push(part.tool_name);
	}
	const role = raw.role;
	const apiReply = isApiReply(raw);
	const direction = role === 'user' ? 'inbound' : role === 'assistant' ? 'outbound' : 'internal';
	const authorRole = role === 'user' ? 'contact' : role === 'assistant' ? (apiReply ? 'agent' : 'bot') : 'system';
	const attributes: IDataObject = { role: textOrNull(role) };
	if (isPlainObject(raw.metadata)) attributes.metadata = raw.metadata;
	if (toolCalls.length > 0) attributes.tool_names = toolCalls;
	return buildMessage('awardee', messageConversationId(raw, conversationId), {
		id: idToString(raw.id),
		direction,
		authorRole,
		text: texts.length > 0 ? texts.join('\n') : null,
		createdAt: toUtcIso(raw.created_at),
		attachments,
		attributes,
	});
}

/** An internal note: never shown to the visitor, written by an agent (or an API key). */
export function normalizeNote(raw: IDataObject, conversationId?: string): Message {
	const authorId = idToString(raw.author_id);
	return buildMessage('awardee', messageConversationId(raw, conversationId), {
		id: idToString(raw.id),
		direction: 'internal',
		authorRole: 'agent',
		author: authorId ? { id: authorId, name: null, email: null } : null,
		text: textOrNull(raw.content),
		isPrivate: true,
		createdAt: toUtcIso(raw.created_at),
		attributes: { object: 'conversation_note' },
	});
}

export interface AwardeeDelivery {
	eventType: string;
	deliveryId: string;
	body: IDataObject;
	signatureVerified: boolean | null;
	receivedAt: string;
	includeRaw: boolean;
}

const ASSIGNEE_FIELDS = ['assignedTo', 'assigned_to'];
const TAG_FIELDS = ['tags', 'tagIds', 'tag_ids'];

/**
 * A webhook body (camelCase) as the common event. Webhook objects are the REST objects in camelCase, so
 * they go through the same normalizers once their keys are snake_case again.
 */
export function normalizeDelivery(delivery: AwardeeDelivery): ConversationEvent {
	const { body, eventType } = delivery;
	const conversationRaw = isPlainObject(body.conversation)
		? (snakeCaseKeys(body.conversation) as IDataObject)
		: null;
	const messageRaw = isPlainObject(body.message) ? (snakeCaseKeys(body.message) as IDataObject) : null;
	// A delivery whose objects lack the ids they need still becomes an event, with those objects null.
	const conversation = conversationRaw && idToString(conversationRaw.id) !== null ? normalizeConversation(conversationRaw) : null;
	const messageConversation = messageRaw ? (idToString(messageRaw.conversation_id) ?? conversation?.id) : undefined;
	const message = messageRaw && messageConversation ? normalizeMessage(messageRaw, messageConversation) : null;
	const changes = readChanges(body.changes);

	let type: ConversationEvent['type'] = 'other';
	let occurredAt: string | null = null;
	if (eventType === 'conversation.created') {
		type = 'conversation.created';
		occurredAt = conversation?.createdAt ?? null;
	} else if (eventType === 'conversation.updated') {
		const statusTo = changes?.status?.to;
		type = classifyConversationUpdate({
			statusChanged: changes?.status !== undefined,
			becameClosed: changes?.status !== undefined && mapStatus(AWARDEE_STATUS, statusTo).status === 'closed',
			assigneeChanged: ASSIGNEE_FIELDS.some((field) => changes?.[field] !== undefined),
			tagsChanged: TAG_FIELDS.some((field) => changes?.[field] !== undefined),
		});
		occurredAt = conversation?.updatedAt ?? null;
	} else if (eventType === 'message.created') {
		type = 'message.created';
		occurredAt = message?.createdAt ?? null;
	}

	const event: ConversationEvent = {
		schemaVersion: 1,
		vendor: 'awardee',
		type,
		vendorEventType: eventType,
		eventId: delivery.deliveryId,
		occurredAt,
		receivedAt: delivery.receivedAt,
		conversation,
		message,
		changes,
		delivery: { id: delivery.deliveryId, signatureVerified: delivery.signatureVerified, source: 'webhook' },
	};
	if (delivery.includeRaw) event.raw = body;
	return event;
}
