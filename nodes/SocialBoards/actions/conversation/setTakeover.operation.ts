import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { changeTakeover } from '../../transport';
import { clientFor, renderTakeover } from '../client';
import { conversationIdProperty, readConversationId, readTeammateId, teammateLocator } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Handled By',
		name: 'handledBy',
		type: 'options',
		default: 'human',
		options: [
			{ name: 'Human (Take Over From the Bot)', value: 'human', description: 'Start a takeover: the bot stops answering' },
			{ name: 'Bot (Hand Back to the Bot)', value: 'bot', description: 'End the takeover: the bot answers again' },
		],
	},
	{
		...teammateLocator('Assignee', 'assigneeId', 'The teammate who takes over (optional; empty leaves the assignee as it is)'),
		displayOptions: { show: { handledBy: ['human'] } },
	},
	outputProperty('takeover state', 'Who handles the chat now: {conversationId, handledBy (bot or human), isAssignedToBot}'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['setTakeover'] } }, properties);

/** `isAssignedToBot: false` starts a takeover (optionally assigning a teammate), `true` hands the chat back. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const toBot = readParameter(this, itemIndex, properties, 'handledBy') === 'bot';
	const assigneeId = toBot ? null : readTeammateId(this, itemIndex, 'assigneeId', 'Assignee ID');
	const raw = await changeTakeover(clientFor(this, itemIndex), conversationId, toBot, assigneeId);
	return renderTakeover(readOutputMode(this, itemIndex), raw, conversationId);
}
