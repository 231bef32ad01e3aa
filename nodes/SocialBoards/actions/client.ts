import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OutputMode } from '../../shared/output';
import { renderConversation, renderMessage, renderRecord } from '../../shared/output';
import { readClientOptions } from '../../shared/parameters';
import type { ApiClient } from '../../shared/transport/client';
import { normalizeConversation, normalizeMessage, normalizeTakeover } from '../normalize';
import { socialBoardsClient } from '../transport';

/** The SocialBoards client for one item, with that item's Request Options. */
export function clientFor(ctx: IExecuteFunctions, itemIndex: number): ApiClient {
	return socialBoardsClient(ctx, readClientOptions(ctx, itemIndex));
}

/**
 * A conversation read or changed by id, in the chosen output mode: its ticket and, for a chat, its chat
 * conversation. Raw is both as SocialBoards sent them, `{ticket, conversation}` (`conversation` null for a ticket
 * that is not a chat).
 */
export function renderSocialBoardsConversation(
	mode: OutputMode,
	ticket: IDataObject,
	chat: IDataObject | null,
	rawMessages: IDataObject[] | null = null,
): IDataObject {
	const id = String(ticket.id ?? chat?.id ?? '');
	const messages = rawMessages && rawMessages.map((message) => normalizeMessage(message, id));
	return renderConversation(mode, normalizeConversation(ticket, chat, messages), { ticket, conversation: chat });
}

/** A conversation as the ticket list gives it; Raw is the ticket. */
export function renderListedTicket(mode: OutputMode, ticket: IDataObject): IDataObject {
	return renderConversation(mode, normalizeConversation(ticket), ticket);
}

export function renderSocialBoardsMessage(mode: OutputMode, raw: IDataObject, conversationId: string): IDataObject {
	return renderMessage(mode, normalizeMessage(raw, conversationId), raw);
}

/** A takeover state: `{conversationId, handledBy, isAssignedToBot}`, flat already; Raw is SocialBoards' answer. */
export function renderTakeover(mode: OutputMode, raw: IDataObject, conversationId: string): IDataObject {
	return renderRecord(mode, normalizeTakeover(raw, conversationId), (state) => state, raw);
}
