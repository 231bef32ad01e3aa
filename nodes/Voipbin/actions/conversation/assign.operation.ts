import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readIdParameter, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { unassignConversation, updateConversation } from '../../transport';
import { clientFor, renderVoipbinConversation } from '../client';
import { conversationIdProperty, readConversationId, readUuid, uuidLocator } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		...uuidLocator('Assignee', 'assigneeId', 'searchAgents', 'VoIPbin agent', true),
		description:
			'The agent to assign. Leave empty to unassign. While an agent owns a conversation, VoIPbin runs no flow on its inbound messages.',
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['assign'] } }, properties);

/** An agent is set with `PUT {owner_id}` (VoIPbin derives `owner_type`); nobody with `POST …/unassign`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const assignee = readIdParameter(this, itemIndex, 'assigneeId', 'Assignee ID');
	const ownerId = assignee === '' ? null : readUuid(this, itemIndex, assignee, 'Assignee ID');
	const client = clientFor(this, itemIndex);
	const raw = ownerId
		? await updateConversation(client, conversationId, { owner_id: ownerId })
		: await unassignConversation(client, conversationId);
	return renderVoipbinConversation(readOutputMode(this, itemIndex), raw);
}
