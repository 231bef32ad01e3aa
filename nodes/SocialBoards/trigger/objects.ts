import type { IDataObject } from 'n8n-workflow';

import {
	buildConversation,
	buildMessage,
	contactOrNull,
	idToString,
	isPlainObject,
	lookUp,
	mapStatus,
	pickAttributes,
	requireId,
	textOrNull,
	toUtcIso,
} from '../../shared/normalize';
import type { StatusTable } from '../../shared/normalize';
import type { Assignee, AuthorRole, Channel, Conversation, Direction, HandledBy, Message, TagRef } from '../../shared/types';

/**
 * SocialBoards' Chat and Ticket objects, in the camelCase of its REST answers, as the common shapes. The trigger
 * turns webhook bodies (PascalCase) into this casing first, so that deliveries and API answers share one reading.
 */

export const VENDOR = 'socialboards';
const VENDOR_NAME = 'SocialBoards';

/**
 * A9: the four ticket statuses the docs show. `completed` (a reply that asks for it, or the inbox) is resolved,
 * not closed: only `closed` ends a chat.
 */
export const TICKET_STATUS: StatusTable = {
	open: { status: 'open' },
	pending: { status: 'pending' },
	completed: { status: 'resolved' },
	closed: { status: 'closed', closedReason: 'ended' },
};

/** A ticket's `source`; a chat ticket's is `web` (`detailedSource: web_website`). */
const CHANNEL_BY_SOURCE: Record<string, Channel> = { web: 'web_chat', email: 'email' };

const CHAT_ATTRIBUTES = ['isTakeoverEnabled', 'queuePositionInfo', 'feedback', 'initialPageUrl', 'latestPageUrl'];
const TICKET_ATTRIBUTES = ['category', 'sentiment', 'source', 'detailedSource', 'sourceName', 'replyCount', 'customFields', 'isMuted'];

const asObject = (value: unknown): IDataObject => (isPlainObject(value) ? value : {});
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);

function contactOf(author: unknown) {
	const user = asObject(author);
	return contactOrNull({ id: user.id, name: user.name, email: user.email });
}

/** A13: who wrote a message. The bot (`isBot`) and teammates (`status: team`) write outbound; anyone else is the contact. */
export function authorRoleOf(author: unknown): Extract<AuthorRole, 'contact' | 'agent' | 'bot'> {
	const user = asObject(author);
	if (user.isBot === true) return 'bot';
	return user.status === 'team' ? 'agent' : 'contact';
}

/** A chat (`Conversation`): closed while `isClosed`, else open; in takeover a human handles it, otherwise the bot. */
export function normalizeChat(raw: IDataObject, context: { webUrl?: unknown } = {}): Conversation {
	const id = requireId(VENDOR_NAME, 'a conversation', raw.id);
	const closed = raw.isClosed === true;
	let handledBy: HandledBy = null;
	if (!closed && typeof raw.isTakeoverEnabled === 'boolean') handledBy = raw.isTakeoverEnabled ? 'human' : 'bot';
	return buildConversation(VENDOR, id, {
		status: closed ? 'closed' : 'open',
		closedReason: closed ? 'ended' : null,
		handledBy,
		channel: 'web_chat',
		contact: contactOf(raw.author),
		createdAt: toUtcIso(raw.creationTime),
		updatedAt: toUtcIso(raw.lastModifiedTime),
		messageCount: count(raw.totalMessagesCount),
		webUrl: textOrNull(context.webUrl),
		attributes: pickAttributes(raw, CHAT_ATTRIBUTES),
	});
}

function assigneeOf(lockedBy: unknown): Assignee | null {
	const user = asObject(lockedBy);
	const id = idToString(user.id);
	return id === null ? null : { type: user.isBot === true ? 'bot' : 'user', id, name: textOrNull(user.name) };
}

function tagsOf(tags: unknown): TagRef[] | null {
	if (!Array.isArray(tags)) return null;
	return tags.filter(isPlainObject).map((tag) => ({ id: idToString(tag.id), name: textOrNull(tag.name) }));
}

/** A ticket: status by A9, the assignee is `lockedBy`, the bot handles it while `properties.isAssignedToBot`. */
export function normalizeTicket(raw: IDataObject, context: { webUrl?: unknown } = {}): Conversation {
	const id = requireId(VENDOR_NAME, 'a ticket', raw.id);
	const status = mapStatus(TICKET_STATUS, raw.status);
	const properties = asObject(raw.properties);
	const assignee = assigneeOf(raw.lockedBy);
	let handledBy: HandledBy = null;
	if (status.status !== 'closed') handledBy = properties.isAssignedToBot === true ? 'bot' : assignee ? 'human' : null;
	return buildConversation(VENDOR, id, {
		...status,
		handledBy,
		vendorStatus: textOrNull(raw.status),
		channel: typeof raw.source === 'string' ? (lookUp(CHANNEL_BY_SOURCE, raw.source) ?? 'other') : null,
		title: textOrNull(raw.title),
		preview: textOrNull(raw.message),
		contact: contactOf(raw.author),
		assignee,
		tags: tagsOf(raw.tags),
		createdAt: toUtcIso(raw.creationTime),
		lastMessageAt: toUtcIso(raw.lastThreadElementCreationTime),
		deleted: properties.isDeleted === true,
		webUrl: textOrNull(context.webUrl),
		attributes: pickAttributes(raw, TICKET_ATTRIBUTES),
	});
}

const DIRECTION: Record<ReturnType<typeof authorRoleOf>, Direction> = { contact: 'inbound', agent: 'outbound', bot: 'outbound' };

/** A chat message (`ConversationMessage`); it has no direction field, so A13 reads it from the author. */
export function normalizeChatMessage(raw: IDataObject, conversationId: string): Message {
	const author = asObject(raw.author);
	const authorRole = authorRoleOf(author);
	const hasAuthor = [author.id, author.name, author.email].some((value) => textOrNull(value) !== null);
	return buildMessage(VENDOR, conversationId, {
		id: idToString(raw.id),
		direction: DIRECTION[authorRole],
		authorRole,
		author: hasAuthor ? { id: idToString(author.id), name: textOrNull(author.name), email: textOrNull(author.email) } : null,
		text: textOrNull(raw.message),
		createdAt: toUtcIso(raw.creationTime),
	});
}
