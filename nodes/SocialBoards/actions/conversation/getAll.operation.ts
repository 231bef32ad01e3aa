import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	limitProperty,
	outputProperty,
	readOutputMode,
	readParameter,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from '../../../shared/parameters';
import { listTickets, TICKET_ORDERS } from '../../transport';
import { clientFor, renderListedTicket } from '../client';
import { statusOptions } from './statusOptions';

const ORDER_NAMES: Record<(typeof TICKET_ORDERS)[number], string> = {
	last_thread_activity_desc: 'Latest Activity First',
	last_thread_activity_asc: 'Oldest Activity First',
	creation_time_desc: 'Newest First',
	creation_time_asc: 'Oldest First',
};

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
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: '',
				placeholder: 'e.g. web',
				description: 'Only tickets from this SocialBoards source (its TicketSource value, e.g. web or email)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'open',
				options: statusOptions,
				description: 'Only conversations with this ticket status',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'orderBy',
		type: 'options',
		default: 'last_thread_activity_desc',
		options: TICKET_ORDERS.map((value) => ({ name: ORDER_NAMES[value], value })),
		description: 'The order SocialBoards lists the conversations in; it is sent with every page so that pages line up',
	},
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getAll'] } }, properties);

/** Through the Ticket API (the Chat API has no list): chats and the other tickets of the inbox, email included. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = readParameter(this, itemIndex, properties, 'filters') as IDataObject;
	const body: IDataObject = { orderBy: readParameter(this, itemIndex, properties, 'orderBy') as string };
	if (typeof filters.status === 'string' && filters.status !== '') body.status = filters.status;
	const source = String(filters.source ?? '').trim();
	if (source !== '') body.source = source;
	const mode = readOutputMode(this, itemIndex);
	const tickets = await listTickets(clientFor(this, itemIndex), readTake(this, itemIndex), body);
	return tickets.map((ticket) => renderListedTicket(mode, ticket));
}
