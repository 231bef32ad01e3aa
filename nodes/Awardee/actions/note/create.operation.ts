import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, invalidInput } from '../../../shared/execute';
import { renderMessage } from '../../../shared/output';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { normalizeNote } from '../../normalize';
import { clientFor, conversationIdProperty, readConversationId } from '../common';
import { alreadyWrittenForEvent, idempotencyKeyOption, writeKeyFor } from '../writeOptions';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The internal note; only team members see it, never the visitor',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [idempotencyKeyOption],
	},
	outputProperty('note'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['note'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const content = String(readParameter(this, itemIndex, properties, 'content') ?? '');
	if (content.trim() === '') {
		throw invalidInput(this, itemIndex, 'The note is empty', 'Enter the note in Content, or map a field that holds it.');
	}
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const key = writeKeyFor(this, itemIndex, options.idempotencyKey, conversationId);
	let raw: IDataObject;
	try {
		({ body: raw } = await clientFor(this, itemIndex).request({
			method: 'POST',
			path: `/conversations/${conversationId}/notes`,
			body: { content },
			idempotencyKey: key.key,
			resource: `Conversation ${conversationId}`,
		}));
	} catch (error) {
		const skipped = alreadyWrittenForEvent(error, key, conversationId, 'a note');
		if (skipped) return skipped;
		throw asNodeError(this.getNode(), error);
	}
	return renderMessage(readOutputMode(this, itemIndex), normalizeNote(raw, conversationId), raw);
}
