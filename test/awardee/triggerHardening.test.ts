import { createHmac } from 'crypto';
import { WebhookContext } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import type { WebhookRequest } from '../harness/n8n';
import { StoredStaticData } from '../harness/n8n';
import type { AwardeeSetup } from '../helpers/awardee';
import { startAwardee } from '../helpers/awardee';

const SECRET = 'whsec_hardening-secret';
const PARAMETERS = {
	registration: 'manual',
	events: ['conversation.created', 'conversation.updated', 'message.created'],
	options: { signingSecret: SECRET },
};

let setup: AwardeeSetup;

beforeAll(async () => {
	setup = await startAwardee({ seed: 5 });
});
afterAll(async () => await setup.sim.close());

function aConversation() {
	return [...setup.sim.state.conversations.values()][0];
}

function signed(event: string, payload: object, options: { deliveryId?: string; timestamp?: number } = {}): WebhookRequest {
	const delivery = setup.sim.signDelivery(event, payload, { secret: SECRET, ...options });
	return { headers: delivery.headers, body: delivery.body as IDataObject, rawBody: delivery.rawBody };
}

const deliver = async (request: WebhookRequest, store: StoredStaticData) =>
	await setup.n8n.webhookAsDeployed('awardeeTrigger', PARAMETERS, request, store);

describe('Awardee Trigger against replays and forged headers', () => {
	it('starts nothing for a delivery replayed under a new X-Awardee-Delivery id inside the window', async () => {
		const store = new StoredStaticData();
		const original = signed('conversation.created', setup.sim.conversationPayload(aConversation().id), { deliveryId: 'dlv-original' });
		const replay = { ...original, headers: { ...original.headers, 'X-Awardee-Delivery': 'dlv-forged' } };
		const first = await deliver(original, store);
		const second = await deliver(replay, store);
		expect(first.executed).toBe(true);
		expect(second.statusCode).toBe(200);
		expect(second.executed).toBe(false);
	});

	it('runs each of three changes that carry the same body (high, low, then high again)', async () => {
		const store = new StoredStaticData();
		const now = Math.floor(Date.now() / 1000);
		const conversation = aConversation();
		const bodies = ['high', 'low', 'high'].map((to, i) =>
			setup.sim.conversationPayload(conversation.id, { priority: { from: i === 1 ? 'high' : 'low', to } }),
		);
		expect(JSON.stringify(bodies[0])).toBe(JSON.stringify(bodies[2]));
		const runs = [];
		for (const [i, body] of bodies.entries()) {
			runs.push(await deliver(signed('conversation.updated', body, { deliveryId: `dlv-priority-${i}`, timestamp: now - 3 + i }), store));
		}
		expect(runs.map((run) => run.executed)).toEqual([true, true, true]);
	});

	it('refuses a message.created header on a signed conversation body instead of emitting it', async () => {
		const store = new StoredStaticData();
		const conversationBody = signed('conversation.created', setup.sim.conversationPayload(aConversation().id));
		const swapped = { ...conversationBody, headers: { ...conversationBody.headers, 'X-Awardee-Event': 'message.created' } };
		const result = await deliver(swapped, store);
		expect(result.statusCode).toBe(400);
		expect(result.executed).toBe(false);
	});

	it('refuses a conversation header on a signed message body', async () => {
		const conversation = setup.sim.addConversation({ status: 'open' });
		const message = setup.sim.addMessage(conversation.id, { text: 'Hello' });
		const messageBody = signed('message.created', setup.sim.messagePayload(message.id));
		const swapped = { ...messageBody, headers: { ...messageBody.headers, 'X-Awardee-Event': 'conversation.updated' } };
		const result = await deliver(swapped, new StoredStaticData());
		expect(result.statusCode).toBe(400);
		expect(result.executed).toBe(false);
	});

	it('takes a JSON body as n8n’s body parser read it from the signed bytes: one that starts with a byte-order mark runs', async () => {
		const payload = setup.sim.conversationPayload(setup.sim.addConversation().id) as { conversation: IDataObject };
		// n8n 2.41.1 strips a BOM before it parses an application/json body; the signature covers the bytes as sent.
		const rawBody = `\uFEFF${JSON.stringify(payload)}`;
		const timestamp = Math.floor(Date.now() / 1000);
		const signature = createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest('hex');
		const headers = {
			'Content-Type': 'application/json; charset=utf-8',
			'X-Awardee-Event': 'conversation.created',
			'X-Awardee-Delivery': 'dlv-bom',
			'X-Awardee-Signature': `t=${timestamp},v1=${signature}`,
		};
		const result = await deliver({ headers, body: payload as unknown as IDataObject, rawBody }, new StoredStaticData());
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ type: 'conversation.created', conversation: { id: payload.conversation.id } });
	});

	it('accepts a delivery without asking n8n for a copy of its node (getNode() deep-copies it every time)', async () => {
		const delivery = signed('conversation.created', setup.sim.conversationPayload(setup.sim.addConversation().id), { deliveryId: 'dlv-no-copy' });
		const getNode = jest.spyOn(WebhookContext.prototype, 'getNode');
		try {
			const result = await deliver(delivery, new StoredStaticData());
			expect(result.executed).toBe(true);
			expect(getNode).not.toHaveBeenCalled();
		} finally {
			getNode.mockRestore();
		}
	});

	it('still reads a body sent without a JSON Content-Type from its signed bytes', async () => {
		// A conversation of its own: the same body signed in the same second is a replay.
		const delivery = signed('conversation.created', setup.sim.conversationPayload(setup.sim.addConversation().id), { deliveryId: 'dlv-text' });
		const headers = { ...delivery.headers, 'Content-Type': 'text/plain' };
		// n8n leaves such a body unparsed.
		const result = await deliver({ ...delivery, headers, body: {} }, new StoredStaticData());
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items[0].json).toMatchObject({ type: 'conversation.created' });
	});
});

describe('Awardee Trigger when n8n’s address changed', () => {
	it('moves its own webhook to the new URL in place, keeping its id and secret, instead of leaving it behind', async () => {
		const mark = 'n8n wf-test/node-under-test';
		const old = setup.sim.addWebhook({ url: 'https://old-host.example.com/webhook/x', events: PARAMETERS.events, description: mark });
		const staticData: IDataObject = { 'node:Node': { webhookId: old.id, webhookSecret: old.secret } };
		const parameters = { events: PARAMETERS.events };
		if (!(await setup.n8n.hook('awardeeTrigger', parameters, 'checkExists', staticData))) {
			await setup.n8n.hook('awardeeTrigger', parameters, 'create', staticData);
		}
		const own = [...setup.sim.state.webhooks.values()].filter((webhook) => webhook.description === mark);
		expect(own).toEqual([expect.objectContaining({ id: old.id, secret: old.secret, url: 'https://hooks.example.com/webhook/hook-under-test/webhook' })]);
	});
});
