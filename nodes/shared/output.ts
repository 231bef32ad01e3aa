import type { IDataObject } from 'n8n-workflow';

import type { Conversation, Message } from './types';

export type OutputMode = 'normalized' | 'simplified' | 'raw';

/** At most ten flat fields, `id` first: what a no-code user maps into a CRM row. */
export function simplifyConversation(conversation: Conversation): IDataObject {
	return {
		id: conversation.id,
		globalId: conversation.globalId,
		status: conversation.status,
		title: conversation.title,
		contactName: conversation.contact?.name ?? null,
		contactEmail: conversation.contact?.email ?? null,
		contactPhone: conversation.contact?.phone ?? null,
		assigneeId: conversation.assignee?.id ?? null,
		preview: conversation.preview,
		lastMessageAt: conversation.lastMessageAt,
	};
}

export function simplifyMessage(message: Message): IDataObject {
	return {
		id: message.id,
		conversationId: message.conversationId,
		direction: message.direction,
		authorRole: message.authorRole,
		authorName: message.author?.name ?? null,
		text: message.text,
		isPrivate: message.isPrivate,
		createdAt: message.createdAt,
		attachmentCount: message.attachments.length,
	};
}

/** One vendor object in the chosen output mode: its normalized form, a flat summary of it, or the vendor's JSON. */
export function renderRecord<T extends object>(
	mode: OutputMode,
	normalized: T,
	simplify: (record: T) => IDataObject,
	raw: IDataObject,
): IDataObject {
	if (mode === 'raw') return raw;
	if (mode === 'simplified') return simplify(normalized);
	return normalized as unknown as IDataObject;
}

export function renderConversation(mode: OutputMode, conversation: Conversation, raw: IDataObject): IDataObject {
	return renderRecord(mode, conversation, simplifyConversation, raw);
}

export function renderMessage(mode: OutputMode, message: Message, raw: IDataObject): IDataObject {
	return renderRecord(mode, message, simplifyMessage, raw);
}

/**
 * How each object of a listing becomes its output item, chosen once per listing. Raw passes the vendor's JSON
 * through without normalizing it; `check` still refuses what no item can be (a conversation without an id).
 */
export function listRenderer<T extends object>(
	mode: OutputMode,
	normalize: (raw: IDataObject) => T,
	simplify: (record: T) => IDataObject,
	check?: (raw: IDataObject) => unknown,
): (raw: IDataObject) => IDataObject {
	if (mode === 'raw') {
		return check
			? (raw) => {
					check(raw);
					return raw;
				}
			: (raw) => raw;
	}
	if (mode === 'simplified') return (raw) => simplify(normalize(raw));
	return (raw) => normalize(raw) as unknown as IDataObject;
}

export function conversationRenderer(
	mode: OutputMode,
	normalize: (raw: IDataObject) => Conversation,
	requireId: (raw: IDataObject) => unknown,
): (raw: IDataObject) => IDataObject {
	return listRenderer(mode, normalize, simplifyConversation, requireId);
}

export function messageRenderer(
	mode: OutputMode,
	normalize: (raw: IDataObject) => Message,
	check?: (raw: IDataObject) => unknown,
): (raw: IDataObject) => IDataObject {
	return listRenderer(mode, normalize, simplifyMessage, check);
}
