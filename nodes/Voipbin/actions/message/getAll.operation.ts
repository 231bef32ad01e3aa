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
import { messageRenderer } from '../../../shared/output';
import { normalizeMessage } from '../../normalize';
import { listAll } from '../../transport';
import { clientFor } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	returnAllProperty,
	limitProperty,
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getAll'] } }, properties);

/** Newest first, as VoIPbin lists them, so that a Limit keeps the latest messages. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const conversationId = readConversationId(this, itemIndex);
	const mode = readOutputMode(this, itemIndex);
	return await listAll(
		clientFor(this, itemIndex),
		`/conversations/${conversationId}/messages`,
		readTake(this, itemIndex),
		{},
		`Conversation ${conversationId}`,
		messageRenderer(mode, (raw) => normalizeMessage(raw, conversationId)),
	);
}
