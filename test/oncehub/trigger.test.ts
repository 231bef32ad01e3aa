jest.mock('n8n-workflow', () => jest.requireActual('./recordedSleep').n8nWorkflowWithRecordedSleep());

import { createHash, createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { OnceHubTrigger } from '../../nodes/OnceHub/OnceHubTrigger.node';
import { N8nHarness } from '../harness/n8n';
import type { OnceHubSetup } from '../helpers/oncehub';
import { startOnceHub } from '../helpers/oncehub';
import { expectValid } from '../helpers/schema';
import { FIXTURE_BODY, FIXTURE_SIGNATURE } from './fixtures';
import { EXAMPLE_WEBHOOK_SECRET } from '../simulators/oncehub';
import type { StoredWebhook } from '../simulators/oncehub';

const HOOK_URL = 'https://hooks.example.com/webhook/hook-under-test/webhook';
const TEST_HOOK_URL = 'https://hooks.example.com/webhook-test/hook-under-test/webhook';
const MARK = 'n8n wf-test/node-under-test';
const ALL_EVENTS = ['conversation.started', 'conversation.closed', 'conversation.abandoned'];

let setup: OnceHubSetup;

beforeAll(async () => {
	setup = await startOnceHub({ seed: 6 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function nameFor(url: string): string {
	return `${MARK} ${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
}

function webhooks(): StoredWebhook[] {
	return [...setup.sim.state.webhooks.values()];
}

function ownWebhooks(): StoredWebhook[] {
	return webhooks().filter((webhook) => webhook.name.startsWith(MARK));
}

function requestsTo(method: string, pattern: RegExp) {
	return setup.sim.requests.filter((r) => r.method === method && pattern.test(r.path));
}

/** What n8n does on activation: create unless checkExists adopts an existing registration. */
async function activate(parameters: IDataObject, staticData: IDataObject, n8n = setup.n8n) {
	if (!(await n8n.hook('onceHubTrigger', parameters, 'checkExists', staticData))) {
		await n8n.hook('onceHubTrigger', parameters, 'create', staticData);
	}
}

async function activated(parameters: IDataObject = { events: ALL_EVENTS }) {
	const staticData: IDataObject = {};
	await activate(parameters, staticData);
	return staticData;
}

/** The trigger's node state, without the mark every activation leaves (see ACTIVATION_MARK). */
function nodeState(staticData: IDataObject): IDataObject {
	const { activated: _mark, ...state } = (staticData['node:Node'] ?? {}) as IDataObject;
	return state;
}

describe('OnceHub Trigger registration', () => {
	it('registers one webhook named for this node and URL, keeping its id and the secret OnceHub returned', async () => {
		const staticData = await activated({ events: ['conversation.closed', 'conversation.started'] });
		expect(ownWebhooks()).toHaveLength(1);
		const [webhook] = ownWebhooks();
		expect(webhook).toMatchObject({ url: HOOK_URL, name: nameFor(HOOK_URL), events: ['conversation.closed', 'conversation.started'] });
		expect(nodeState(staticData)).toEqual({ webhookId: webhook.id, webhookSecret: webhook.secret });
		expect(requestsTo('POST', /^\/webhooks$/)[0].body).toEqual({
			url: HOOK_URL,
			name: nameFor(HOOK_URL),
			events: ['conversation.closed', 'conversation.started'],
		});
	});

	it('adopts its own webhook on a second activation instead of duplicating it', async () => {
		const staticData = await activated();
		await activate({ events: ALL_EVENTS }, staticData);
		expect(ownWebhooks()).toHaveLength(1);
		expect(requestsTo('POST', /^\/webhooks$/)).toHaveLength(1);
	});

	it('replaces its own webhook when the events change (OnceHub has no update), leaving exactly one', async () => {
		const staticData = await activated({ events: ['conversation.started'] });
		const first = ownWebhooks()[0];
		await activate({ events: ['conversation.started', 'conversation.abandoned'] }, staticData);
		expect(ownWebhooks()).toHaveLength(1);
		const second = ownWebhooks()[0];
		expect(second.id).not.toBe(first.id);
		expect(second.events).toEqual(['conversation.abandoned', 'conversation.started']);
		expect(nodeState(staticData)).toEqual({ webhookId: second.id, webhookSecret: second.secret });
		expect(requestsTo('DELETE', /^\/webhooks\//).map((r) => r.path)).toEqual([`/webhooks/${first.id}`]);
	});

	it('replaces its own webhook when it lost the secret, since OnceHub shows it only on create', async () => {
		await activated();
		const first = ownWebhooks()[0];
		const fresh: IDataObject = {};
		await activate({ events: ALL_EVENTS }, fresh);
		expect(ownWebhooks()).toHaveLength(1);
		expect(ownWebhooks()[0].id).not.toBe(first.id);
		expect(nodeState(fresh).webhookSecret).toBe(ownWebhooks()[0].secret);
	});

	it('never adopts, changes or deletes a webhook it did not create', async () => {
		const byHand = setup.sim.addWebhook({ url: HOOK_URL, name: 'Conversations to n8n', events: ALL_EVENTS });
		const elsewhere = setup.sim.addWebhook({ url: 'https://crm.example.com/hook', name: 'CRM', events: ['booking.scheduled'] });
		const staticData = await activated();
		expect(ownWebhooks()).toHaveLength(1);
		expect(nodeState(staticData).webhookId).not.toBe(byHand.id);
		await setup.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'delete', staticData);
		expect(webhooks()).toEqual([byHand, elsewhere]);
	});

	it('removes its webhook on deactivation and forgets it; one already gone counts as removed', async () => {
		const staticData = await activated();
		await expect(setup.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'delete', staticData)).resolves.toBe(true);
		expect(ownWebhooks()).toHaveLength(0);
		expect(nodeState(staticData)).toEqual({});
		const again = await activated();
		setup.sim.state.webhooks.clear();
		await expect(setup.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'delete', again)).resolves.toBe(true);
	});

	it('keeps the test URL’s registration apart from the production one', async () => {
		const production = await activated();
		const testMode = new N8nHarness({
			nodes: { onceHubTrigger: new OnceHubTrigger() },
			credentialTypes: [new OnceHubApi()],
			credentials: { onceHubApi: { apiKey: setup.sim.apiKey, baseUrl: setup.sim.baseUrl } },
			webhookBaseUrl: 'https://hooks.example.com/webhook-test',
		});
		const testData: IDataObject = {};
		await activate({ events: ALL_EVENTS }, testData, testMode);
		expect(ownWebhooks().map((w) => w.url).sort()).toEqual([HOOK_URL, TEST_HOOK_URL].sort());
		await testMode.hook('onceHubTrigger', { events: ALL_EVENTS }, 'delete', testData);
		expect(ownWebhooks()).toEqual([expect.objectContaining({ id: nodeState(production).webhookId, url: HOOK_URL })]);
	});

	it('deletes its own registration for n8n’s old address when the address changed', async () => {
		const old = setup.sim.addWebhook({ url: 'https://old-host.example.com/webhook/x', name: nameFor('https://old-host.example.com/webhook/x') });
		const staticData: IDataObject = { 'node:Node': { webhookId: old.id, webhookSecret: old.secret } };
		await activate({ events: ALL_EVENTS }, staticData);
		expect(ownWebhooks()).toEqual([expect.objectContaining({ url: HOOK_URL })]);
		expect(setup.sim.state.webhooks.has(old.id)).toBe(false);
	});

	describe('when OnceHub answers 409 (the name exists)', () => {
		it('replaces its own webhook whose secret it cannot know', async () => {
			const existing = setup.sim.addWebhook({ url: HOOK_URL, name: nameFor(HOOK_URL), events: ALL_EVENTS });
			const staticData: IDataObject = {};
			await expect(setup.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'create', staticData)).resolves.toBe(true);
			expect(requestsTo('POST', /^\/webhooks$/).map((r) => r.status)).toEqual([409, 200]);
			expect(ownWebhooks()).toHaveLength(1);
			expect(ownWebhooks()[0].id).not.toBe(existing.id);
			expect(nodeState(staticData).webhookSecret).toBe(ownWebhooks()[0].secret);
		});

		it('adopts its own webhook for the same URL and events when the secret is given', async () => {
			const existing = setup.sim.addWebhook({ url: HOOK_URL, name: nameFor(HOOK_URL), events: ALL_EVENTS });
			const parameters = { events: ALL_EVENTS, options: { signingSecret: existing.secret } };
			const staticData: IDataObject = {};
			await setup.n8n.hook('onceHubTrigger', parameters, 'create', staticData);
			expect(webhooks()).toEqual([existing]);
			expect(nodeState(staticData)).toEqual({ webhookId: existing.id });
		});

		it('leaves a webhook with its name but another URL alone and says so', async () => {
			const clash = setup.sim.addWebhook({ url: 'https://elsewhere.example.com/in', name: nameFor(HOOK_URL) });
			const error = await setup.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'create', {}).catch((e: Error) => e);
			expect((error as Error).message).toBe(`A OnceHub webhook named "${nameFor(HOOK_URL)}" already exists for another URL`);
			expect(webhooks()).toEqual([clash]);
		});
	});

	it('reads the secret under signing_secret too', async () => {
		const other = await startOnceHub({ seed: 1, secretField: 'signing_secret' });
		try {
			const staticData: IDataObject = {};
			await activate({ events: ALL_EVENTS }, staticData, other.n8n);
			const [webhook] = [...other.sim.state.webhooks.values()];
			expect(nodeState(staticData).webhookSecret).toBe(webhook.secret);
		} finally {
			await other.sim.close();
		}
	});

	it('refuses to activate, leaving nothing behind, when OnceHub returns no secret and none is given', async () => {
		const other = await startOnceHub({ seed: 1, secretField: 'none' });
		try {
			const error = await other.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'create', {}).catch((e: Error) => e);
			expect((error as Error).message).toBe('OnceHub did not return the webhook’s signing secret');
			expect(other.sim.state.webhooks.size).toBe(0);
		} finally {
			await other.sim.close();
		}
	});

	it('refuses a non-public URL with OnceHub’s production API, naming WEBHOOK_URL', async () => {
		const n8n = new N8nHarness({
			nodes: { onceHubTrigger: new OnceHubTrigger() },
			credentialTypes: [new OnceHubApi()],
			credentials: { onceHubApi: { apiKey: setup.sim.apiKey, baseUrl: 'https://api.oncehub.com/v2' } },
			webhookBaseUrl: 'http://localhost:5678/webhook',
		});
		await expect(n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'create', {})).rejects.toThrow(
			/only delivers webhooks to public https URLs, and this trigger's URL is http:\/\/localhost:5678/,
		);
	});

	it('turns OnceHub’s refusal of the URL into the same clear message', async () => {
		const strict = await startOnceHub({ seed: 1, httpsOnly: true }, { webhookBaseUrl: 'http://127.0.0.1:5678/webhook' });
		try {
			const error = await strict.n8n.hook('onceHubTrigger', { events: ALL_EVENTS }, 'create', {}).catch((e: Error) => e);
			expect((error as Error).message).toMatch(/only delivers webhooks to public https URLs/);
			expect((error as { description?: string }).description).toMatch(/WEBHOOK_URL/);
		} finally {
			await strict.sim.close();
		}
	});

	describe('with manual registration', () => {
		const manual = { registration: 'manual', events: ALL_EVENTS };

		it('refuses to activate without a signing secret', async () => {
			await expect(setup.n8n.hook('onceHubTrigger', manual, 'checkExists', {})).rejects.toThrow(
				'Manual registration needs the webhook’s signing secret',
			);
		});

		it('never calls OnceHub, on activation or deactivation', async () => {
			const parameters = { ...manual, options: { signingSecret: EXAMPLE_WEBHOOK_SECRET } };
			const staticData: IDataObject = {};
			await activate(parameters, staticData);
			await setup.n8n.hook('onceHubTrigger', parameters, 'delete', staticData);
			expect(setup.sim.requests).toHaveLength(0);
		});
	});
});

describe('OnceHub Trigger deliveries', () => {
	interface DeliverOptions {
		secret?: string;
		timestamp?: number;
		eventId?: string;
		tamper?: boolean;
		dropSignature?: boolean;
	}

	async function deliver(staticData: IDataObject, event: string, data: object, options: DeliverOptions = {}, parameters: IDataObject = { events: ALL_EVENTS }) {
		const secret = options.secret ?? (nodeState(staticData).webhookSecret as string);
		const signed = setup.sim.signDelivery(event, data, { ...options, secret });
		const rawBody = options.tamper ? signed.rawBody.replace('"status":"', '"status": "') : signed.rawBody;
		const { 'Oncehub-Signature': signature, ...unsigned } = signed.headers;
		const headers = options.dropSignature ? unsigned : { ...unsigned, 'Oncehub-Signature': signature };
		return await setup.n8n.webhook('onceHubTrigger', parameters, { headers, body: signed.body as IDataObject, rawBody }, staticData);
	}

	function conversationWith(status: string) {
		return [...setup.sim.state.conversations.values()].find((c) => c.status === status)!;
	}

	it.each([
		['conversation.started', 'started', 'conversation.created', { status: 'open', closedReason: null, handledBy: 'bot' }],
		['conversation.closed', 'closed', 'conversation.closed', { status: 'closed', closedReason: 'ended' }],
		['conversation.abandoned', 'abandoned', 'conversation.closed', { status: 'closed', closedReason: 'abandoned' }],
	])('turns a signed %s (status %s) into one normalized %s event', async (event, vendorStatus, type, mapped) => {
		const staticData = await activated();
		const conversation = conversationWith(vendorStatus);
		const contact = setup.sim.state.contacts.get(conversation.contact)!;
		const owner = setup.sim.state.users.get(conversation.owner)!;
		const result = await deliver(staticData, event, setup.sim.conversationEventData(conversation.id), { eventId: 'EVNT-7QX2M4KD9P' }, { events: ALL_EVENTS });
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expectValid('event', json);
		expect(json).toMatchObject({
			vendor: 'oncehub',
			type,
			vendorEventType: event,
			eventId: 'EVNT-7QX2M4KD9P',
			changes: null,
			message: null,
			delivery: { id: 'EVNT-7QX2M4KD9P', signatureVerified: true, source: 'webhook' },
			conversation: {
				id: conversation.id,
				vendorStatus,
				...mapped,
				contact: { id: contact.id, email: contact.email },
				assignee: { type: 'user', id: owner.id, name: `${owner.first_name} ${owner.last_name}` },
				attributes: {
					answers: conversation.answers,
					bookings: conversation.bookings,
					bot: setup.sim.state.bots.get(conversation.bot),
					website: setup.sim.state.websites.get(conversation.website),
					initiated_by: conversation.initiated_by,
				},
			},
		});
		expect(json.occurredAt).toMatch(/Z$/);
		expect(json).not.toHaveProperty('raw');
	});

	it('answers 401 and starts nothing for a bad signature, a wrong secret, a stale or future timestamp, or no signature', async () => {
		const staticData = await activated();
		const data = setup.sim.conversationEventData(conversationWith('closed').id);
		const now = Math.floor(Date.now() / 1000);
		const results = [
			await deliver(staticData, 'conversation.closed', data, { tamper: true }),
			await deliver(staticData, 'conversation.closed', data, { secret: 'not-the-secret' }),
			await deliver(staticData, 'conversation.closed', data, { timestamp: now - 301 }),
			// 5 s ahead beyond the window: a second boundary crossed while the test runs must not bring it inside.
			await deliver(staticData, 'conversation.closed', data, { timestamp: now + 305 }),
			await deliver(staticData, 'conversation.closed', data, { dropSignature: true }),
		];
		for (const result of results) {
			expect(result.statusCode).toBe(401);
			expect(result.executed).toBe(false);
		}
	});

	it('accepts a timestamp inside a configured replay window', async () => {
		const staticData = await activated();
		const data = setup.sim.conversationEventData(conversationWith('closed').id);
		const parameters = { events: ALL_EVENTS, options: { replayWindowSeconds: 600 } };
		const result = await deliver(staticData, 'conversation.closed', data, { timestamp: Math.floor(Date.now() / 1000) - 500 }, parameters);
		expect(result.executed).toBe(true);
	});

	it('starts one execution for an event id OnceHub sends twice', async () => {
		const staticData = await activated();
		const data = setup.sim.conversationEventData(conversationWith('started').id);
		const first = await deliver(staticData, 'conversation.started', data, { eventId: 'EVNT-REPEAT0001' });
		const retry = await deliver(staticData, 'conversation.started', data, { eventId: 'EVNT-REPEAT0001' });
		expect(first.executed).toBe(true);
		expect(retry.statusCode).toBe(200);
		expect(retry.executed).toBe(false);
	});

	it('starts nothing for an event the trigger did not select', async () => {
		const parameters = { events: ['conversation.closed'] };
		const staticData = await activated(parameters);
		const result = await deliver(staticData, 'conversation.started', setup.sim.conversationEventData(conversationWith('started').id), {}, parameters);
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(false);
	});

	it('verifies the signed fixture of OnceHub’s documentation byte for byte (manual registration)', async () => {
		const parameters = {
			registration: 'manual',
			events: ALL_EVENTS,
			options: { signingSecret: EXAMPLE_WEBHOOK_SECRET, replayWindowSeconds: 10 * 365 * 24 * 3600, includeRaw: true },
		};
		const result = await setup.n8n.webhook(
			'onceHubTrigger',
			parameters,
			{ headers: { 'content-type': 'application/json', 'oncehub-signature': FIXTURE_SIGNATURE }, body: JSON.parse(FIXTURE_BODY), rawBody: FIXTURE_BODY },
			{},
		);
		expect(result.executed).toBe(true);
		const json = result.items[0].json;
		expectValid('event', json);
		expect(json).toMatchObject({
			type: 'conversation.closed',
			eventId: 'EVNT-7QX2M4KD9P',
			occurredAt: '2026-03-10T14:22:31.512Z',
			raw: JSON.parse(FIXTURE_BODY),
			conversation: {
				id: 'CVR-4F81C2A9DE',
				status: 'closed',
				closedReason: 'ended',
				createdAt: '2026-03-10T14:15:02.000Z',
				updatedAt: '2026-03-10T14:22:30.000Z',
				lastMessageAt: '2026-03-10T14:22:30.000Z',
				contact: { id: 'CTC-8HT3QW5ZLM', name: 'Dana Lee', email: 'dana.lee@northwind.example', phone: null },
				assignee: { type: 'user', id: 'USR-GNSBE50D6A', name: 'Andrea Hartie' },
				attributes: { bookings: ['BKNG-3KM0HY2BF9SL'], website: { id: 'WEB-B1D45D12BB', url: 'https://www.example.com' } },
			},
		});
		// OnceHub sent `audience: null`: an absent extra is left out of attributes.
		expect((json.conversation as IDataObject).attributes).not.toHaveProperty('audience');
		const pretty = JSON.stringify(JSON.parse(FIXTURE_BODY), null, 2);
		const reformatted = await setup.n8n.webhook(
			'onceHubTrigger',
			parameters,
			{ headers: { 'oncehub-signature': FIXTURE_SIGNATURE }, body: JSON.parse(FIXTURE_BODY), rawBody: pretty },
			{},
		);
		expect(reformatted.statusCode).toBe(401);
	});

	it('asks the vendor to send again later (503, Retry-After) and starts nothing while no secret is known and verification is on', async () => {
		const result = await deliver({}, 'conversation.closed', setup.sim.conversationEventData(conversationWith('closed').id), { secret: 'any' });
		expect(result.statusCode).toBe(503);
		expect(result.headers['retry-after']).toBe('5');
		expect(result.executed).toBe(false);
	});

	it('marks events unverified only when the user turned verification off', async () => {
		const parameters = { events: ALL_EVENTS, options: { verifySignatures: false } };
		const result = await deliver({}, 'conversation.closed', setup.sim.conversationEventData(conversationWith('closed').id), { secret: 'any' }, parameters);
		expect(result.executed).toBe(true);
		expect(result.items[0].json.delivery).toMatchObject({ signatureVerified: null });
	});

	it('reads the event name from `event` when `type` is missing, as older payloads have it', async () => {
		const staticData = await activated();
		const secret = nodeState(staticData).webhookSecret as string;
		const signed = setup.sim.signDelivery('conversation.started', setup.sim.conversationEventData(conversationWith('started').id), { secret });
		const { type, ...rest } = signed.body;
		const body = { ...rest, event: type } as IDataObject;
		const rawBody = JSON.stringify(body);
		const timestamp = Math.floor(Date.now() / 1000);
		const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
		const result = await setup.n8n.webhook(
			'onceHubTrigger',
			{ events: ALL_EVENTS },
			{ headers: { 'oncehub-signature': `t=${timestamp},s=${signature}` }, body, rawBody },
			staticData,
		);
		expect(result.executed).toBe(true);
		expect(result.items[0].json).toMatchObject({ type: 'conversation.created', vendorEventType: 'conversation.started' });
	});
});
