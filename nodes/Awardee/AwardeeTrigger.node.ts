import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { registrationProperty, triggerOptionsProperty } from '../shared/webhook/properties';
import { manualRegistration } from '../shared/webhook/strategies';
import { webhookTrigger } from '../shared/webhook/trigger';
import { awardeeDeliveries } from './trigger/delivery';
import { awardeeWebhookApi } from './trigger/lifecycle';

const trigger = webhookTrigger({
	delivery: awardeeDeliveries,
	registration: {
		automatic: awardeeWebhookApi,
		manual: manualRegistration({
			signed: true,
			whereToFindSecret: 'Awardee shows the signing secret (whsec_…) on the webhook’s page under Settings → Webhooks.',
		}),
	},
	defaultRegistration: 'automatic',
});

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
		webhooks: trigger.webhooks,
		properties: [
			{
				displayName:
					'Awardee delivers only to public https URLs: set n8n’s WEBHOOK_URL to the public address of this n8n.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			registrationProperty(
				{
					automatic: 'Activating the workflow creates the webhook in Awardee; deactivating deletes it',
					manual: "You add this trigger's production URL as a webhook in the Awardee dashboard and paste its signing secret under Options",
				},
				'automatic',
			),
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
			triggerOptionsProperty({
				vendorName: 'Awardee',
				signed: true,
				example: 'whsec_4f8a…',
				secretDescription:
					'The signing secret of a webhook made in the Awardee dashboard (Registration: Manual). With Automatic registration Awardee hands the secret to n8n itself.',
			}),
		],
	};

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Records the events of the execution in static data, where n8n saves them (see recordExecutedEvents). */
	execute = trigger.execute;
}
