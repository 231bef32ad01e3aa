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
import { invalidInput, quoteInMessage } from '../../../shared/execute';
import { conversationRenderer } from '../../../shared/output';
import { conversationId, normalizeConversation } from '../../normalize';
import { AWARDEE_UUID, listByCursor } from '../../transport';
import { clientFor, renderAwardeeConversation } from '../common';

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
				displayName: 'Assigned To',
				name: 'assigned_to',
				type: 'string',
				default: '',
				placeholder: 'e.g. 5b1e…, 9c2f…',
				description: 'User IDs of team members, comma-separated',
			},
			{
				displayName: 'Chatbot ID',
				name: 'chatbot_id',
				type: 'string',
				default: '',
				description: 'Only conversations with this chatbot',
			},
			{
				displayName: 'Include Unassigned',
				name: 'include_unassigned',
				type: 'boolean',
				default: false,
				description: 'Whether to also return unassigned conversations when filtering by Assigned To',
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'High', value: 'high' },
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
				],
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Agent Requested', value: 'agent_requested' },
					{ name: 'Archived', value: 'archived' },
					{ name: 'Bot Active', value: 'bot_active' },
					{ name: 'Closed', value: 'closed' },
					{ name: 'Open', value: 'open' },
					{ name: 'Resolved', value: 'resolved' },
				],
			},
		],
	},
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
				default: false,
				description:
					'Whether to load each conversation’s tags into the normalized output (one more request per conversation)',
			},
		],
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getAll'] } }, properties);

function listQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = readParameter(ctx, itemIndex, properties, 'filters') as IDataObject;
	const qs: IDataObject = {};
	for (const key of ['status', 'priority'] as const) {
		const values = filters[key] as string[] | undefined;
		if (values?.length) qs[key] = values.join(',');
	}
	const assignedTo = String(filters.assigned_to ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	const badId = assignedTo.find((id) => !AWARDEE_UUID.test(id));
	if (badId) {
		throw invalidInput(ctx, itemIndex, `Assigned To ${quoteInMessage(badId)} is not a user ID`, 'Enter team members’ user IDs (UUIDs), comma-separated.');
	}
	if (assignedTo.length > 0) qs.assigned_to = assignedTo.join(',');
	if (filters.include_unassigned === true) qs.include_unassigned = 'true';
	const chatbotId = String(filters.chatbot_id ?? '').trim();
	if (chatbotId) {
		if (!AWARDEE_UUID.test(chatbotId)) {
			throw invalidInput(ctx, itemIndex, `Chatbot ID ${quoteInMessage(chatbotId)} is not an Awardee ID`, 'Enter the chatbot’s UUID.');
		}
		qs.chatbot_id = chatbotId;
	}
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const qs = listQuery(this, itemIndex);
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const mode = readOutputMode(this, itemIndex);
	const client = clientFor(this, itemIndex);
	const take = readTake(this, itemIndex);
	if (options.includeTags !== true || mode !== 'normalized') {
		// Each page is rendered as it arrives: the vendor's objects of a long listing are not all held at once.
		return await listByCursor(client, '/conversations', take, qs, conversationRenderer(mode, normalizeConversation, conversationId));
	}
	const conversations = await listByCursor(client, '/conversations', take, qs);
	const results: IDataObject[] = [];
	for (const raw of conversations) {
		results.push(await renderAwardeeConversation(client, mode, raw, true));
	}
	return results;
}
