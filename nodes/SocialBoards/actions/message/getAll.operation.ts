import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { messageGetAllDescription, readThreadListing } from '../../../shared/threadList';
import { listMessages } from '../../transport';
import { clientFor, renderSocialBoardsMessage } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

export const description = messageGetAllDescription(conversationIdProperty);

/** Newest first, so that a Limit keeps the latest. Only chats have messages in the Chat API; an email ticket is not found. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { conversationId, mode, client, take } = readThreadListing(this, itemIndex, { readConversationId, clientFor });
	const messages = await listMessages(client, conversationId, take);
	return messages.map((raw) => renderSocialBoardsMessage(mode, raw, conversationId));
}
