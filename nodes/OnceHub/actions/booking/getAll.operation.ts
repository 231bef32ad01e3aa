import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/execute';
import {
	limitProperty,
	readOutputMode,
	readParameter,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { requireObject } from '../../../shared/normalize';
import { listRenderer } from '../../../shared/output';
import type { ApiClient } from '../../../shared/transport/client';
import type { Take } from '../../../shared/transport/paginate';
import { normalizeBooking, simplifyBooking } from '../../normalize';
import { fetchBooking, isExpandRefusal, listAll } from '../../transport';
import {
	checkId,
	clientFor,
	recordOutputProperty,
	timeFilterOptions,
	timeFilterQuery,
} from '../common';

const TIME_FIELDS = ['creation_time', 'starting_time', 'last_updated_time'];

const [createdAfter, createdBefore, startsAfter, startsBefore, updatedAfter, updatedBefore] = timeFilterOptions([
	{ field: 'creation_time', label: 'Created', noun: 'bookings' },
	{ field: 'starting_time', label: 'Starts', noun: 'bookings' },
	{ field: 'last_updated_time', label: 'Updated', noun: 'bookings' },
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
			{
				displayName: 'Contact ID',
				name: 'contact',
				type: 'string',
				default: '',
				placeholder: 'e.g. CTC-8HT3QW5ZLM',
				description: 'Only bookings scheduled with this contact, such as a conversation’s visitor',
			},
			createdAfter,
			createdBefore,
			{
				displayName: 'Owner ID',
				name: 'owner',
				type: 'string',
				default: '',
				placeholder: 'e.g. USR-GNSBE50D6A',
				description: 'Only bookings owned by this user',
			},
			startsAfter,
			startsBefore,
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'scheduled',
				options: [
					{ name: 'Canceled', value: 'canceled' },
					{ name: 'Completed', value: 'completed' },
					{ name: 'No Show', value: 'no_show' },
					{ name: 'Requested', value: 'requested' },
					{ name: 'Rescheduled', value: 'rescheduled' },
					{ name: 'Scheduled', value: 'scheduled' },
				],
			},
			updatedAfter,
			updatedBefore,
		],
	},
	recordOutputProperty('booking'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Conversation',
				name: 'includeConversation',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the chatbot conversation each booking came from. Where OnceHub does not expand it in the list, each such booking is fetched once more (5 requests per second).',
			},
		],
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['getAll'] } }, properties);

function listQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = readParameter(ctx, itemIndex, properties, 'filters') as IDataObject;
	const qs: IDataObject = timeFilterQuery(ctx, itemIndex, filters, TIME_FIELDS);
	const contact = String(filters.contact ?? '').trim();
	if (contact) qs.contact = checkId(ctx, itemIndex, 'contact', contact);
	const owner = String(filters.owner ?? '').trim();
	if (owner) qs.owner = checkId(ctx, itemIndex, 'user', owner, 'Owner ID');
	if (typeof filters.status === 'string' && filters.status !== '') qs.status = filters.status;
	return qs;
}

/**
 * Whether OnceHub expands `data.conversation` in the booking list is not documented: the list is asked to,
 * and a booking that still carries only the conversation's id (or a list that refuses the expansion) is
 * completed with `GET /bookings/{id}?expand=conversation`, which the Booking object documents.
 */
async function listBookingsWithConversation(
	ctx: IExecuteFunctions,
	client: ApiClient,
	take: Take,
	qs: IDataObject,
): Promise<IDataObject[]> {
	let bookings: IDataObject[];
	try {
		bookings = await listAll(client, '/bookings', take, { ...qs, expand: 'data.conversation' });
	} catch (error) {
		if (!isExpandRefusal(error)) throw asNodeError(ctx.getNode(), error);
		bookings = await listAll(client, '/bookings', take, qs);
	}
	const complete: IDataObject[] = [];
	for (const booking of bookings) {
		const onlyId = typeof booking.conversation === 'string' && booking.conversation !== '';
		complete.push(onlyId ? await fetchBooking(client, String(booking.id), 'conversation') : booking);
	}
	return complete;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const qs = listQuery(this, itemIndex);
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const mode = readOutputMode(this, itemIndex);
	const render = listRenderer(mode, normalizeBooking, simplifyBooking, (raw) => requireObject('OnceHub', 'a booking', raw));
	const client = clientFor(this, itemIndex);
	const take = readTake(this, itemIndex);
	// Without conversations to complete, each page is rendered as it arrives.
	if (options.includeConversation !== true) return await listAll(client, '/bookings', take, qs, render);
	return (await listBookingsWithConversation(this, client, take, qs)).map(render);
}
