import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerOptionsProperty } from '../shared/webhook/delivery';
import { registrationProperty } from '../shared/webhook/registration';
import { receiveDelivery } from './trigger/delivery';
import { checkExists, create, remove } from './trigger/lifecycle';

export class OnceHubTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OnceHub Trigger',
		name: 'onceHubTrigger',
		icon: { light: 'file:../../icons/oncehub.svg', dark: 'file:../../icons/oncehub.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a OnceHub chatbot conversation starts, closes or is abandoned',
		defaults: { name: 'OnceHub Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'onceHubApi', required: true, displayOptions: { show: { registration: ['automatic'] } } },
		],
		// 'noData': n8n answers an accepted delivery with an empty 200 (its default would send the text "firstEntryJson").
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties: [
			registrationProperty('OnceHub'),
			{
				displayName:
					'OnceHub delivers only to https URLs it can reach: set n8n’s WEBHOOK_URL to the public address of this n8n. Only the webhook this trigger created is ever changed or removed.',
				name: 'automaticNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName:
					'In OnceHub, open Account Integrations → APIs & Webhooks → Create Webhook, paste this trigger’s Production URL, choose the same conversation events, and copy the secret OnceHub shows once into Options → Signing Secret.',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['conversation.started', 'conversation.closed', 'conversation.abandoned'],
				options: [
					{
						name: 'Conversation Abandoned',
						value: 'conversation.abandoned',
						description: 'The visitor stopped answering the chatbot for more than 10 minutes',
					},
					{
						name: 'Conversation Closed',
						value: 'conversation.closed',
						description: 'The visitor reached the end of the flow, or started a conversation with another chatbot',
					},
					{
						name: 'Conversation Started',
						value: 'conversation.started',
						description: 'The visitor answered a chatbot for the first time',
					},
				],
			},
			triggerOptionsProperty('OnceHub', 'd7686b8c83f04913929079aeae40189e'),
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
