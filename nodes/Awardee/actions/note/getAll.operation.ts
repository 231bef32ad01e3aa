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
import { normalizeNote } from '../../normalize';
import { listByCursor } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId } from '../common';

const properties: INodeProperties[] = [
	conversationIdProperty,
	returnAllProperty,
	limitProperty,
	outputProperty('note'),
	requestOptionsProperty,
];

export const description = forOperations('note', ['getAll'], properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const conversationId = readConversationId(this, itemIndex);
	const mode = readOutputMode(this, itemIndex);
	const notes = await listByCursor(
		clientFor(this, itemIndex),
		`/conversations/${conversationId}/notes`,
		readTake(this, itemIndex),
	);
	return notes.map((raw) => renderMessage(mode, normalizeNote(raw), raw));
}
