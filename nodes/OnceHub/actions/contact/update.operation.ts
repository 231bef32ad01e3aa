import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { describeValue, invalidInput, quoteInMessage } from '../../../shared/execute';
import {
	readOutputMode,
	readParameter,
	requestOptionsProperty,
} from '../../../shared/parameters';
import { normalizeContact, simplifyContact } from '../../normalize';
import { patchContact } from '../../transport';
import { checkId, clientFor, idLocator, readId, recordOutputProperty } from '../common';
import { renderRecord } from '../../../shared/output';

const text = (displayName: string, name: string, extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

const properties: INodeProperties[] = [
	idLocator('contact', 'contactId'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'OnceHub does not let the API change a contact’s identifiers, email and mobile phone',
		options: [
			text('City', 'city'),
			text('Company', 'company'),
			text('Company Size', 'company_size', { placeholder: 'e.g. 50-100' }),
			text('Country', 'country'),
			{
				displayName: 'Custom Fields',
				name: 'custom_fields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add custom field',
				default: {},
				description: 'Fields from the account’s field library; only the ones given change',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							text('Name', 'name', { placeholder: 'e.g. resume' }),
							text('Value', 'value'),
						],
					},
				],
			},
			{ displayName: 'Employees', name: 'employees', type: 'number', typeOptions: { minValue: 0 }, default: 1 },
			text('First Name', 'first_name'),
			{
				displayName: 'Has Consent',
				name: 'has_consent',
				type: 'boolean',
				default: false,
				description: 'Whether the contact has given consent',
			},
			text('Job Title', 'job_title'),
			text('Last Name', 'last_name'),
			text('Owner ID', 'owner', { placeholder: 'e.g. USR-GNSBE50D6A', description: 'The user who owns the contact' }),
			text('Phone', 'phone', { placeholder: 'e.g. +12025550100', description: 'In E.164 format' }),
			text('Post Code', 'post_code'),
			text('Salutation', 'salutation'),
			text('State', 'state'),
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'Qualified',
				description: 'The lead status; Clear sets it to none',
				options: [
					{ name: 'Clear', value: '' },
					{ name: 'Disqualified', value: 'Disqualified' },
					{ name: 'Marketing Qualified', value: 'Marketing qualified' },
					{ name: 'Qualified', value: 'Qualified' },
					{ name: 'Sales Qualified', value: 'Sales qualified' },
				],
			},
			text('Street Address', 'street_address'),
			{
				displayName: 'Terms of Service Accepted',
				name: 'terms_of_sevice',
				type: 'boolean',
				default: false,
				description: 'Whether the contact accepted the terms of service (OnceHub spells the field terms_of_sevice)',
			},
			text('Timezone', 'timezone', { placeholder: 'e.g. America/New_York', description: 'An IANA time zone name' }),
		],
	},
	recordOutputProperty('contact'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['update'] } }, properties);

const E164 = /^\+[1-9]\d{1,14}$/;

/** The fields as OnceHub's PATCH takes them; custom fields become `[{ name, value }]`. */
function patchBody(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	const { custom_fields: customFields, ...body } = fields;
	if (typeof body.owner === 'string') body.owner = checkId(ctx, itemIndex, 'user', body.owner.trim(), 'Owner ID');
	if (typeof body.phone === 'string' && !E164.test(body.phone)) {
		throw invalidInput(ctx, itemIndex, `Phone ${quoteInMessage(body.phone)} is not in E.164 format`, 'Enter the number with + and the country code, e.g. +12025550100.');
	}
	const entries = ((customFields as IDataObject | undefined)?.field ?? []) as IDataObject[];
	if (!Array.isArray(entries)) {
		throw invalidInput(ctx, itemIndex, `Custom Fields must be a list of fields, not ${describeValue(entries)}`, 'Add each custom field with its name and value.');
	}
	const mistyped = entries.findIndex(
		(entry) =>
			typeof entry !== 'object' ||
			entry === null ||
			(entry.name !== undefined && typeof entry.name !== 'string') ||
			!['string', 'number', 'boolean', 'undefined'].includes(typeof entry.value) && entry.value !== null,
	);
	if (mistyped !== -1) {
		throw invalidInput(ctx, itemIndex, `Custom field ${mistyped + 1} must have a text name and a text, number or boolean value`, 'Map the field’s name and value as plain values, not lists or objects.');
	}
	if (entries.length > 0) {
		const unnamed = entries.findIndex((entry) => String(entry.name ?? '').trim() === '');
		if (unnamed !== -1) {
			throw invalidInput(ctx, itemIndex, `Custom field ${unnamed + 1} has no name`, 'Enter the name of the field as it is in OnceHub’s field library.');
		}
		body.custom_fields = entries.map((entry) => ({ name: String(entry.name).trim(), value: entry.value ?? null }));
	}
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = readId(this, itemIndex, 'contactId', 'contact');
	const body = patchBody(this, itemIndex, readParameter(this, itemIndex, properties, 'updateFields') as IDataObject);
	if (Object.keys(body).length === 0) {
		throw invalidInput(this, itemIndex, 'No field to update', 'Add at least one field under Update Fields.');
	}
	const raw = await patchContact(clientFor(this, itemIndex), contactId, body);
	return renderRecord(readOutputMode(this, itemIndex), normalizeContact(raw), simplifyContact, raw);
}
