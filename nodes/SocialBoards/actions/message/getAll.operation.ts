import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	limitProperty,
	outputProperty,
	readOutputMode,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { listMessages } from '../../transport';
import { clientFor, renderSocialBoardsMessage } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	returnAllProperty,
	limitProperty,
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getAll'] } }, properties);

/** Newest first, so that a Limit keeps the latest. Only chats have messages in the Chat API; an email ticket is not found. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const conversationId = readConversationId(this, itemIndex);
	const mode = readOutputMode(this, itemIndex);
	const messages = await listMessages(clientFor(this, itemIndex), conversationId, readTake(this, itemIndex));
	return messages.map((raw) => renderSocialBoardsMessage(mode, raw, conversationId));
}
