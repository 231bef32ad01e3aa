import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { forOperations } from '../../../shared/operation';
import { renderMessage } from '../../../shared/output';
import {
	limitProperty,
	outputProperty,
	readOutputMode,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { normalizeMessage } from '../../normalize';
import { listByCursor } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId } from '../common';

const properties: INodeProperties[] = [
	conversationIdProperty,
	returnAllProperty,
	limitProperty,
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = forOperations('message', ['getAll'], properties);

/** The thread oldest first: visitor turns, bot and agent replies, and system markers. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const conversationId = readConversationId(this, itemIndex);
	const mode = readOutputMode(this, itemIndex);
	const messages = await listByCursor(
		clientFor(this, itemIndex),
		`/conversations/${conversationId}/messages`,
		readTake(this, itemIndex),
	);
	return messages.map((raw) => renderMessage(mode, normalizeMessage(raw), raw));
}
