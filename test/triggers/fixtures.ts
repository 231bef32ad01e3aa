import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { WebhookRequest } from '../harness/n8n';
import { N8nHarness } from '../harness/n8n';
import { startAwardee } from '../helpers/awardee';
import { startOnceHub } from '../helpers/oncehub';
import { startSocialBoardsTrigger } from '../socialboards/triggerSetup';
import { startVoipbinTrigger } from '../voipbin/triggerSetup';
import { AccountHookTrigger } from './sampleVendors';

/**
 * What the vendor-neutral trigger suite needs from one vendor: its simulator and harness, trigger
 * parameters that verify with a pasted secret, and deliveries signed the way the vendor signs them.
 * A new vendor gets the whole suite by adding its entry to TRIGGER_FIXTURES.
 */
export interface TriggerFixture {
	vendor: string;
	nodeType: string;
	/** Whether the vendor is one of the published schema's vendors (a sample vendor is not). */
	inPublishedSchema: boolean;
	/** Whether the vendor signs its deliveries; an unsigned vendor's events carry `signatureVerified: null`. */
	signed: boolean;
	start(): Promise<StartedFixture>;
}

export interface StartedFixture {
	n8n: N8nHarness;
	/** Trigger parameters: every event selected, verification with the fixture's secret (where the vendor signs). */
	parameters: IDataObject;
	/** Parameters that select only events other than the one `event()` delivers. */
	parametersWithoutTheEvent: IDataObject;
	/** One event; each call of `copy()` is the same event as the vendor sends it again (freshly signed). */
	event(): { copy(): WebhookRequest };
	/** A body that is not JSON, validly signed (where the vendor signs), with whatever else the vendor sends. */
	signedNonJson(text: string): WebhookRequest;
	/** A delivery signed with another secret; only for a vendor that signs. */
	badlySigned?(): WebhookRequest;
	close(): Promise<void>;
}

/** The secret every fixture signs with and pastes into its parameters. */
export const FIXTURE_SECRET = 'whsec_trigger-suite-secret';
const SECRET = FIXTURE_SECRET;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const hmac = (payload: string, secret = SECRET) => createHmac('sha256', secret).update(payload).digest('hex');

function request(headers: Record<string, string>, rawBody: string): WebhookRequest {
	let body: IDataObject = {};
	try {
		body = JSON.parse(rawBody) as IDataObject;
	} catch {
		// n8n hands a body it cannot parse over as an empty object; the raw bytes stay in rawBody.
	}
	return { headers, body, rawBody };
}

const awardee: TriggerFixture = {
	vendor: 'awardee',
	signed: true,
	nodeType: 'awardeeTrigger',
	inPublishedSchema: true,
	async start() {
		const setup = await startAwardee({ seed: 11 });
		const events = ['conversation.created', 'conversation.updated', 'message.created'];
		const parameters = { registration: 'manual', events, options: { signingSecret: SECRET } };
		// Each event is about its own conversation: two events with one body in one second are one delivery.
		const sign = (event: string, deliveryId: string, conversationId: string, secret = SECRET) => {
			const signed = setup.sim.signDelivery(event, setup.sim.conversationPayload(conversationId), { secret, deliveryId });
			return request(signed.headers, signed.rawBody);
		};
		return {
			n8n: setup.n8n,
			parameters,
			parametersWithoutTheEvent: { ...parameters, events: ['message.created'] },
			event() {
				const deliveryId = `dlv-suite-${Math.random()}`;
				const conversationId = setup.sim.addConversation().id;
				return { copy: () => sign('conversation.created', deliveryId, conversationId) };
			},
			signedNonJson(text) {
				const t = nowSeconds();
				return request(
					{
						'X-Awardee-Event': 'conversation.created',
						'X-Awardee-Delivery': `dlv-text-${Math.random()}`,
						'X-Awardee-Timestamp': String(t),
						'X-Awardee-Signature': `t=${t},v1=${hmac(`${t}.${text}`)}`,
					},
					text,
				);
			},
			badlySigned: () => sign('conversation.created', 'dlv-bad', setup.sim.addConversation().id, 'whsec_another'),
			close: async () => await setup.sim.close(),
		};
	},
};

