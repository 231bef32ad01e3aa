import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { fetchConversation } from '../../transport';
import { clientFor, renderVoipbinConversation } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [conversationIdProperty, outputProperty('conversation'), requestOptionsProperty];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const raw = await fetchConversation(clientFor(this, itemIndex), conversationId);
	return renderVoipbinConversation(readOutputMode(this, itemIndex), raw);
}
