import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/execute';
import { renderMessage } from '../../../shared/output';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { normalizeNote } from '../../normalize';
import { clientFor, conversationIdProperty, readConversationId } from '../common';
import { idempotencyKeyFor, idempotencyKeyOption } from '../writeOptions';

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
	const { body: raw } = await clientFor(this, itemIndex).request({
		method: 'POST',
		path: `/conversations/${conversationId}/notes`,
		body: { content },
		idempotencyKey: idempotencyKeyFor(options.idempotencyKey),
		resource: `Conversation ${conversationId}`,
	});
	return renderMessage(readOutputMode(this, itemIndex), normalizeNote(raw, conversationId), raw);
}
