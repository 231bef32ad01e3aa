import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeToOperation } from '../shared/operation';
import * as booking from './actions/booking/Booking.resource';
import * as contact from './actions/contact/Contact.resource';
import * as conversation from './actions/conversation/Conversation.resource';
import * as user from './actions/user/User.resource';
import { searchBookings, searchContacts, searchUsers } from './methods';

const resources = { conversation: conversation.operations, contact: contact.operations, booking: booking.operations, user: user.operations };

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
			...conversation.description,
			...contact.description,
			...booking.description,
			...user.description,
		],
	};

	methods = {
		listSearch: { searchBookings, searchContacts, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeToOperation(this, resources);
	}
}
