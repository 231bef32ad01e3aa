import type { IDataObject } from 'n8n-workflow';

import {
	buildConversation,
	buildMessage,
	contactOrNull,
	idToString,
	isPlainObject,
	mapStatus,
	pickAttributes,
	requireId,
	textOrNull,
} from '../shared/normalize';
import { utcIsoOfMatch } from '../shared/utcIso';
import type { StatusTable } from '../shared/normalize';
import type { Assignee, Author, Channel, Conversation, HandledBy, Message, TagRef } from '../shared/types';

export const VENDOR = 'socialboards';

/** `2024-03-14T09:12:45.4381923+01:00`: 0 to 7 fraction digits (2 to 7 seen) and an offset (or Z). */
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A SocialBoards time as UTC ISO with milliseconds, or null. Read by hand rather than by `Date`, so that every
 * fraction width and offset gives the same instant on every host, whatever its time zone; digits beyond the
 * millisecond are cut, not rounded.
 */
export function socialBoardsTime(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const match = TIME.exec(value.trim());
	return match ? utcIsoOfMatch(match) : null;
}

/** A9: the four ticket statuses; `completed` (what a reply with "ticket completed" sets) is resolved, not closed. */
export const TICKET_STATUS: StatusTable = {
	open: { status: 'open' },
	pending: { status: 'pending' },
	completed: { status: 'resolved' },
	closed: { status: 'closed', closedReason: 'ended' },
};

/** The ticket's `source` as a channel; a conversation the Chat API knows is a web chat whatever the source says. */
const CHANNEL: Record<string, Channel> = { web: 'web_chat', chat: 'web_chat', email: 'email', sms: 'sms' };

function objectOrEmpty(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

const countOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);

function contactOf(author: unknown) {
	if (!isPlainObject(author)) return null;
	return contactOrNull({ id: author.id, name: author.name, email: author.email });
}

function assigneeOf(lockedBy: unknown): Assignee | null {
	if (!isPlainObject(lockedBy)) return null;
	const id = idToString(lockedBy.id);
	return id === null ? null : { type: lockedBy.isBot === true ? 'bot' : 'agent', id, name: textOrNull(lockedBy.name) };
}

function tagsOf(tags: unknown): TagRef[] | null {
	if (!Array.isArray(tags)) return null;
	return tags.filter(isPlainObject).map((tag) => ({ id: idToString(tag.id), name: textOrNull(tag.name) }));
}

/** Nobody handles a closed conversation; otherwise the bot while the ticket says so or takeover is off, else a person. */
function handledByOf(ticket: IDataObject | null, chat: IDataObject | null, closed: boolean): HandledBy {
	if (closed) return null;
	const properties = objectOrEmpty(ticket?.properties);
	if (properties.isAssignedToBot === true) return 'bot';
	if (chat?.isTakeoverEnabled === true) return 'human';
	if (properties.isAssignedToBot === false && isPlainObject(ticket?.lockedBy)) return 'human';
	if (chat?.isTakeoverEnabled === false) return 'bot';
	return null;
}

function channelOf(ticket: IDataObject | null, chat: IDataObject | null): Channel {
	if (chat) return 'web_chat';
	const source = ticket?.source;
	if (typeof source !== 'string' || source === '') return null;
	return Object.prototype.hasOwnProperty.call(CHANNEL, source) ? CHANNEL[source] : 'other';
}

const TICKET_ATTRIBUTES = ['category', 'sentiment', 'source', 'detailedSource', 'sourceName', 'customFields', 'replyCount', 'originalLink', 'isMuted'];
const CHAT_ATTRIBUTES = ['feedback', 'queuePositionInfo', 'initialPageUrl', 'latestPageUrl', 'isTakeoverEnabled', 'isClosed'];

