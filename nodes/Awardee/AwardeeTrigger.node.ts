import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { registrationProperty } from '../shared/webhook/registration';
import { triggerOptionsProperty } from '../shared/webhook/delivery';
import { receiveDelivery } from './trigger/delivery';
import { checkExists, create, remove } from './trigger/lifecycle';

export class AwardeeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Awardee Trigger',
		name: 'awardeeTrigger',
		icon: { light: 'file:../../icons/awardee.svg', dark: 'file:../../icons/awardee.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Awardee conversations start, change or get a message',
		defaults: { name: 'Awardee Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'awardeeApi', required: true }],
		// 'noData': n8n answers an accepted delivery with an empty 200 (its default would send the text "firstEntryJson").
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Awardee delivers only to public https URLs: set n8n’s WEBHOOK_URL to the public address of this n8n.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			registrationProperty('Awardee'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['conversation.created', 'conversation.updated', 'message.created'],
				options: [
					{
						name: 'Conversation Created',
						value: 'conversation.created',
						description: 'A visitor started a chat with a chatbot',
					},
					{
						name: 'Conversation Updated',
						value: 'conversation.updated',
						description: 'Status, assignee or other fields changed (handover, resolve, close arrive here)',
					},
					{
						name: 'Message Created',
						value: 'message.created',
						description: 'A visitor, bot, agent or system marker message was posted',
					},
				],
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore messages posted through the API (like the Awardee node’s Reply), so a reply workflow cannot trigger itself',
				displayOptions: { show: { events: ['message.created'] } },
			},
			triggerOptionsProperty('Awardee', 'whsec_4f8a…'),
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
