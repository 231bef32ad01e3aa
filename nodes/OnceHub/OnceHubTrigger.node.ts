import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { registrationProperty, triggerOptionsProperty } from '../shared/webhook/properties';
import { manualRegistration } from '../shared/webhook/strategies';
import { webhookTrigger } from '../shared/webhook/trigger';
import { onceHubDeliveries } from './trigger/delivery';
import { onceHubWebhookApi } from './trigger/lifecycle';

const trigger = webhookTrigger({
	delivery: onceHubDeliveries,
	registration: {
		automatic: onceHubWebhookApi,
		manual: manualRegistration({
			signed: true,
			whereToFindSecret: 'OnceHub shows the secret once, when you create the webhook under Account Integrations → APIs & Webhooks.',
		}),
	},
	defaultRegistration: 'automatic',
});

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
		webhooks: trigger.webhooks,
		properties: [
			registrationProperty(
				{
					automatic: 'Activating the workflow creates the webhook in OnceHub; deactivating deletes it',
					manual: "You add this trigger's production URL as a webhook in the OnceHub dashboard and paste its signing secret under Options",
				},
				'automatic',
			),
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
			triggerOptionsProperty({
				vendorName: 'OnceHub',
				signed: true,
				example: 'd7686b8c83f04913929079aeae40189e',
				secretDescription:
					'The signing secret of a webhook made in the OnceHub dashboard (Registration: Manual). With Automatic registration OnceHub hands the secret to n8n itself.',
			}),
		],
	};

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Records the events of the execution in static data, where n8n saves them (see recordExecutedEvents). */
	execute = trigger.execute;
}
