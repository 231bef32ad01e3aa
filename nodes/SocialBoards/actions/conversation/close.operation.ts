import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { closeChat, fetchTicket } from '../../transport';
import { clientFor, renderSocialBoardsConversation } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [conversationIdProperty, outputProperty('conversation'), requestOptionsProperty];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['close'] } }, properties);

/** A4: closes the chat (its ticket becomes `closed`); closing a closed chat changes nothing and is no error. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const client = clientFor(this, itemIndex);
	const chat = await closeChat(client, conversationId);
	const ticket = await fetchTicket(client, conversationId);
	return renderSocialBoardsConversation(readOutputMode(this, itemIndex), ticket, chat);
}
