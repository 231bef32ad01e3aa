import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { VoipbinTrigger } from '../../nodes/Voipbin/VoipbinTrigger.node';
import type { WebhookRequest } from '../harness/n8n';
import { N8nHarness } from '../harness/n8n';
import { expectOnlyDocumentedRequests } from '../helpers/voipbin';
import { expectValid } from '../helpers/schema';
import type { VoipbinTriggerSetup } from './triggerSetup';
import { startVoipbinTrigger } from './triggerSetup';

const DEFAULT_EVENTS = ['conversation_created', 'conversation_updated', 'conversation_message_created'];
const TAKEOVER = { registration: 'takeover', events: DEFAULT_EVENTS };
const MANUAL = { registration: 'manual', events: DEFAULT_EVENTS };
const PREVIOUS = { webhook_uri: 'https://crm.example.com/voipbin-events', webhook_method: 'PUT' };

let setup: VoipbinTriggerSetup;

beforeAll(async () => {
	setup = await startVoipbinTrigger({ seed: 2 });
});
beforeEach(() => setup.reset());
afterAll(async () => await setup.close());

const customer = () => setup.sim.state.customer;
const requests = (method: string) => setup.sim.requests.filter((request) => request.method === method && request.path === '/customer');

/** A delivery as VoIPbin signs it, handed straight to the trigger. */
function signed(type: string, data: unknown, secret = customer().webhook_secret): WebhookRequest {
	const delivery = setup.sim.signDelivery(type, data, { secret });
	return { headers: delivery.headers, body: delivery.body as unknown as IDataObject, rawBody: delivery.rawBody };
}

function conversationData(): Record<string, unknown> {
	return setup.sim.conversationData(setup.sim.addConversation().id);
}

