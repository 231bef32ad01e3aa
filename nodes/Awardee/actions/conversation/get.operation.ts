import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { fetchConversation } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId, renderAwardeeConversation } from '../common';

const properties: INodeProperties[] = [
	conversationIdProperty,
	outputProperty('conversation'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Tags',
				name: 'includeTags',
				type: 'boolean',
				default: true,
				description:
					'Whether to load the conversation’s tags into the normalized output (one more request)',
			},
		],
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const client = clientFor(this, itemIndex);
	const raw = await fetchConversation(client, conversationId);
	return await renderAwardeeConversation(
		client,
		readOutputMode(this, itemIndex),
		raw,
		options.includeTags !== false,
	);
}
