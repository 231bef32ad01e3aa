/**
 * Two made-up vendors built only from the shared trigger core, the way VoIPbin and SocialBoards will be:
 * - "Account Hook": one webhook URL per account (GET/PUT /account), `sha256=` HMAC of the raw body, no
 *   event id, several events per POST, outgoing messages to ignore; registration Manual or Take Over.
 * - "Dashboard Hook": set up in the vendor's dashboard, a GET challenge with a verify token, no signature.
 * They exist to test the core's parts that Awardee and OnceHub do not use.
 */
import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildConversation } from '../../nodes/shared/normalize';
import type { ConversationEvent } from '../../nodes/shared/types';
import type { DeliveryDialect, VendorEvent } from '../../nodes/shared/webhook/delivery';
import { registrationProperty, triggerOptionsProperty } from '../../nodes/shared/webhook/properties';
import { accountWebhookTakeover, manualRegistration } from '../../nodes/shared/webhook/strategies';
import { webhookTrigger } from '../../nodes/shared/webhook/trigger';
import type { SimServer } from '../simulators/http-sim';
import { Router, startSimServer } from '../simulators/http-sim';

export interface AccountState {
	webhook_uri?: string;
	webhook_method?: string;
	webhook_secret: string;
	name: string;
}

export interface AccountSimulator {
	server: SimServer;
	account: AccountState;
}

/** GET /account (with the secret) and PUT /account (all members, as one-webhook vendors want). */
export async function startAccountSimulator(account: AccountState): Promise<AccountSimulator> {
	const sim: AccountSimulator = { server: undefined as unknown as SimServer, account };
	const router = new Router()
		.on('GET', '/account', () => ({ status: 200, body: sim.account }))
		.on('PUT', '/account', (request) => {
			const body = request.body as IDataObject;
			if (typeof body.name !== 'string' || typeof body.webhook_uri !== 'string' || typeof body.webhook_method !== 'string') {
				return { status: 400, body: { error: 'name, webhook_uri and webhook_method are required' } };
			}
			sim.account = { ...sim.account, name: body.name, webhook_uri: body.webhook_uri, webhook_method: body.webhook_method };
			return { status: 200, body: sim.account };
		});
	sim.server = await startSimServer({
		host: '127.0.0.1',
		handle: async (request) => (await router.dispatch(request)) ?? { status: 404, body: { error: 'not found' } },
	});
	return sim;
}

function eventOf(vendor: string, event: VendorEvent, eventId: string, signatureVerified: boolean | null, receivedAt: string): ConversationEvent {
	const data = event.body;
	return {
		schemaVersion: 1,
		vendor,
		type: event.type === 'conversation_created' ? 'conversation.created' : event.type === 'message_created' ? 'message.created' : 'other',
		vendorEventType: event.type,
		eventId,
		occurredAt: null,
		receivedAt,
		conversation: buildConversation(vendor, String(data.conversation_id ?? data.id), {}),
		message: null,
		changes: null,
		delivery: { id: null, signatureVerified, source: 'webhook' },
	};
}

const splitEvents: DeliveryDialect['events'] = (delivery) => {
	const body = delivery.body as IDataObject;
	if (!Array.isArray(body?.events)) return { refuse: 'body is not an event' };
	return (body.events as IDataObject[]).map((item) => ({ type: String(item.type), body: (item.data ?? {}) as IDataObject }));
};

const accountDeliveries: DeliveryDialect = {
	signature: { kind: 'bodyHmac', header: 'x-account-signature', prefix: 'sha256=' },
	preferredSecret: 'pasted',
	events: splitEvents,
	isOwnMessage: (event) => event.type === 'message_created' && event.body.direction === 'outgoing',
	normalize: (event, context) => eventOf('accounthook', event, context.eventId, context.signatureVerified, context.receivedAt),
};

let accountBaseUrl = '';
let accountIsProduction = false;
/** Where the Account Hook trigger finds its vendor, and whether that counts as the vendor's production host. */
export function useAccountSimulator(baseUrl: string, options: { production?: boolean } = {}): void {
	accountBaseUrl = baseUrl;
	accountIsProduction = options.production ?? false;
}

async function readAccount(ctx: IHookFunctions): Promise<IDataObject> {
	return (await ctx.helpers.httpRequest({ method: 'GET', url: `${accountBaseUrl}/account`, json: true })) as IDataObject;
}

const accountTrigger = webhookTrigger({
	delivery: accountDeliveries,
	registration: {
		manual: manualRegistration({ signed: true }),
		takeover: accountWebhookTakeover({
			vendorName: 'Account Hook',
			method: 'POST',
			signed: true,
			requiresPublicUrl: async () => accountIsProduction,
			async read(ctx) {
				const account = await readAccount(ctx);
				return {
					url: String(account.webhook_uri ?? ''),
					method: String(account.webhook_method ?? ''),
					secret: typeof account.webhook_secret === 'string' ? account.webhook_secret : undefined,
				};
			},
			async write(ctx, target) {
				const account = await readAccount(ctx);
				await ctx.helpers.httpRequest({
					method: 'PUT',
					url: `${accountBaseUrl}/account`,
					body: { name: account.name ?? '', webhook_uri: target.url, webhook_method: target.method },
					json: true,
				});
			},
		}),
	},
	defaultRegistration: 'manual',
});

export class AccountHookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Account Hook Trigger',
		name: 'accountHookTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test vendor with one account-wide webhook',
		defaults: { name: 'Account Hook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: accountTrigger.webhooks,
		properties: [
			registrationProperty({ manual: 'Paste the URL yourself', takeover: 'The trigger points the account webhook at itself' }, 'manual'),
			{ displayName: 'Events', name: 'events', type: 'multiOptions', default: [], options: [] },
			{ displayName: 'Ignore Own Messages', name: 'ignoreOwnMessages', type: 'boolean', default: true },
			triggerOptionsProperty({ vendorName: 'Account Hook', signed: true, timestamped: false }),
		],
	};

	webhookMethods = accountTrigger.webhookMethods;

	webhook = accountTrigger.webhook;

	execute = accountTrigger.execute;
}

const dashboardTrigger = webhookTrigger({
	delivery: {
		signature: { kind: 'none' },
		preferredSecret: 'pasted',
		events: splitEvents,
		normalize: (event, context) => eventOf('dashboardhook', event, context.eventId, context.signatureVerified, context.receivedAt),
	},
	registration: { manual: manualRegistration({ signed: false }) },
	defaultRegistration: 'manual',
	handshake: { challengeParameter: 'challenge', tokenParameter: 'verifyToken' },
});

export class DashboardHookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dashboard Hook Trigger',
		name: 'dashboardHookTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test vendor set up in its dashboard, with a GET challenge',
		defaults: { name: 'Dashboard Hook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: dashboardTrigger.webhooks,
		properties: [
			{ displayName: 'Events', name: 'events', type: 'multiOptions', default: [], options: [] },
			triggerOptionsProperty({ vendorName: 'Dashboard Hook', signed: false, handshake: true }),
		],
	};

	webhookMethods = dashboardTrigger.webhookMethods;

	webhook = dashboardTrigger.webhook;

	execute = dashboardTrigger.execute;
}
