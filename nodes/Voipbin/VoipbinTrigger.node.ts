import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { registrationProperty, triggerOptionsProperty } from '../shared/webhook/properties';
import { webhookTrigger } from '../shared/webhook/trigger';
import { voipbinDeliveries } from './trigger/delivery';
import { voipbinManual, voipbinTakeover } from './trigger/lifecycle';

const trigger = webhookTrigger({
	delivery: voipbinDeliveries,
	registration: { manual: voipbinManual, takeover: voipbinTakeover },
	defaultRegistration: 'manual',
});

export class VoipbinTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VoIPbin Trigger',
		name: 'voipbinTrigger',
		icon: { light: 'file:../../icons/voipbin.svg', dark: 'file:../../icons/voipbin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when VoIPbin conversations start, change or get a message',
		defaults: { name: 'VoIPbin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'voipbinApi', required: true }],
		webhooks: trigger.webhooks,
		properties: [
			{
				displayName:
					'VoIPbin has one webhook URL per account, and delivers only to public addresses: set n8n’s WEBHOOK_URL to the public https address of this n8n.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			registrationProperty(
				{
					manual:
						"You set this trigger's Production URL as the customer's webhook in VoIPbin (method POST); activating changes nothing at VoIPbin",
					takeover:
						"Activating points the account's webhook at this trigger and keeps the previous one; deactivating gives it back if the account still points here",
				},
				'manual',
			),
			{
				displayName:
					'Set the Production URL above as the webhook of your VoIPbin customer, with method POST (VoIPbin admin console, or PUT /v1.0/customer). Every event of the account then comes here; the trigger answers the ones not selected below without running.',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName:
					'While this workflow is active, whatever the account webhook pointed at before receives no VoIPbin events.',
				name: 'takeoverNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['takeover'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['conversation_created', 'conversation_updated', 'conversation_message_created'],
				options: [
					{
						name: 'Conversation Created',
						value: 'conversation_created',
						description: 'An inbound SMS, LINE or other message opened a conversation',
					},
					{
						name: 'Conversation Updated',
						value: 'conversation_updated',
						description: 'The conversation was renamed, assigned or unassigned (VoIPbin does not say which)',
					},
					{
						name: 'Message Created',
						value: 'conversation_message_created',
						description: 'A message came in or was sent',
					},
					{
						name: 'Message Deleted',
						value: 'conversation_message_deleted',
						description: 'A message was deleted',
					},
					{
						name: 'Message Updated',
						value: 'conversation_message_updated',
						description: 'A sent message’s status changed (progressing → done or failed)',
					},
				],
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore outgoing messages (those the VoIPbin node’s Reply sends, and agents’ replies: VoIPbin does not tell them apart), so a reply workflow cannot trigger itself',
				displayOptions: { show: { events: ['conversation_message_created'] } },
			},
			triggerOptionsProperty({
				vendorName: 'VoIPbin',
				signed: true,
				timestamped: false,
				secretDescription:
					'The customer’s webhook_secret. Leave empty to have activation read it from VoIPbin (GET /customer); a secret pasted here is used instead.',
			}),
		],
	};

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Records the events of the execution in static data, where n8n saves them (see recordExecutedEvents). */
	execute = trigger.execute;
}
