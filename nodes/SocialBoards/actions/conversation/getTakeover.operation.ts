import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { fetchTakeover } from '../../transport';
import { clientFor, renderTakeover } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const TAKEOVER_SHAPE = '{conversationId, handledBy (bot or human), isAssignedToBot}';

const properties: INodeProperties[] = [
	conversationIdProperty,
	outputProperty('takeover state', `Who handles the chat now: ${TAKEOVER_SHAPE}`),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getTakeover'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const raw = await fetchTakeover(clientFor(this, itemIndex), conversationId);
	return renderTakeover(readOutputMode(this, itemIndex), raw, conversationId);
}
