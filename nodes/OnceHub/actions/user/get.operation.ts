import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { forOperations } from '../../../shared/operation';
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

export const description = forOperations('user', ['get'], properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = readId(this, itemIndex, 'userId', 'user');
	const raw = await fetchUser(clientFor(this, itemIndex), userId);
	return renderRecord(readOutputMode(this, itemIndex), normalizeUser(raw), simplifyUser, raw);
}
