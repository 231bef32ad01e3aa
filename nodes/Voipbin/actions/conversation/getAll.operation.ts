import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	limitProperty,
	outputProperty,
	readOutputMode,
	readParameter,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { conversationRenderer } from '../../../shared/output';
import { conversationId, normalizeConversation } from '../../normalize';
import { listAll } from '../../transport';
import { clientFor } from '../client';
import { readUuid } from '../locators';

const properties: INodeProperties[] = [
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Owner ID',
				name: 'owner_id',
				type: 'string',
				default: '',
				placeholder: 'e.g. eb1ac5c0-ff63-47e2-bcdb-5da9c336eb4b',
				description: 'Only conversations assigned to this agent (the agent’s UUID)',
			},
		],
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getAll'] } }, properties);

/** Newest first. VoIPbin leaves deleted conversations out of its list. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = readParameter(this, itemIndex, properties, 'filters') as IDataObject;
	const qs: IDataObject = {};
	const ownerId = String(filters.owner_id ?? '').trim();
	if (ownerId !== '') qs.owner_id = readUuid(this, itemIndex, ownerId, 'Owner ID');
	const mode = readOutputMode(this, itemIndex);
	return await listAll(
		clientFor(this, itemIndex),
		'/conversations',
		readTake(this, itemIndex),
		qs,
		undefined,
		conversationRenderer(mode, normalizeConversation, conversationId),
	);
}
