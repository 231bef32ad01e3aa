import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/execute';
import { readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { clientFor } from '../common';
import { idempotencyKeyFor, idempotencyKeyOption } from '../writeOptions';
import { tagOutput } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: 'Unique in the organization, ignoring case; at most 100 characters',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Color',
				name: 'color',
				type: 'color',
				default: '#6D28D9',
				description: 'Leave unset for Awardee’s default palette color',
			},
			idempotencyKeyOption,
		],
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = String(readParameter(this, itemIndex, properties, 'name') ?? '').trim();
	if (name === '' || name.length > 100) {
		throw invalidInput(this, itemIndex, name === '' ? 'The tag name is empty' : 'The tag name is longer than 100 characters', 'Enter a name of 1 to 100 characters.');
	}
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const body: IDataObject = { name };
	if (options.color !== undefined) {
		const color = String(options.color);
		if (!/^#[0-9a-fA-F]{6}$/.test(color)) {
			throw invalidInput(this, itemIndex, `Color "${color}" is not a #RRGGBB color`, 'Use a hex color such as #6D28D9.');
		}
		body.color = color;
	}
	const { body: raw } = await clientFor(this, itemIndex).request({
		method: 'POST',
		path: '/conversation-tags',
		body,
		idempotencyKey: idempotencyKeyFor(options.idempotencyKey),
	});
	return tagOutput(raw);
}
