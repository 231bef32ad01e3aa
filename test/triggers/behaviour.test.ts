import type { IDataObject } from 'n8n-workflow';

import type { WebhookRequest } from '../harness/n8n';
import { StoredStaticData } from '../harness/n8n';
import { expectValid } from '../helpers/schema';
import type { StartedFixture } from './fixtures';
import { FIXTURE_SECRET, TRIGGER_FIXTURES } from './fixtures';

/** The trigger's own part of the workflow's static data (the harness names the node under test "Node"). */
const nodeState = (store: StoredStaticData) => (store.load()['node:Node'] ?? {}) as IDataObject;

describe.each(TRIGGER_FIXTURES.map((fixture) => [fixture.vendor, fixture] as const))('%s trigger on the shared core', (_vendor, fixture) => {
	let vendor: StartedFixture;

	beforeAll(async () => {
		vendor = await fixture.start();
	});
	afterAll(async () => await vendor.close());

	const deliver = async (request: WebhookRequest, store: StoredStaticData, parameters?: IDataObject) =>
		await vendor.n8n.webhookAsDeployed(fixture.nodeType, parameters ?? vendor.parameters, request, store);

	/** The saved static data of an activated trigger: activation leaves its mark, and n8n saves it. */
	const activatedStore = async (parameters: IDataObject = vendor.parameters) => {
		const state: IDataObject = {};
		await vendor.n8n.hook(fixture.nodeType, parameters, 'checkExists', state);
		const store = new StoredStaticData();
		store.save(state);
		return store;
	};

	it('emits one normalized event for a delivery, verified where the vendor signs', async () => {
		const result = await deliver(vendor.event().copy(), new StoredStaticData());
		expect(result.statusCode).toBe(200);
		expect(result.executed).toBe(true);
		expect(result.items).toHaveLength(1);
		if (fixture.inPublishedSchema) expectValid('event', result.items[0].json);
		expect(result.items[0].json).toMatchObject({ vendor: fixture.vendor, delivery: { signatureVerified: fixture.signed ? true : null, source: 'webhook' } });
	});

	if (fixture.signed) {
		it('answers 401 and starts nothing for a delivery signed with another secret', async () => {
			const result = await deliver(vendor.badlySigned!(), new StoredStaticData());
			expect(result.statusCode).toBe(401);
			expect(result.executed).toBe(false);
		});
	}

	it('answers 2xx and starts nothing for an event the trigger did not select', async () => {
		const result = await deliver(vendor.event().copy(), new StoredStaticData(), vendor.parametersWithoutTheEvent);
		expect(result.statusCode).toBeLessThan(300);
		expect(result.executed).toBe(false);
	});

	it('starts one execution when the vendor sends the same event again after the first run', async () => {
		const store = new StoredStaticData();
		const event = vendor.event();
		const runs = [];
		for (let copy = 0; copy < 3; copy++) runs.push(await deliver(event.copy(), store));
		expect(runs.map((run) => run.executed)).toEqual([true, false, false]);
		expect(runs.map((run) => run.statusCode)).toEqual([200, 200, 200]);
	});

	it('records the event where n8n saves it, so a copy sent after a restart starts nothing (3 re-sends, 1 execution)', async () => {
		const store = await activatedStore();
		const event = vendor.event();
		expect((await deliver(event.copy(), store)).executed).toBe(true);
		// One entry in the window: the event's key with the second it was recorded.
		expect(String(nodeState(store).seenWindow).split('|')).toHaveLength(1);
		// A restart (or a re-activation) starts the in-process window afresh.
		await vendor.n8n.hook(fixture.nodeType, vendor.parameters, 'checkExists', store.load());
		const resent = [];
		for (let copy = 0; copy < 3; copy++) resent.push(await deliver(event.copy(), store));
		expect(resent.map((run) => run.executed)).toEqual([false, false, false]);
		expect(resent.map((run) => run.statusCode)).toEqual([200, 200, 200]);
	});

	it('keeps the registration it read when the execution saves the window (the whole static data is written)', async () => {
		const store = new StoredStaticData();
		store.save({ 'node:Node': { activated: true, webhookSecret: FIXTURE_SECRET, webhookId: 'wh-1' } });
		const parameters = { ...vendor.parameters, options: {} };
		expect((await deliver(vendor.event().copy(), store, parameters)).executed).toBe(true);
		expect(nodeState(store)).toMatchObject({ webhookSecret: FIXTURE_SECRET, webhookId: 'wh-1' });
	});

	it('in queue mode, saves the keys when it answers, so a copy at the other webhook processor starts nothing; the worker writes nothing', async () => {
		const store = new StoredStaticData();
		store.save({ 'node:Node': { activated: true, webhookSecret: FIXTURE_SECRET, webhookId: 'wh-1' } });
		const parameters = { ...vendor.parameters, options: {} };
		const event = vendor.event();
		const first = await vendor.n8n.webhook(fixture.nodeType, parameters, event.copy(), store, [], 'queue');
		expect(first.executed).toBe(true);
		expect(nodeState(store)).toMatchObject({ activated: true, webhookSecret: FIXTURE_SECRET, webhookId: 'wh-1' });
		// Another webhook processor (its own memory): the key the first one saved holds the copy.
		await vendor.n8n.hook(fixture.nodeType, vendor.parameters, 'checkExists', store.load());
		const copy = await vendor.n8n.webhook(fixture.nodeType, parameters, event.copy(), store, [], 'queue');
		expect(copy).toMatchObject({ statusCode: 200, executed: false });
	});

	const whenSigned = fixture.signed ? it : it.skip;

	whenSigned('asks the vendor to send again (503, Retry-After) while no secret is saved yet, and runs the retry once it is', async () => {
		const store = new StoredStaticData();
		const parameters = { ...vendor.parameters, options: {} };
		const event = vendor.event();
		const early = await deliver(event.copy(), store, parameters);
		expect(early).toMatchObject({ statusCode: 503, executed: false, headers: { 'retry-after': '5' } });
		expect(store.load()).toEqual({});
		// n8n saves the secret once every webhook of the workflow is registered; the vendor's retry then runs.
		store.save({ 'node:Node': { webhookSecret: FIXTURE_SECRET } });
		const retried = await deliver(event.copy(), store, parameters);
		expect(retried).toMatchObject({ statusCode: 200, executed: true });
		expect((await deliver(event.copy(), store, parameters)).executed).toBe(false);
	});

	it('keeps a repeat it caught where n8n saves it, so a copy after a restart starts nothing either', async () => {
		const store = new StoredStaticData();
		const event = vendor.event();
		expect((await deliver(event.copy(), store)).executed).toBe(true);
		expect((await deliver(event.copy(), store)).executed).toBe(false);
		// A restart (or a re-activation) starts the in-process window afresh.
		await vendor.n8n.hook(fixture.nodeType, vendor.parameters, 'checkExists', store.load());
		expect((await deliver(event.copy(), store)).executed).toBe(false);
	});

	it('starts one execution for five copies of one delivery arriving at once', async () => {
		const store = new StoredStaticData();
		const event = vendor.event();
		const runs = await Promise.all(Array.from({ length: 5 }, async () => await deliver(event.copy(), store)));
		expect(runs.filter((run) => run.executed)).toHaveLength(1);
		expect(runs.every((run) => run.statusCode === 200)).toBe(true);
	});

	it('resolves settings given by expressions (events, and the secret inside Options)', async () => {
		const options = vendor.parameters.options as IDataObject;
		const parameters = {
			...vendor.parameters,
			events: `={{ ${JSON.stringify(vendor.parameters.events)} }}`,
			options: { ...options, ...(options.signingSecret ? { signingSecret: `={{ "${String(options.signingSecret)}" }}` } : {}) },
		};
		const result = await deliver(vendor.event().copy(), new StoredStaticData(), parameters);
		expect(result).toMatchObject({ statusCode: 200, executed: true });
		const unselected = { ...parameters, events: `={{ ${JSON.stringify(vendor.parametersWithoutTheEvent.events)} }}` };
		expect((await deliver(vendor.event().copy(), new StoredStaticData(), unselected)).executed).toBe(false);
	});

	it('answers 400 and starts nothing for a body that is not JSON, signed where the vendor signs', async () => {
		const result = await deliver(vendor.signedNonJson('conversation started, not JSON'), new StoredStaticData());
		expect(result.statusCode).toBe(400);
		expect(result.executed).toBe(false);
	});
});
