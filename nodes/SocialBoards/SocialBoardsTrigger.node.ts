import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { registrationProperty, triggerOptionsProperty } from '../shared/webhook/properties';
import { webhookTrigger } from '../shared/webhook/trigger';
import { socialBoardsDeliveries } from './trigger/delivery';
import { socialBoardsManual } from './trigger/lifecycle';

const trigger = webhookTrigger({
	delivery: socialBoardsDeliveries,
	registration: { manual: socialBoardsManual },
	defaultRegistration: 'manual',
	// SocialBoards checks the URL with `GET ?challenge=…&verifyToken=…` whenever the webhook is configured (A15).
	handshake: { challengeParameter: 'challenge', tokenParameter: 'verifyToken' },
});

/**
 * No credential: SocialBoards has no webhook API, so the trigger makes no request at all; it needs only the
 * verify token the user chose, which is not an API secret.
 */
export class SocialBoardsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SocialBoards Trigger',
		name: 'socialBoardsTrigger',
		icon: { light: 'file:../../icons/socialboards.svg', dark: 'file:../../icons/socialboards.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when SocialBoards chats start, get a message, are taken over or closed, or a ticket changes status',
		defaults: { name: 'SocialBoards Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: trigger.webhooks,
		properties: [
			{
				displayName:
					'SocialBoards webhooks are set up only in its dashboard. In the webhook settings of your inbox, enter this trigger’s Production URL (above) and the Verify Token you set under Options below, and choose the same events. SocialBoards checks the URL with that token when you save, so activate the workflow first. SocialBoards signs nothing: keep the URL to yourself.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			registrationProperty(
				{ manual: 'You set the webhook up in the SocialBoards dashboard; activating registers nothing at SocialBoards' },
				'manual',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['conversation_created', 'conversation_message_added', 'conversation_closed'],
				options: [
					{
						name: 'Conversation Closed',
						value: 'conversation_closed',
						description: 'An agent closed the chat or the client ended it',
					},
					{
						name: 'Conversation Created',
						value: 'conversation_created',
						description: 'A client started a chat',
					},
					{
						name: 'Conversation Message Added',
						value: 'conversation_message_added',
						description: 'The client, a teammate or the bot wrote in a chat',
					},
					{
						name: 'Conversation Takeover State Changed',
						value: 'conversation_takeover_state_changed',
						description: 'A person took the chat over from the bot, or gave it back',
					},
					{
						name: 'Ticket Status Changed',
						value: 'ticket_status_change',
						description: 'A ticket (a chat is one) changed status, e.g. open → pending; closing a chat sends this too',
					},
				],
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore messages written by a teammate or the bot, so a reply workflow cannot trigger itself. SocialBoards does not mark the messages the SocialBoards node’s Reply posts, so all of them are ignored; turn this off to get them too.',
				displayOptions: { show: { events: ['conversation_message_added'] } },
			},
			triggerOptionsProperty({ vendorName: 'SocialBoards', signed: false, handshake: true }),
		],
	};

	webhookMethods = trigger.webhookMethods;

	webhook = trigger.webhook;

	/** Records the events of the execution in static data, where n8n saves them (see recordExecutedEvents). */
	execute = trigger.execute;
}
