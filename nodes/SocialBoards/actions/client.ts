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
 * A conversation in the chosen output mode. Raw is what SocialBoards sent: the ticket for a listed one, and
 * `{ticket, conversation}` (Ticket API and Chat API answers) for one read or changed by id.
 */
export function renderSocialBoardsConversation(
	mode: OutputMode,
	ticket: IDataObject | null,
	chat: IDataObject | null = null,
	rawMessages: IDataObject[] | null = null,
): IDataObject {
	const id = String(ticket?.id ?? chat?.id ?? '');
	const messages = rawMessages && rawMessages.map((message) => normalizeMessage(message, id));
	const raw = chat === null && ticket !== null ? ticket : { ticket, conversation: chat };
	return renderConversation(mode, normalizeConversation(ticket, chat, messages), raw);
}

export function renderSocialBoardsMessage(mode: OutputMode, raw: IDataObject, conversationId: string): IDataObject {
	return renderMessage(mode, normalizeMessage(raw, conversationId), raw);
}

/** A takeover state: `{conversationId, handledBy, isAssignedToBot}`, flat already; Raw is SocialBoards' answer. */
export function renderTakeover(mode: OutputMode, raw: IDataObject, conversationId: string): IDataObject {
	return renderRecord(mode, normalizeTakeover(raw, conversationId), (state) => state, raw);
}