describe('VoIPbin Trigger registration: Manual (the default)', () => {
	it('reads the customer once for its webhook secret and writes nothing, on activation and deactivation', async () => {
		await setup.activate({ events: DEFAULT_EVENTS });
		expect(setup.nodeState()).toEqual({ webhookSecret: customer().webhook_secret });
		await expect(setup.deactivate({ events: DEFAULT_EVENTS })).resolves.toBe(true);
		expect(setup.sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /customer']);
		expect(customer()).toMatchObject({ webhook_uri: '', webhook_method: '' });
		expect(setup.nodeState()).toEqual({});
	});

	it('sends nothing at all with a pasted secret', async () => {
		const parameters = { ...MANUAL, options: { signingSecret: 'pasted-secret' } };
		await setup.activate(parameters);
		await setup.deactivate(parameters);
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('refuses to activate when the customer has no secret and none was pasted, unless verification is off', async () => {
		customer().webhook_secret = '';
		await expect(setup.activate(MANUAL)).rejects.toThrow('VoIPbin gave no webhook secret for this account');
		await expect(setup.activate({ ...MANUAL, options: { verifySignatures: false } })).resolves.toBeUndefined();
		expect(requests('PUT')).toHaveLength(0);
	});
});

describe('VoIPbin Trigger registration: Take Over the Account Webhook', () => {
	beforeEach(() => Object.assign(customer(), PREVIOUS, { detail: '', phone_number: '', address: '' }));

	it('reads the customer, then writes all seven members once with its own URL and POST, keeping the previous webhook', async () => {
		await setup.activate(TAKEOVER);
		// checkExists reads whether the account already points here; create reads again just before it writes back.
		expect(setup.sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /customer', 'GET /customer', 'PUT /customer']);
		expect(requests('PUT')[0].body).toEqual({
			name: 'Acme Messaging',
			detail: '',
			email: 'ops@acme.example',
			phone_number: '',
			address: '',
			webhook_method: 'POST',
			webhook_uri: setup.url,
		});
		expect(customer()).toMatchObject({ name: 'Acme Messaging', email: 'ops@acme.example', webhook_uri: setup.url, webhook_method: 'POST' });
		expect(setup.nodeState()).toMatchObject({
			previousUrl: PREVIOUS.webhook_uri,
			previousMethod: 'PUT',
			webhookSecret: customer().webhook_secret,
			takenOver: true,
		});
	});

	it('writes nothing on a second activation', async () => {
		await setup.activate(TAKEOVER);
		await setup.activate(TAKEOVER);
		expect(requests('PUT')).toHaveLength(1);
		expect(setup.nodeState().previousUrl).toBe(PREVIOUS.webhook_uri);
	});

	it('gives the previous URL and method back on deactivation while the customer still points at it', async () => {
		await setup.activate(TAKEOVER);
		await expect(setup.deactivate(TAKEOVER)).resolves.toBe(true);
		expect(customer()).toMatchObject(PREVIOUS);
		expect(requests('PUT')[1].body).toMatchObject({ ...PREVIOUS, name: 'Acme Messaging', email: 'ops@acme.example' });
		expect(setup.nodeState()).toEqual({});
	});

	it('leaves a webhook someone set meanwhile alone on deactivation', async () => {
		await setup.activate(TAKEOVER);
		Object.assign(customer(), { webhook_uri: 'https://new.example.com/hook', webhook_method: 'POST' });
		await setup.deactivate(TAKEOVER);
		expect(customer().webhook_uri).toBe('https://new.example.com/hook');
		expect(requests('PUT')).toHaveLength(1);
	});

	it('refuses, writing nothing, when the account webhook points at another trigger of this n8n', async () => {
		customer().webhook_uri = setup.url.replace('hook-under-test', 'another-trigger');
		await expect(setup.activate(TAKEOVER)).rejects.toThrow('The VoIPbin account webhook already points at another n8n trigger');
		expect(requests('PUT')).toHaveLength(0);
		expect(customer().webhook_uri).toContain('another-trigger');
	});

	it('refuses a URL VoIPbin cannot reach against its production host, naming WEBHOOK_URL, before any request', async () => {
		const production = new N8nHarness({
			nodes: { voipbinTrigger: new VoipbinTrigger() },
			credentialTypes: [new VoipbinApi()],
			credentials: { voipbinApi: { accessKey: setup.sim.accessKey, baseUrl: 'https://api.voipbin.net/v1.0' } },
			webhookBaseUrl: 'http://localhost:5678/webhook',
		});
		const error = await production.hook('voipbinTrigger', TAKEOVER, 'checkExists', {}).catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toMatch(/VoIPbin only delivers webhooks to public https URLs, and this trigger's URL is http:\/\/localhost:5678/);
		expect((error as { description?: string }).description).toMatch(/WEBHOOK_URL/);
		await expect(production.hook('voipbinTrigger', TAKEOVER, 'create', {})).rejects.toThrow(/public https URLs/);
	});
});

describe('VoIPbin Trigger deliveries from the simulator', () => {
	it('runs once per conversation event VoIPbin sends the taken-over URL, verified with the customer’s secret', async () => {
		setup.parameters = TAKEOVER;
		await setup.activate();
		const conversation = setup.sim.receiveNewConversation({ type: 'message', timeForm: 'legacy' }, 'Is my order shipped?');
		await setup.sim.flushDeliveries();
		const events = setup.executions().map((run) => {
			expect(run.items).toHaveLength(1);
			expectValid('event', run.items[0].json);
			return run.items[0].json;
		});
		expect(events.map((event) => [event.type, event.vendorEventType])).toEqual([
			['conversation.created', 'conversation_created'],
			['message.created', 'conversation_message_created'],
		]);
		expect(events[0]).toMatchObject({
			vendor: 'voipbin',
			conversation: { id: conversation.id, channel: 'sms' },
			message: null,
			changes: null,
			delivery: { id: null, signatureVerified: true, source: 'webhook' },
		});
		expect(events[0].occurredAt).toBe(new Date(Math.floor(conversation.tm_create / 1000)).toISOString());
		expect(events[1]).toMatchObject({
			conversation: null,
			message: { conversationId: conversation.id, direction: 'inbound', authorRole: 'contact', text: 'Is my order shipped?' },
		});
		expect(events[0].eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(setup.sim.deliveries.map((attempt) => attempt.status)).toEqual([200, 200]);
	});

	it('uses the secret read at manual activation, and a pasted secret instead when there is one', async () => {
		await setup.activate(MANUAL);
		expect((await setup.deliver(signed('conversation_created', conversationData()), MANUAL)).executed).toBe(true);

		const pasted = { ...MANUAL, options: { signingSecret: 'pasted-0123456789' } };
		const withPasted = await setup.deliver(signed('conversation_created', conversationData(), 'pasted-0123456789'), pasted);
		expect(withPasted.executed).toBe(true);
		expect(withPasted.items[0].json.delivery).toMatchObject({ signatureVerified: true });
		const withCustomers = await setup.deliver(signed('conversation_created', conversationData()), pasted);
		expect(withCustomers).toMatchObject({ statusCode: 401, executed: false });
	});

	it('answers 401 and starts nothing for a bad or missing X-VoIPBIN-Signature', async () => {
		await setup.activate(MANUAL);
		const bad = signed('conversation_created', conversationData(), 'not-the-customer-secret');
		const good = signed('conversation_created', conversationData());
		const missing = { ...good, headers: { 'Content-Type': 'application/json' } };
		const tampered = { ...good, rawBody: String(good.rawBody).replace('"conversation_created"', '"conversation_updated"') };
		for (const request of [bad, missing, tampered]) {
			expect(await setup.deliver(request, MANUAL)).toMatchObject({ statusCode: 401, executed: false });
		}
	});

	it('answers 200 and starts nothing for the account’s other events and for unselected ones', async () => {
		await setup.activate(MANUAL);
		for (const [type, data] of [
			['call_created', { id: 'c1d2e3f4-0000-4000-8000-000000000001', status: 'dialing' }],
			['account_updated', { id: 'c1d2e3f4-0000-4000-8000-000000000002' }],
			['message_created', { id: 'c1d2e3f4-0000-4000-8000-000000000003', text: 'raw SMS resource' }],
		] as const) {
			expect(await setup.deliver(signed(type, data), MANUAL)).toMatchObject({ statusCode: 200, executed: false });
		}
		const onlyMessages = { ...MANUAL, events: ['conversation_message_created'] };
		expect(await setup.deliver(signed('conversation_updated', conversationData()), onlyMessages)).toMatchObject({
			statusCode: 200,
			executed: false,
		});
	});

	it('answers 400 and starts nothing for a signed event that names no resource', async () => {
		await setup.activate(MANUAL);
		for (const data of [{}, 'text', { id: 'x' }]) {
			const type = typeof data === 'object' && 'id' in data ? 'conversation_message_created' : 'conversation_created';
			expect(await setup.deliver(signed(type, data), MANUAL)).toMatchObject({ statusCode: 400, executed: false });
		}
	});

	it('starts one execution when VoIPbin retries a delivery whose answer was lost', async () => {
		setup.parameters = TAKEOVER;
		await setup.activate();
		setup.failResponses.push(502);
		const conversation = setup.sim.addConversation();
		await setup.sim.deliver('conversation_created', setup.sim.conversationData(conversation.id));
		expect(setup.sim.deliveries.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
			[1, 502],
			[2, 200],
		]);
		expect(setup.sim.deliveries[0].rawBody).toBe(setup.sim.deliveries[1].rawBody);
		expect(setup.runs.map((run) => run.executed)).toEqual([true, false]);
	});

	it('starts one execution for five copies of one delivery arriving at once', async () => {
		await setup.activate(MANUAL);
		const request = signed('conversation_created', conversationData());
		const runs = await Promise.all(Array.from({ length: 5 }, async () => await setup.deliver(request, MANUAL)));
		expect(runs.filter((run) => run.executed)).toHaveLength(1);
		expect(runs.every((run) => run.statusCode === 200)).toBe(true);
	});

	it('ignores the message its own Reply sends, unless told not to', async () => {
		setup.parameters = TAKEOVER;
		await setup.activate();
		const conversation = setup.sim.addConversation({ type: 'line' });
		const reply = await setup.n8n.execute('voipbin', {
			resource: 'conversation',
			operation: 'reply',
			conversationId: { __rl: true, mode: 'id', value: conversation.id },
			text: 'Thanks, on its way!',
		});
		expect(reply.status).toBe('success');
		await setup.sim.flushDeliveries();
		expect(setup.sim.deliveries.map((attempt) => attempt.type)).toEqual(['conversation_message_created']);
		expect(setup.runs).toHaveLength(1);
		expect(setup.runs[0]).toMatchObject({ statusCode: 200, executed: false });

		setup.parameters = { ...TAKEOVER, ignoreOwnMessages: false };
		const sent = setup.sim.messageData(String((reply.items[0].json as IDataObject).id));
		const run = await setup.deliver(signed('conversation_message_created', { ...sent, text: 'Sent again by an agent' }));
		expect(run.executed).toBe(true);
		expect(run.items[0].json.message).toMatchObject({ direction: 'outbound', authorRole: 'agent' });
	});

	it('emits a sent message’s status change as message.updated when selected', async () => {
		setup.parameters = { ...TAKEOVER, events: ['conversation_message_updated'] };
		await setup.activate();
		const conversation = setup.sim.addConversation({ type: 'message' });
		const reply = await setup.n8n.execute('voipbin', {
			resource: 'conversation',
			operation: 'reply',
			conversationId: { __rl: true, mode: 'id', value: conversation.id },
			text: 'Your code is 4711',
		});
		const messageId = String((reply.items[0].json as IDataObject).id);
		const updated = setup.sim.completeMessage(messageId, 'failed');
		await setup.sim.flushDeliveries();
		const [run] = setup.executions();
		expectValid('event', run.items[0].json);
		expect(run.items[0].json).toMatchObject({
			type: 'message.updated',
			vendorEventType: 'conversation_message_updated',
			occurredAt: new Date(Math.floor(updated.tm_update! / 1000)).toISOString(),
			message: { id: messageId, attributes: { status: 'failed' } },
		});
	});

	it('adds the body as VoIPbin sent it under raw when asked', async () => {
		await setup.activate(MANUAL);
		const request = signed('conversation_updated', conversationData());
		const run = await setup.deliver(request, { ...MANUAL, options: { includeRaw: true } });
		expectValid('event', run.items[0].json);
		expect(run.items[0].json.raw).toEqual(JSON.parse(String(request.rawBody)));
		expect(run.items[0].json.type).toBe('conversation.updated');
	});
});

describe('VoIPbin Trigger signature scheme', () => {
	it('is sha256=<hex HMAC-SHA256 of the raw body> with the customer’s secret', () => {
		const request = signed('conversation_created', { id: 'a' });
		const expected = createHmac('sha256', customer().webhook_secret).update(String(request.rawBody)).digest('hex');
		expect(request.headers['X-Voipbin-Signature']).toBe(`sha256=${expected}`);
	});
});

describe('VoIPbin Trigger requests', () => {
	it('sent, in every test above, only requests VoIPbin’s OpenAPI documents', () => {
		expectOnlyDocumentedRequests(setup.sim);
	});
});
