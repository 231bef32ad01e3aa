import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { updateConversation } from '../../transport';
import { clientFor, renderVoipbinConversation } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

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
				displayName: 'Detail',
				name: 'detail',
				type: 'string',
				default: '',
				description: 'The conversation’s description (VoIPbin’s `detail`)',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The conversation’s name, shown as its title',
			},
		],
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const fields = readParameter(this, itemIndex, properties, 'updateFields') as IDataObject;
	const update: { name?: string; detail?: string } = {};
	for (const key of ['name', 'detail'] as const) {
		if (fields[key] !== undefined) update[key] = String(fields[key]);
	}
	if (Object.keys(update).length === 0) {
		throw invalidInput(this, itemIndex, 'No field to update', 'Add Name or Detail under Update Fields.');
	}
	const raw = await updateConversation(clientFor(this, itemIndex), conversationId, update);
	return renderVoipbinConversation(readOutputMode(this, itemIndex), raw);
}
