import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { N8nHarness, WebhookRequest } from '../harness/n8n';
import { startAwardee } from '../helpers/awardee';
import { startOnceHub } from '../helpers/oncehub';

/**
 * What the vendor-neutral trigger suite needs from one vendor: its simulator and harness, trigger
 * parameters that verify with a pasted secret, and deliveries signed the way the vendor signs them.
 * A new vendor gets the whole suite by adding its entry to TRIGGER_FIXTURES.
 */
export interface TriggerFixture {
	vendor: string;
	nodeType: string;
	start(): Promise<StartedFixture>;
}

export interface StartedFixture {
	n8n: N8nHarness;
	/** Trigger parameters: every event selected, verification with the fixture's secret. */
	parameters: IDataObject;
	/** Parameters that select only events other than the one `event()` delivers. */
	parametersWithoutTheEvent: IDataObject;
	/** One event; each call of `copy()` is the same event as the vendor sends it again (freshly signed). */
	event(): { copy(): WebhookRequest };
	/** A body that is not JSON, validly signed, with whatever else the vendor sends. */
	signedNonJson(text: string): WebhookRequest;
	/** A delivery signed with another secret. */
	badlySigned(): WebhookRequest;
	close(): Promise<void>;
}

const SECRET = 'whsec_trigger-suite-secret';
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
	nodeType: 'awardeeTrigger',
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
	nodeType: 'onceHubTrigger',
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

export const TRIGGER_FIXTURES: TriggerFixture[] = [awardee, onceHub];
