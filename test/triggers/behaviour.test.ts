import type { IDataObject } from 'n8n-workflow';

import type { WebhookRequest } from '../harness/n8n';
import { StoredStaticData } from '../harness/n8n';
import { expectValid } from '../helpers/schema';
import type { StartedFixture } from './fixtures';
import { TRIGGER_FIXTURES } from './fixtures';

describe.each(TRIGGER_FIXTURES.map((fixture) => [fixture.vendor, fixture] as const))('%s trigger on the shared core', (_vendor, fixture) => {
	let vendor: StartedFixture;

	beforeAll(async () => {
		vendor = await fixture.start();
	});
	afterAll(async () => await vendor.close());

	const deliver = async (request: WebhookRequest, store: StoredStaticData, parameters?: IDataObject) =>
		await vendor.n8n.webhookAsDeployed(fixture.nodeType, parameters ?? vendor.parameters, request, store);

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

	it('answers 400 and starts nothing for a body that is not JSON, signed where the vendor signs', async () => {
		const result = await deliver(vendor.signedNonJson('conversation started, not JSON'), new StoredStaticData());
		expect(result.statusCode).toBe(400);
		expect(result.executed).toBe(false);
	});
});
