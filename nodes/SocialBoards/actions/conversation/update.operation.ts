import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { updateStatus } from '../../transport';
import { clientFor, renderSocialBoardsConversation } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';
import { readConversation } from './get.operation';
import { statusOptions } from './statusOptions';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'open',
				options: statusOptions,
				description: 'The ticket status to set. Closed also closes the chat.',
			},
		],
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['update'] } }, properties);

/** The status is the one field SocialBoards lets the API change (A5); the conversation is read again to emit it. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const fields = readParameter(this, itemIndex, properties, 'updateFields') as IDataObject;
	if (typeof fields.status !== 'string' || fields.status === '') {
		throw invalidInput(this, itemIndex, 'No field to update', 'Add Status under Update Fields.');
	}
	const client = clientFor(this, itemIndex);
	await updateStatus(client, conversationId, fields.status);
	const { ticket, chat } = await readConversation(this, client, conversationId);
	return renderSocialBoardsConversation(readOutputMode(this, itemIndex), ticket, chat);
}