/**
 * A conversation in the common shape, from its ticket (Ticket API: status, tags, assignee, source), its chat
 * conversation (Chat API: closed, takeover, message count, page URLs) or both; a chat is a ticket with the same id.
 * The Trigger reads its deliveries with this function too, once it has camelCased them. `webUrl` is the inbox link a
 * webhook delivery carries (`InboxLink`); from the REST APIs it is null: the link names the community, which no
 * REST answer gives. A chat alone (no ticket) is open until it is closed.
 */
export function normalizeConversation(
	ticket: IDataObject | null,
	chat: IDataObject | null = null,
	messages: Message[] | null = null,
	context: { webUrl?: unknown } = {},
): Conversation {
	const id = requireId('SocialBoards', 'a conversation', ticket ? ticket.id : chat?.id);
	const mapped = ticket ? mapStatus(TICKET_STATUS, ticket.status) : { status: 'open' as const, closedReason: null };
	const closedChat = chat?.isClosed === true;
	const status = closedChat ? 'closed' : mapped.status;
	const attributes: IDataObject = {
		...(ticket ? pickAttributes(ticket, TICKET_ATTRIBUTES) : {}),
		...(chat ? pickAttributes(chat, CHAT_ATTRIBUTES) : {}),
	};
	if (messages) attributes.messages = messages as unknown as IDataObject[];
	const properties = objectOrEmpty(ticket?.properties);
	return buildConversation(VENDOR, id, {
		status,
		closedReason: closedChat ? 'ended' : mapped.closedReason,
		vendorStatus: textOrNull(ticket?.status),
		handledBy: handledByOf(ticket, chat, status === 'closed'),
		channel: channelOf(ticket, chat),
		title: textOrNull(ticket?.title),
		preview: textOrNull(ticket?.message),
		contact: contactOf(ticket?.author ?? chat?.author),
		assignee: assigneeOf(ticket?.lockedBy),
		tags: ticket ? tagsOf(ticket.tags) : null,
		createdAt: socialBoardsTime(ticket?.creationTime ?? chat?.creationTime),
		updatedAt: socialBoardsTime(chat?.lastModifiedTime),
		lastMessageAt: socialBoardsTime(ticket?.lastThreadElementCreationTime),
		deleted: properties.isDeleted === true,
		messageCount: countOrNull(chat?.totalMessagesCount),
		webUrl: textOrNull(context.webUrl),
		attributes,
	});
}

function authorOf(author: IDataObject): Author | null {
	const result: Author = {
		id: idToString(author.id),
		name: textOrNull(author.name),
		email: textOrNull(author.email),
	};
	return Object.values(result).every((value) => value === null) ? null : result;
}

/**
 * A13: a ConversationMessage has no `isByTeam`; who wrote it says the direction: the system bot (`isBot`) →
 * outbound/bot, a `client` → inbound/contact, anyone else (a `team` member) → outbound/agent. The Trigger's loop
 * guard (A17) reads authors with this function too.
 */
export function authorRoleOf(author: unknown): 'contact' | 'agent' | 'bot' {
	const user = objectOrEmpty(author);
	if (user.isBot === true) return 'bot';
	return user.status === 'client' ? 'contact' : 'agent';
}

export function normalizeMessage(raw: IDataObject, conversationId: string): Message {
	const author = objectOrEmpty(raw.author);
	const role = authorRoleOf(author);
	return buildMessage(VENDOR, conversationId, {
		id: requireId('SocialBoards', 'a message', raw.id),
		direction: role === 'contact' ? 'inbound' : 'outbound',
		authorRole: role,
		author: authorOf(author),
		text: textOrNull(raw.message),
		createdAt: socialBoardsTime(raw.creationTime),
		attributes: pickAttributes(raw, ['lastModifiedTime']),
	});
}

/** A takeover state, `{isAssignedToBot}`, in the package's words: who handles the conversation now. */
export function normalizeTakeover(raw: IDataObject, conversationId: string): IDataObject {
	const isAssignedToBot = raw.isAssignedToBot === true;
	return { conversationId, handledBy: isAssignedToBot ? 'bot' : 'human', isAssignedToBot };
}
