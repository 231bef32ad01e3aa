import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { normalizeUser, simplifyUser } from '../../normalize';
import { fetchUser } from '../../transport';
import { clientFor, idLocator, readId, recordOutputProperty } from '../common';
import { renderRecord } from '../../../shared/output';

const properties: INodeProperties[] = [
	idLocator('user', 'userId', 'The user, such as the owner of a conversation (its assignee ID)'),
	recordOutputProperty('user'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = readId(this, itemIndex, 'userId', 'user');
	const raw = await fetchUser(clientFor(this, itemIndex), userId);
	return renderRecord(readOutputMode(this, itemIndex), normalizeUser(raw), simplifyUser, raw);
}
