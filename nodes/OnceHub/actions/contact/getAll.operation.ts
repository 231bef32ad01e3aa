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
import { normalizeContact, simplifyContact } from '../../normalize';
import { listAll } from '../../transport';
import { clientFor, recordOutputProperty, timeFilterOptions, timeFilterQuery } from '../common';
import { listRenderer } from '../../../shared/output';

const TIME_FIELDS = ['creation_time', 'last_updated_time'];

const [createdAfter, createdBefore, updatedAfter, updatedBefore] = timeFilterOptions([
	{ field: 'creation_time', label: 'Created', noun: 'contacts' },
	{ field: 'last_updated_time', label: 'Updated', noun: 'contacts' },
]);

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
			createdAfter,
			createdBefore,
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. nathan@example.com',
				default: '',
				description: 'Only the contact with this email address',
			},
			updatedAfter,
			updatedBefore,
		],
	},
	recordOutputProperty('contact'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = readParameter(this, itemIndex, properties, 'filters') as IDataObject;
	const qs = timeFilterQuery(this, itemIndex, filters, TIME_FIELDS);
	const email = String(filters.email ?? '').trim();
	if (email) qs.email = email;
	const mode = readOutputMode(this, itemIndex);
	return await listAll(
		clientFor(this, itemIndex),
		'/contacts',
		readTake(this, itemIndex),
		qs,
		listRenderer(mode, normalizeContact, simplifyContact, (raw) => requireObject('OnceHub', 'a contact', raw)),
	);
}
