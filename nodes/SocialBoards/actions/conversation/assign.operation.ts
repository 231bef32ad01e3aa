import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idToString, isPlainObject } from '../../../shared/normalize';
import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { fetchTicket, updateAssignee } from '../../transport';
import { clientFor, renderSocialBoardsConversation } from '../client';
import { conversationIdProperty, readConversationId, readTeammateId, teammateLocator } from '../locators';
import { readConversation } from './get.operation';

const properties: INodeProperties[] = [
	conversationIdProperty,
	teammateLocator(
		'Assignee',
		'assigneeId',
		'The teammate to assign (an admin or agent). Leave empty to unassign.',
	),
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['assign'] } }, properties);

/**
 * A11: SocialBoards wants the current assignee beside the new one, so the ticket is read just before the write and
 * its `lockedBy` sent as `previousAssigneeId`. Assigning whoever is assigned already writes nothing.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const assigneeId = readTeammateId(this, itemIndex, 'assigneeId', 'Assignee ID');
	const client = clientFor(this, itemIndex);
	const before = await fetchTicket(client, conversationId);
	const current = isPlainObject(before.lockedBy) ? idToString(before.lockedBy.id) : null;
	if (current?.toLowerCase() !== assigneeId?.toLowerCase()) {
		await updateAssignee(client, conversationId, assigneeId, current);
	}
	const { ticket, chat } = await readConversation(this, client, conversationId);
	return renderSocialBoardsConversation(readOutputMode(this, itemIndex), ticket, chat);
}
