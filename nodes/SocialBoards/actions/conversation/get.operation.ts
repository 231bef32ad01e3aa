import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import type { ApiClient } from '../../../shared/transport/client';
import { fetchChat, fetchTicket } from '../../transport';
import { clientFor, renderSocialBoardsConversation } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Messages',
				name: 'includeMessages',
				type: 'boolean',
				default: false,
				description:
					'Whether to include the latest 100 messages, newest first, under attributes.messages (Normalized) or in the conversation (Raw). Message → Get Many lists them all.',
			},
		],
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, properties);

/**
 * A chat is a ticket: the ticket gives status, tags and assignee (Ticket API), the chat conversation the takeover,
 * closed state and messages (Chat API). A ticket that is not a chat (an email) has no chat conversation.
 */
export async function readConversation(
	ctx: IExecuteFunctions,
	client: ApiClient,
	conversationId: string,
	includeMessages = false,
): Promise<{ ticket: IDataObject; chat: IDataObject | null }> {
	const ticket = await fetchTicket(client, conversationId);
	try {
		return { ticket, chat: await fetchChat(client, conversationId, includeMessages) };
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return { ticket, chat: null };
		throw asNodeError(ctx.getNode(), error);
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const includeMessages = options.includeMessages === true;
	const mode = readOutputMode(this, itemIndex);
	const { ticket, chat } = await readConversation(this, clientFor(this, itemIndex), conversationId, includeMessages);
	const messages = includeMessages && chat ? (Array.isArray(chat.messages) ? (chat.messages as IDataObject[]) : []) : null;
	return renderSocialBoardsConversation(mode, ticket, chat, messages);
}
