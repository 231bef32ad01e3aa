import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput, quoteInMessage } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { patchConversation } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId, renderAwardeeConversation } from '../common';

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
				displayName: 'Contact Email',
				name: 'contact_email',
				type: 'string',
				placeholder: 'e.g. nathan@example.com',
				default: '',
			},
			{ displayName: 'Contact Name', name: 'contact_name', type: 'string', default: '' },
			{ displayName: 'Contact Phone', name: 'contact_phone', type: 'string', default: '' },
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				default: 'medium',
				options: [
					{ name: 'High', value: 'high' },
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
				],
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'open',
				description: 'Awardee never lets a conversation go back to the bot, so Bot Active cannot be set',
				options: [
					{ name: 'Agent Requested', value: 'agent_requested' },
					{ name: 'Archived', value: 'archived' },
					{ name: 'Closed', value: 'closed' },
					{ name: 'Open', value: 'open' },
					{ name: 'Resolved', value: 'resolved' },
				],
			},
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['update'] } }, properties);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const fields = readParameter(this, itemIndex, properties, 'updateFields') as IDataObject;
	if (Object.keys(fields).length === 0) {
		throw invalidInput(this, itemIndex, 'No field to update', 'Add at least one field under Update Fields.');
	}
	const email = fields.contact_email;
	if (typeof email === 'string' && email !== '' && !EMAIL.test(email)) {
		throw invalidInput(this, itemIndex, `Contact Email ${quoteInMessage(email)} is not an email address`, 'Enter an address such as nathan@example.com.');
	}
	const client = clientFor(this, itemIndex);
	const raw = await patchConversation(client, conversationId, fields);
	return await renderAwardeeConversation(client, readOutputMode(this, itemIndex), raw, true);
}