const onceHub: TriggerFixture = {
	vendor: 'oncehub',
	signed: true,
	nodeType: 'onceHubTrigger',
	inPublishedSchema: true,
	async start() {
		const setup = await startOnceHub({ seed: 11 });
		const events = ['conversation.started', 'conversation.closed', 'conversation.abandoned'];
		const parameters = { registration: 'manual', events, options: { signingSecret: SECRET } };
		const conversationId = [...setup.sim.state.conversations.values()][0].id;
		const sign = (eventId: string, creationTime: string, secret = SECRET) => {
			const data = setup.sim.conversationEventData(conversationId);
			const signed = setup.sim.signDelivery('conversation.closed', data, { secret, eventId, creationTime });
			return request(signed.headers, signed.rawBody);
		};
		return {
			n8n: setup.n8n,
			parameters,
			parametersWithoutTheEvent: { ...parameters, events: ['conversation.started'] },
			event() {
				const eventId = `EVNT-${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
				const creationTime = new Date().toISOString();
				return { copy: () => sign(eventId, creationTime) };
			},
			signedNonJson(text) {
				const t = nowSeconds();
				return request({ 'Oncehub-Signature': `t=${t},s=${hmac(`${t}.${text}`)}` }, text);
			},
			badlySigned: () => sign('EVNT-BAD0000001', new Date().toISOString(), 'another-secret'),
			close: async () => await setup.sim.close(),
		};
	},
};

/** The sample one-webhook vendor (sha256= HMAC of the body, no event id): it needs no simulator to be delivered to. */
const accountHook: TriggerFixture = {
	vendor: 'accounthook',
	signed: true,
	nodeType: 'accountHookTrigger',
	inPublishedSchema: false,
	async start() {
		const n8n = new N8nHarness({ nodes: { accountHookTrigger: new AccountHookTrigger() }, credentialTypes: [], credentials: {} });
		const parameters = { registration: 'manual', events: ['conversation_created', 'message_created'], options: { signingSecret: SECRET } };
		const sign = (rawBody: string, secret = SECRET) =>
			request({ 'X-Account-Signature': `sha256=${hmac(rawBody, secret)}` }, rawBody);
		const eventBody = () => JSON.stringify({ events: [{ type: 'conversation_created', data: { id: `c-${Math.random()}` } }] });
		return {
			n8n,
			parameters,
			parametersWithoutTheEvent: { ...parameters, events: ['message_created'] },
			event() {
				const rawBody = eventBody();
				return { copy: () => sign(rawBody) };
			},
			signedNonJson: (text) => sign(text),
			badlySigned: () => sign(eventBody(), 'another-secret'),
			close: async () => undefined,
		};
	},
};

const voipbin: TriggerFixture = {
	vendor: 'voipbin',
	signed: true,
	nodeType: 'voipbinTrigger',
	inPublishedSchema: true,
	async start() {
		const setup = await startVoipbinTrigger({ seed: 11 });
		const events = ['conversation_created', 'conversation_updated', 'conversation_message_created'];
		const parameters = { registration: 'manual', events, options: { signingSecret: SECRET } };
		// VoIPbin sends no event id and repeats the same bytes: a copy is the same signed body again.
		const sign = (type: string, data: unknown, secret = SECRET) => {
			const delivery = setup.sim.signDelivery(type, data, { secret });
			return request(delivery.headers, delivery.rawBody);
		};
		const newConversation = () => setup.sim.conversationData(setup.sim.addConversation().id);
		return {
			n8n: setup.n8n,
			parameters,
			parametersWithoutTheEvent: { ...parameters, events: ['conversation_message_created'] },
			event() {
				const data = newConversation();
				return { copy: () => sign('conversation_created', data) };
			},
			signedNonJson: (text) => request({ 'X-Voipbin-Signature': `sha256=${hmac(text)}` }, text),
			badlySigned: () => sign('conversation_created', newConversation(), 'another-secret'),
			close: async () => await setup.close(),
		};
	},
};

const socialBoards: TriggerFixture = {
	vendor: 'socialboards',
	nodeType: 'socialBoardsTrigger',
	inPublishedSchema: true,
	signed: false,
	async start() {
		const setup = await startSocialBoardsTrigger();
		const events = ['conversation_created', 'conversation_message_added', 'conversation_closed'];
		// SocialBoards signs nothing; the verify token only answers its GET handshake.
		const parameters = { registration: 'manual', events, options: { verifyToken: 'suite-verify-token' } };
		return {
			n8n: setup.n8n,
			parameters,
			parametersWithoutTheEvent: { ...parameters, events: ['conversation_closed'] },
			event() {
				// SocialBoards sends no id and repeats a delivery with the same body.
				const rawBody = JSON.stringify(setup.sim.eventBody('conversation_created', setup.sim.addTicket().id));
				return { copy: () => request({ 'Content-Type': 'application/json' }, rawBody) };
			},
			signedNonJson: (text) => request({ 'Content-Type': 'application/json' }, text),
			close: async () => await setup.close(),
		};
	},
};

export const TRIGGER_FIXTURES: TriggerFixture[] = [awardee, onceHub, voipbin, socialBoards, accountHook];
