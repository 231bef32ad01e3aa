import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { WebhookRequest } from '../harness/n8n';
import { N8nHarness, StoredStaticData } from '../harness/n8n';
import type { AccountSimulator } from './sampleVendors';
import { AccountHookTrigger, DashboardHookTrigger, startAccountSimulator, useAccountSimulator } from './sampleVendors';

const HOOK_URL = 'https://hooks.example.com/webhook/hook-under-test/webhook';
const OTHER_TRIGGER_URL = 'https://hooks.example.com/webhook/another-trigger/webhook';
const ACCOUNT_SECRET = 'account-secret-0123456789abcdef01';
const TAKEOVER = { registration: 'takeover', events: ['conversation_created', 'message_created'] };

const n8n = new N8nHarness({
	nodes: { accountHookTrigger: new AccountHookTrigger(), dashboardHookTrigger: new DashboardHookTrigger() },
	credentialTypes: [],
	credentials: {},
});

let sim: AccountSimulator;

beforeEach(async () => {
	sim = await startAccountSimulator({ name: 'Acme', webhook_uri: 'https://crm.example.com/hook', webhook_method: 'PUT', webhook_secret: ACCOUNT_SECRET });
	useAccountSimulator(sim.server.baseUrl);
});
afterEach(async () => await sim.server.close());

const writes = () => sim.server.requests.filter((request) => request.method === 'PUT');
/** The trigger's node state, without the mark every activation leaves (see ACTIVATION_MARK). */
const nodeState = (staticData: IDataObject) => {
	const { activated: _mark, ...state } = (staticData['node:Node'] ?? {}) as IDataObject;
	return state;
};

async function activate(parameters: IDataObject, staticData: IDataObject) {
	if (!(await n8n.hook('accountHookTrigger', parameters, 'checkExists', staticData))) {
		await n8n.hook('accountHookTrigger', parameters, 'create', staticData);
	}
}

