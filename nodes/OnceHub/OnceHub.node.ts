import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operations, route } from './actions/router';
import { searchBookings, searchContacts, searchUsers } from './methods';

const operationProperties = Object.values(operations).flatMap((byName) =>
	Object.values(byName).flatMap((operation) => operation.description),
);

export class OnceHub implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OnceHub',
		name: 'onceHub',
		icon: { light: 'file:../../icons/oncehub.svg', dark: 'file:../../icons/oncehub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read the chatbot conversation behind a OnceHub booking, and its contact, bookings and owner',
		defaults: { name: 'OnceHub' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'onceHubApi', required: true }],
		properties: [
			{
				displayName:
					'OnceHub’s API has no conversation endpoints: conversations arrive through the OnceHub Trigger, or here through the booking they led to.',
				name: 'notice',
				type: 'notice',
				default: '',
				displayOptions: { show: { resource: ['conversation'] } },
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'conversation',
				options: [
					{ name: 'Booking', value: 'booking' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'User', value: 'user' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['conversation'] } },
				default: 'getByBooking',
				options: [
					{
						name: 'Get by Booking',
						value: 'getByBooking',
						action: 'Get the conversation of a booking',
						description: 'Get the chatbot conversation a booking came from',
					},
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['contact'] } },
				default: 'get',
				options: [
					{ name: 'Get', value: 'get', action: 'Get a contact', description: 'Get one contact, such as a conversation’s visitor' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many contacts', description: 'List contacts, newest first' },
					{ name: 'Update', value: 'update', action: 'Update a contact', description: 'Change a contact’s name, company, status or other fields' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['booking'] } },
				default: 'get',
				options: [
					{ name: 'Get', value: 'get', action: 'Get a booking', description: 'Get one booking, with the conversation it came from' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many bookings', description: 'List bookings, newest first, for example those of one contact' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['user'] } },
				default: 'get',
				options: [
					{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user, such as a conversation’s owner' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List the users of the account' },
				],
			},
			...operationProperties,
		],
	};

	methods = {
		listSearch: { searchBookings, searchContacts, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
