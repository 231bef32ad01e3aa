import type { IDataObject } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { AwardeeTrigger } from '../../nodes/Awardee/AwardeeTrigger.node';
import { N8nHarness } from '../harness/n8n';
import type { AwardeeSetup } from '../helpers/awardee';
import { byId, startAwardee } from '../helpers/awardee';
import { expectValid } from '../helpers/schema';

const HOOK_URL = 'https://hooks.example.com/webhook/hook-under-test/webhook';
const ALL_EVENTS = ['conversation.created', 'conversation.updated', 'message.created'];

let setup: AwardeeSetup;

beforeAll(async () => {
	setup = await startAwardee({ seed: 3 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function webhooks() {
	return [...setup.sim.state.webhooks.values()];
}

function ownWebhooks() {
	return webhooks().filter((webhook) => webhook.description === 'n8n wf-test/node-under-test');
}

/** What n8n does on activation: create unless checkExists adopts an existing registration. */
async function activate(parameters: IDataObject, staticData: IDataObject) {
	if (!(await setup.n8n.hook('awardeeTrigger', parameters, 'checkExists', staticData))) {
		await setup.n8n.hook('awardeeTrigger', parameters, 'create', staticData);
	}
}

async function activated(parameters: IDataObject = { events: ALL_EVENTS }) {
	const staticData: IDataObject = {};
	await activate(parameters, staticData);
	return staticData;
}

function nodeState(staticData: IDataObject): IDataObject {
	return staticData['node:Node'] as IDataObject;
}

describe('Awardee Trigger registration', () => {
	it('registers one webhook for n8n’s URL and the chosen events, keeping its id and secret', async () => {
		const staticData = await activated({ events: ['conversation.updated', 'message.created'] });
		expect(ownWebhooks()).toHaveLength(1);
		const [webhook] = ownWebhooks();
		expect(webhook).toMatchObject({ url: HOOK_URL, events: ['conversation.updated', 'message.created'] });
		expect(nodeState(staticData)).toMatchObject({ webhookId: webhook.id, webhookSecret: webhook.secret });
	});

	it('adopts its own webhook on a second activation instead of duplicating it', async () => {
		const staticData = await activated();
		await activate({ events: ALL_EVENTS }, staticData);
		expect(ownWebhooks()).toHaveLength(1);
		expect(setup.sim.requests.filter((r) => r.method === 'POST' && r.path === '/webhooks')).toHaveLength(1);
	});

	it('replaces its own webhook when it lost the secret, leaving exactly one', async () => {
		await activated();
		const first = ownWebhooks()[0];
		const fresh: IDataObject = {};
		await activate({ events: ALL_EVENTS }, fresh);
		expect(ownWebhooks()).toHaveLength(1);
		expect(ownWebhooks()[0].id).not.toBe(first.id);
		expect(nodeState(fresh).webhookSecret).toBe(ownWebhooks()[0].secret);
	});

	it('updates its own webhook in place when the events change', async () => {
		const staticData = await activated({ events: ['conversation.created'] });
		const { id, secret } = ownWebhooks()[0];
		await activate({ events: ['conversation.created', 'message.created'] }, staticData);
		expect(ownWebhooks()).toHaveLength(1);
		expect(ownWebhooks()[0]).toMatchObject({ id, secret, events: ['conversation.created', 'message.created'] });
	});

	it('never adopts, changes or deletes a webhook it did not create', async () => {
		const byHand = setup.sim.addWebhook({ url: HOOK_URL, events: ['conversation.created'], description: 'made in the dashboard' });
		const elsewhere = setup.sim.addWebhook({ url: 'https://crm.example.com/hook', events: ALL_EVENTS, description: null });
		const staticData = await activated();
		expect(ownWebhooks()).toHaveLength(1);
		await setup.n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'delete', staticData);
		expect(webhooks().map((w) => w.id).sort()).toEqual([byHand.id, elsewhere.id].sort());
		expect(setup.sim.state.webhooks.get(byHand.id)).toMatchObject({ events: ['conversation.created'] });
	});

	it('removes its webhook on deactivation and forgets it', async () => {
		const staticData = await activated();
		await setup.n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'delete', staticData);
		expect(ownWebhooks()).toHaveLength(0);
		expect(nodeState(staticData).webhookId).toBeUndefined();
		expect(nodeState(staticData).webhookSecret).toBeUndefined();
	});

	it('reports a failed deletion without failing deactivation, and forgets the webhook', async () => {
		const staticData = await activated();
		setup.sim.injectFault({ method: 'DELETE', path: '/webhooks/:id', status: 500, times: 10 });
		await expect(
			setup.n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'delete', staticData),
		).resolves.toBe(false);
		expect(nodeState(staticData).webhookId).toBeUndefined();
	});

	it('treats a webhook already deleted in Awardee as removed', async () => {
		const staticData = await activated();
		setup.sim.state.webhooks.clear();
		await expect(setup.n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'delete', staticData)).resolves.toBe(true);
	});

	it('registers nothing in manual mode, and needs the pasted secret to activate', async () => {
		const manual = { events: ALL_EVENTS, registration: 'manual' };
		await expect(setup.n8n.hook('awardeeTrigger', manual, 'checkExists', {})).rejects.toThrow(
			'Manual registration needs the webhook’s signing secret',
		);
		const withSecret = { ...manual, options: { signingSecret: 'whsec_pasted' } };
		await expect(setup.n8n.hook('awardeeTrigger', withSecret, 'checkExists', {})).resolves.toBe(true);
		await expect(setup.n8n.hook('awardeeTrigger', withSecret, 'delete', {})).resolves.toBe(true);
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('refuses to register a non-public URL with Awardee’s production API, naming WEBHOOK_URL', async () => {
		const n8n = new N8nHarness({
			nodes: { awardeeTrigger: new AwardeeTrigger() },
			credentialTypes: [new AwardeeApi()],
			credentials: { awardeeApi: { apiKey: setup.sim.apiKey, baseUrl: 'https://api.awardee.dev/v1' } },
			webhookBaseUrl: 'http://localhost:5678/webhook',
		});
		await expect(n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'create', {})).rejects.toThrow(
			/only delivers webhooks to public https URLs, and this trigger's URL is http:\/\/localhost:5678/,
		);
	});

	it('turns Awardee’s refusal of a non-public URL into the same clear message', async () => {
		const strict = await startAwardee({ seed: 1, publicUrlsOnly: true }, { webhookBaseUrl: 'http://127.0.0.1:5678/webhook' });
		try {
			const error = await strict.n8n.hook('awardeeTrigger', { events: ALL_EVENTS }, 'create', {}).catch((e: Error) => e);
			expect((error as Error).message).toMatch(/only delivers webhooks to public https URLs/);
			expect((error as { description?: string }).description).toMatch(/WEBHOOK_URL/);
		} finally {
			await strict.sim.close();
		}
	});
});

describe('Awardee Trigger deliveries', () => {
	async function deliver(
		staticData: IDataObject,
		event: string,
		payload: object,
		options: { secret?: string; timestamp?: number; deliveryId?: string; tamper?: boolean } = {},
		parameters: IDataObject = { events: ALL_EVENTS },
	) {
		const secret = options.secret ?? (nodeState(staticData)?.webhookSecret as string);
		const signed = setup.sim.signDelivery(event, payload, { ...options, secret });
		const rawBody = options.tamper ? signed.rawBody.replace('"', ' "') : signed.rawBody;
		return await setup.n8n.webhook('awardeeTrigger', parameters, { headers: signed.headers, body: signed.body as IDataObject, rawBody }, staticData);
	}

	function aConversation() {
		return [...setup.sim.state.conversations.values()][0];
	}

	it('emits one normalized event per signed delivery, valid against the schema', async () => {
		const staticData = await activated();
		const conversation = aConversation();
		const result = await deliver(staticData, 'conversation.created', setup.sim.conversationPayload(conversation.id), { deliveryId: 'dlv-1' });
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items).toHaveLength(1);
		const event = result.items[0].json;
		expectValid('event', event);
		expect(event).toMatchObject({
			vendor: 'awardee',
			type: 'conversation.created',
			vendorEventType: 'conversation.created',
			eventId: 'dlv-1',
			delivery: { id: 'dlv-1', signatureVerified: true, source: 'webhook' },
			conversation: { id: conversation.id, vendor: 'awardee' },
		});
	});

	it('names a status change to closed conversation.closed, with the from/to changes', async () => {
		const staticData = await activated();
		const conversation = aConversation();
		const payload = setup.sim.conversationPayload(conversation.id, { status: { from: 'open', to: 'closed' } });
		const { items } = await deliver(staticData, 'conversation.updated', payload);
		expectValid('event', items[0].json);
		expect(items[0].json).toMatchObject({ type: 'conversation.closed', changes: { status: { from: 'open', to: 'closed' } } });
	});

	it('names an assignment conversation.assigned and a handover conversation.status_changed', async () => {
		const staticData = await activated();
		const conversation = aConversation();
		const assigned = await deliver(staticData, 'conversation.updated', setup.sim.conversationPayload(conversation.id, { assignedTo: { from: null, to: 'u1' } }));
		expect(assigned.items[0].json.type).toBe('conversation.assigned');
		const handover = await deliver(staticData, 'conversation.updated', setup.sim.conversationPayload(conversation.id, { status: { from: 'bot_active', to: 'agent_requested' } }));
		expect(handover.items[0].json.type).toBe('conversation.status_changed');
	});

	it('answers 401 and starts nothing for a bad signature, a stale timestamp or no signature', async () => {
		const staticData = await activated();
		const payload = setup.sim.conversationPayload(aConversation().id);
		const tampered = await deliver(staticData, 'conversation.created', payload, { tamper: true });
		const wrongSecret = await deliver(staticData, 'conversation.created', payload, { secret: 'whsec_wrong' });
		const stale = await deliver(staticData, 'conversation.created', payload, { timestamp: Math.floor(Date.now() / 1000) - 301 });
		// 5 s ahead beyond the window: a second boundary crossed while the test runs must not bring it inside.
		const future = await deliver(staticData, 'conversation.created', payload, { timestamp: Math.floor(Date.now() / 1000) + 305 });
		for (const result of [tampered, wrongSecret, stale, future]) {
			expect(result.statusCode).toBe(401);
			expect(result.executed).toBe(false);
		}
		const signed = setup.sim.signDelivery('conversation.created', payload, { secret: nodeState(staticData).webhookSecret as string });
		const { 'X-Awardee-Signature': _omitted, ...unsigned } = signed.headers;
		const missing = await setup.n8n.webhook('awardeeTrigger', { events: ALL_EVENTS }, { headers: unsigned, body: signed.body as IDataObject, rawBody: signed.rawBody }, staticData);
		expect(missing.statusCode).toBe(401);
		expect(missing.executed).toBe(false);
	});

	it('accepts a timestamp inside a configured replay window', async () => {
		const staticData = await activated();
		const payload = setup.sim.conversationPayload(aConversation().id);
		const result = await deliver(
			staticData,
			'conversation.created',
			payload,
			{ timestamp: Math.floor(Date.now() / 1000) - 500 },
			{ events: ALL_EVENTS, options: { replayWindowSeconds: 600 } },
		);
		expect(result.executed).toBe(true);
	});

	it('starts one execution for a delivery id Awardee sends twice', async () => {
		const staticData = await activated();
		const payload = setup.sim.conversationPayload(aConversation().id);
		const first = await deliver(staticData, 'conversation.created', payload, { deliveryId: 'dlv-repeat' });
		const retry = await deliver(staticData, 'conversation.created', payload, { deliveryId: 'dlv-repeat' });
		expect(first.executed).toBe(true);
		expect(retry.statusCode).toBe(200);
		expect(retry.executed).toBe(false);
	});

	it('ignores the replies its own Reply operation posted, unless told otherwise', async () => {
		const staticData = await activated();
		const conversation = setup.sim.addConversation({ status: 'open' });
		const reply = await setup.run({ operation: 'reply', conversationId: byId(conversation.id), text: 'From n8n' });
		const payload = setup.sim.messagePayload(reply.items[0].json.id as string);
		const ignored = await deliver(staticData, 'message.created', payload);
		expect(ignored.statusCode).toBe(200);
		expect(ignored.executed).toBe(false);
		const kept = await deliver(staticData, 'message.created', payload, { deliveryId: 'dlv-own' }, { events: ALL_EVENTS, ignoreOwnMessages: false });
		expect(kept.executed).toBe(true);
		expectValid('event', kept.items[0].json);
		expect(kept.items[0].json).toMatchObject({ type: 'message.created', message: { direction: 'outbound', authorRole: 'agent', text: 'From n8n' } });
	});

	it('starts nothing for an event the trigger did not select', async () => {
		const staticData = await activated({ events: ['message.created'] });
		const result = await deliver(staticData, 'conversation.created', setup.sim.conversationPayload(aConversation().id), {}, { events: ['message.created'] });
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(false);
	});

	it('verifies with a pasted signing secret for a webhook made in the dashboard', async () => {
		const secret = 'whsec_4f8a3c7e2d1b9a5c6f8e3d2c1b4a9f7e8a5f3c7e2d1b9a5c6f8e3d2c1b4a9f7e';
		const parameters = { events: ALL_EVENTS, options: { signingSecret: secret } };
		const good = await deliver({}, 'conversation.created', setup.sim.conversationPayload(aConversation().id), { secret }, parameters);
		expect(good.executed).toBe(true);
		const bad = await deliver({}, 'conversation.created', setup.sim.conversationPayload(aConversation().id), { secret: 'whsec_other' }, parameters);
		expect(bad.statusCode).toBe(401);
	});

	it('asks the vendor to send again later (503, Retry-After) and starts nothing while no secret is known and verification is on', async () => {
		const result = await deliver({}, 'conversation.created', setup.sim.conversationPayload(aConversation().id), { secret: 'whsec_any' });
		expect(result.statusCode).toBe(503);
		expect(result.headers['retry-after']).toBe('5');
		expect(result.executed).toBe(false);
	});

	it('marks events unverified only when the user turned verification off', async () => {
		const parameters = { events: ALL_EVENTS, options: { verifySignatures: false } };
		const result = await deliver({}, 'conversation.created', setup.sim.conversationPayload(aConversation().id), { secret: 'whsec_any' }, parameters);
		expect(result.executed).toBe(true);
		expect(result.items[0].json.delivery).toMatchObject({ signatureVerified: null });
	});
});