describe('account-webhook take-over', () => {
	it('keeps the previous webhook, writes its own URL and method once, and reads the account secret', async () => {
		const staticData: IDataObject = {};
		await activate(TAKEOVER, staticData);
		expect(sim.account).toMatchObject({ name: 'Acme', webhook_uri: HOOK_URL, webhook_method: 'POST' });
		expect(nodeState(staticData)).toMatchObject({
			previousUrl: 'https://crm.example.com/hook',
			previousMethod: 'PUT',
			webhookSecret: ACCOUNT_SECRET,
		});
		await activate(TAKEOVER, staticData);
		expect(writes()).toHaveLength(1);
	});

	it('gives the previous webhook back on deactivation while the account still points at the trigger', async () => {
		const staticData: IDataObject = {};
		await activate(TAKEOVER, staticData);
		await expect(n8n.hook('accountHookTrigger', TAKEOVER, 'delete', staticData)).resolves.toBe(true);
		expect(sim.account).toMatchObject({ webhook_uri: 'https://crm.example.com/hook', webhook_method: 'PUT' });
		expect(nodeState(staticData)).toEqual({});
	});

	it('leaves a webhook someone changed meanwhile alone on deactivation', async () => {
		const staticData: IDataObject = {};
		await activate(TAKEOVER, staticData);
		sim.account.webhook_uri = 'https://new.example.com/hook';
		await n8n.hook('accountHookTrigger', TAKEOVER, 'delete', staticData);
		expect(sim.account.webhook_uri).toBe('https://new.example.com/hook');
		expect(writes()).toHaveLength(1);
	});

	it('refuses, writing nothing, when the account points at another trigger of this n8n', async () => {
		sim.account.webhook_uri = OTHER_TRIGGER_URL;
		await expect(activate(TAKEOVER, {})).rejects.toThrow('The Account Hook account webhook already points at another n8n trigger');
		expect(writes()).toHaveLength(0);
	});

	it('refuses, writing nothing, when the account has no secret and none was pasted', async () => {
		sim.account.webhook_secret = '';
		await expect(activate(TAKEOVER, {})).rejects.toThrow('Account Hook gave no webhook secret for this account');
		expect(writes()).toHaveLength(0);
	});

	it('refuses a non-public URL against the vendor’s production host, naming WEBHOOK_URL, writing nothing', async () => {
		useAccountSimulator(sim.server.baseUrl, { production: true });
		const local = new N8nHarness({ nodes: { accountHookTrigger: new AccountHookTrigger() }, credentialTypes: [], credentials: {}, webhookBaseUrl: 'http://localhost:5678/webhook' });
		const error = await local.hook('accountHookTrigger', TAKEOVER, 'create', {}).catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toMatch(/only delivers webhooks to public https URLs, and this trigger's URL is http:\/\/localhost:5678/);
		expect((error as { description?: string }).description).toMatch(/WEBHOOK_URL/);
		expect(writes()).toHaveLength(0);
	});

	it('registers and writes nothing in manual mode', async () => {
		const manual = { registration: 'manual', events: TAKEOVER.events, options: { signingSecret: 'pasted' } };
		await activate(manual, {});
		await n8n.hook('accountHookTrigger', manual, 'delete', {});
		expect(sim.server.requests).toHaveLength(0);
	});
});

function accountDelivery(events: object[], secret = ACCOUNT_SECRET): WebhookRequest {
	const rawBody = JSON.stringify({ events });
	const signature = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
	return { headers: { 'X-Account-Signature': signature }, body: JSON.parse(rawBody) as IDataObject, rawBody };
}

describe('a body-signed vendor without event ids, several events per POST', () => {
	const parameters = { registration: 'manual', events: ['conversation_created', 'message_created'], options: { signingSecret: ACCOUNT_SECRET } };
	const deliver = async (request: WebhookRequest, store: StoredStaticData, params: IDataObject = parameters) =>
		await n8n.webhookAsDeployed('accountHookTrigger', params, request, store);

	it('emits one item per selected event and drops the unselected and own ones', async () => {
		const result = await deliver(
			accountDelivery([
				{ type: 'conversation_created', data: { id: 'c1' } },
				{ type: 'call_created', data: { id: 'call-1' } },
				{ type: 'message_created', data: { conversation_id: 'c1', direction: 'incoming', text: 'hi' } },
				{ type: 'message_created', data: { conversation_id: 'c1', direction: 'outgoing', text: 'sent by n8n' } },
			]),
			new StoredStaticData(),
		);
		expect(result.executed).toBe(true);
		expect(result.items.map((item) => item.json.vendorEventType)).toEqual(['conversation_created', 'message_created']);
		expect(result.items[0].json.delivery).toMatchObject({ signatureVerified: true });
	});

	it('runs an event once when it comes again, alone or with a new one', async () => {
		const store = new StoredStaticData();
		const first = { type: 'conversation_created', data: { id: 'c2' } };
		const second = { type: 'conversation_created', data: { id: 'c3' } };
		expect((await deliver(accountDelivery([first]), store)).executed).toBe(true);
		expect((await deliver(accountDelivery([first]), store)).executed).toBe(false);
		const mixed = await deliver(accountDelivery([first, second]), store);
		expect(mixed.items.map((item) => (item.json.conversation as IDataObject).id)).toEqual(['c3']);
	});

	it('answers 2xx and starts nothing for a POST that carries only other event types', async () => {
		const result = await deliver(accountDelivery([{ type: 'call_created', data: { id: 'x' } }]), new StoredStaticData());
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(false);
	});

	it('answers 401 for a missing or wrong sha256= signature', async () => {
		const good = accountDelivery([{ type: 'conversation_created', data: { id: 'c4' } }]);
		const wrong = accountDelivery([{ type: 'conversation_created', data: { id: 'c4' } }], 'another-secret');
		const missing = { ...good, headers: {} };
		for (const request of [wrong, missing]) {
			const result = await deliver(request, new StoredStaticData());
			expect(result.statusCode).toBe(401);
			expect(result.executed).toBe(false);
		}
	});

	it('prefers the pasted secret over the one read from the account, as this vendor asks', async () => {
		const staticData = { 'node:Node': { webhookSecret: 'read-at-activation' } };
		const request = accountDelivery([{ type: 'conversation_created', data: { id: 'c5' } }]);
		const result = await n8n.webhook('accountHookTrigger', parameters, request, staticData);
		expect(result.executed).toBe(true);
	});
});

describe('a dashboard-only vendor with a GET challenge and no signature', () => {
	const parameters = { events: ['conversation_created'], options: { verifyToken: 'token-123' } };
	const challenge = async (query: Record<string, string>) =>
		await n8n.webhook('dashboardHookTrigger', parameters, { method: 'GET', query, headers: {}, body: {}, rawBody: '' }, {});

	it('echoes the challenge when the verify token matches, and starts nothing', async () => {
		const result = await challenge({ challenge: '48151623', verifyToken: 'token-123' });
		expect(result).toMatchObject({ statusCode: 200, responseBody: '48151623', executed: false });
	});

	it('answers 403 without the challenge for a wrong or missing token', async () => {
		for (const query of [{ challenge: '1', verifyToken: 'guess' }, { challenge: '1' }] as Array<Record<string, string>>) {
			const result = await challenge(query);
			expect(result.statusCode).toBe(403);
			expect(result.responseBody).not.toBe('1');
		}
	});

	it('emits unsigned events with signatureVerified null, and activates without a secret', async () => {
		await expect(n8n.hook('dashboardHookTrigger', parameters, 'checkExists', {})).resolves.toBe(true);
		const rawBody = JSON.stringify({ events: [{ type: 'conversation_created', data: { id: 'd1' } }] });
		const result = await n8n.webhook('dashboardHookTrigger', parameters, { headers: {}, body: JSON.parse(rawBody) as IDataObject, rawBody }, {});
		expect(result.executed).toBe(true);
		expect(result.items[0].json.delivery).toMatchObject({ signatureVerified: null });
	});
});
