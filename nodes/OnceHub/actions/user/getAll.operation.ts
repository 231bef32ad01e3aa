import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	limitProperty,
	readOutputMode,
	readParameter,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { requireObject } from '../../../shared/normalize';
import { normalizeUser, simplifyUser } from '../../normalize';
import { listAll } from '../../transport';
import { clientFor, recordOutputProperty } from '../common';
import { listRenderer } from '../../../shared/output';

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
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. nathan@example.com',
				default: '',
				description: 'Only the user with this email address',
			},
		],
	},
	recordOutputProperty('user'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = readParameter(this, itemIndex, properties, 'filters') as IDataObject;
	const email = String(filters.email ?? '').trim();
	const mode = readOutputMode(this, itemIndex);
	return await listAll(
		clientFor(this, itemIndex),
		'/users',
		readTake(this, itemIndex),
		email ? { email } : {},
		listRenderer(mode, normalizeUser, simplifyUser, (raw) => requireObject('OnceHub', 'a user', raw)),
	);
}
