import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, invalidInput } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { notResentWithoutKey, RECENT_MESSAGES_READ, skipIfRecentlySent, skipIfSentWithinOption } from '../../../shared/replyGuard';
import type { ApiClient } from '../../../shared/transport/client';
import { normalizeMessage } from '../../normalize';
import type { ReplyAuthor } from '../../transport';
import { listMessages, postReply } from '../../transport';
import { clientFor, renderSocialBoardsMessage } from '../client';
import { conversationIdProperty, readConversationId, readTeammateId, teammateLocator } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The message the visitor sees in the chat window',
	},
	{
		displayName: 'Reply As',
		name: 'replyAs',
		type: 'options',
		default: 'teammate',
		options: [
			{ name: 'Teammate', value: 'teammate', description: 'A team member (admin or agent) you pick' },
			{ name: 'Bot', value: 'bot', description: 'SocialBoards’ system bot' },
		],
	},
	{
		...teammateLocator('Teammate', 'authorId', 'The team member the reply is written as'),
		required: true,
		displayOptions: { show: { replyAs: ['teammate'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [skipIfSentWithinOption('SocialBoards')],
	},
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['reply'] } }, properties);

/**
 * The one place a reply is written. SocialBoards has no idempotency key: the transport never repeats it; the
 * opt-in Skip If Already Sent Within guard runs before this call.
 */
export async function sendReply(
	client: ApiClient,
	conversationId: string,
	author: ReplyAuthor,
	text: string,
): Promise<IDataObject> {
	return await postReply(client, conversationId, author, text);
}

function readAuthor(ctx: IExecuteFunctions, itemIndex: number): ReplyAuthor {
	const replyAs = readParameter(ctx, itemIndex, properties, 'replyAs');
	if (replyAs === 'bot') return { bot: true };
	const teammateId = readTeammateId(ctx, itemIndex, 'authorId', 'Teammate ID');
	if (teammateId === null) {
		throw invalidInput(ctx, itemIndex, 'No teammate to reply as', 'Pick the teammate the reply is written as, or set Reply As to Bot.');
	}
	return { teammateId };
}

/** A13: a team message in the chat (`isByTeam: true`), as the chosen teammate or as the bot. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const text = (readParameter(this, itemIndex, properties, 'text') as string | undefined) ?? '';
	if (text.trim() === '') {
		throw invalidInput(this, itemIndex, 'The reply is empty', 'Enter the reply in Text, or map a field that holds it.');
	}
	const author = readAuthor(this, itemIndex);
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const client = clientFor(this, itemIndex);
	const skipped = await skipIfRecentlySent({
		withinMinutes: options.skipIfSentWithinMinutes,
		conversationId,
		text,
		latestMessages: async () => {
			// Newest first (listMessages' order), so that one page holds the latest.
			const latest = await listMessages(client, conversationId, { returnAll: false, limit: RECENT_MESSAGES_READ });
			return latest.map((raw) => normalizeMessage(raw, conversationId));
		},
	});
	if (skipped) return skipped;
	try {
		const raw = await sendReply(client, conversationId, author, text);
		return renderSocialBoardsMessage(readOutputMode(this, itemIndex), raw, conversationId);
	} catch (error) {
		// No HTTP status means no answer SocialBoards stood behind (a dropped connection, a timeout, a garbled body).
		if (error instanceof NodeApiError && !error.httpCode) {
			const message = 'SocialBoards did not confirm the reply';
			const description = [notResentWithoutKey('SocialBoards'), error.description].filter(Boolean).join(' ');
			throw new NodeApiError(this.getNode(), { message }, { message, description, itemIndex });
		}
		throw asNodeError(this.getNode(), error);
	}
}
