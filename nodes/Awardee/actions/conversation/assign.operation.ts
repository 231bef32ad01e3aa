import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readIdParameter, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { patchConversation } from '../../transport';
import {
	clientFor,
	conversationIdProperty,
	readConversationId,
	readUuid,
	renderAwardeeConversation,
	uuidLocator,
} from '../common';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		...uuidLocator('Assignee', 'assigneeId', 'searchMembers', 'team member user', true),
		description: 'The team member to assign. Leave empty to unassign the conversation.',
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['assign'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const assigneeValue = readIdParameter(this, itemIndex, 'assigneeId', 'Assignee ID');
	const assigneeId = assigneeValue === '' ? null : readUuid(this, itemIndex, 'assigneeId', 'Assignee ID');
	const client = clientFor(this, itemIndex);
	const raw = await patchConversation(client, conversationId, { assigned_to: assigneeId });
	return await renderAwardeeConversation(client, readOutputMode(this, itemIndex), raw, true);
}
