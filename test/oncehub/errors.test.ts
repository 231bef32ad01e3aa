jest.mock('n8n-workflow', () => jest.requireActual('./recordedSleep').n8nWorkflowWithRecordedSleep());

import type { IDataObject } from 'n8n-workflow';

import type { OnceHubSetup } from '../helpers/oncehub';
import { byId, startOnceHub } from '../helpers/oncehub';
import { realSleep, sleeps } from './recordedSleep';

let setup: OnceHubSetup;

beforeAll(async () => {
	setup = await startOnceHub({ seed: 4 });
});
beforeEach(() => {
	setup.sim.reset();
	sleeps.length = 0;
	realSleep.enabled = false;
});
afterAll(async () => await setup.sim.close());

function someContactId(): string {
	return [...setup.sim.state.contacts.keys()][0];
}

const RATE_LIMITED = { type: 'rate_limit_error', message: 'Request rate limit exceeded' };

describe('OnceHub ID checks', () => {
	it('refuses IDs of the wrong kind or form before any request, naming the item', async () => {
		// A literal bad ID is already stopped by the editor's validation; one from an expression reaches the node.
		const cases: Array<[IDataObject, string]> = [
			[{ operation: 'getByBooking', bookingId: byId('={{ "CVR-022EAEA41C" }}') }, '[item 0] Booking ID "CVR-022EAEA41C" is not a OnceHub booking ID'],
			[{ resource: 'booking', operation: 'get', bookingId: byId('={{ "bkng-3km0hy2bf9sl" }}') }, '[item 0] Booking ID "bkng-3km0hy2bf9sl" is not a OnceHub booking ID'],
			[{ resource: 'contact', operation: 'get', contactId: byId('={{ "USR-GNSBE50D6A" }}') }, '[item 0] Contact ID "USR-GNSBE50D6A" is not a OnceHub contact ID'],
			[{ resource: 'contact', operation: 'update', contactId: byId('={{ "12345" }}'), updateFields: { city: 'Oslo' } }, '[item 0] Contact ID "12345" is not a OnceHub contact ID'],
			[{ resource: 'user', operation: 'get', userId: byId('={{ "" }}') }, '[item 0] User ID is empty'],
			[{ resource: 'booking', operation: 'getAll', filters: { owner: 'CTC-8HT3QW5ZLM' } }, '[item 0] Owner ID "CTC-8HT3QW5ZLM" is not a OnceHub user ID'],
		];
		for (const [parameters, message] of cases) {
			const { status, error } = await setup.run(parameters);
			expect(status).toBe('error');
			expect(error!.message).toBe(message);
			expect(error!.description).toMatch(/^Pick the \w+ from the list, or enter its ID, e\.g\. (BKNG|CTC|USR)-/);
		}
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail yields an error item per failed item and loses none', async () => {
		const good = someContactId();
		const { status, items } = await setup.run(
			{ resource: 'contact', operation: 'get', contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			[{ id: good }, { id: 'not-an-id' }, { id: 'CTC-NOSUCHCONTACT' }, { id: good }],
			{ continueOnFail: true },
		);
		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.id).toBe(good);
		expect(items[1].json).toMatchObject({ error: '[item 1] Contact ID "not-an-id" is not a OnceHub contact ID', itemIndex: 1 });
		expect(items[2].json).toMatchObject({ httpCode: '404', itemIndex: 2 });
		expect(items[2].json.error).toMatch(/^Contact CTC-NOSUCHCONTACT was not found \(HTTP 404\)/);
		expect(items[3].json.id).toBe(good);
		expect(setup.sim.requests).toHaveLength(3);
	});
});

describe('OnceHub retries and rate limit', () => {
	it('waits for Retry-After after a 429 and then succeeds', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', status: 429, retryAfter: 2, body: RATE_LIMITED });
		const { status, items } = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) });
		expect(status).toBe('success');
		expect(items[0].json.id).toBe(someContactId());
		expect(sleeps).toContain(2000);
		expect(setup.sim.requests.map((r) => r.status)).toEqual([429, 200]);
	});

	it('backs off on a 429 without Retry-After (OnceHub documents none), and retries a PATCH', async () => {
		setup.sim.injectFault({ method: 'PATCH', path: '/contacts/:id', status: 429, body: RATE_LIMITED, times: 2 });
		const { status, items } = await setup.run({
			resource: 'contact',
			operation: 'update',
			contactId: byId(someContactId()),
			updateFields: { city: 'Oslo' },
		});
		expect(status).toBe('success');
		expect(items[0].json).toMatchObject({ attributes: { city: 'Oslo' } });
		expect(sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);
		expect(setup.sim.requests.map((r) => r.status)).toEqual([429, 429, 200]);
	});

	it('fails at once when Retry-After is longer than the wait budget, naming the wait', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', status: 429, retryAfter: 120, body: RATE_LIMITED });
		const { error } = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) });
		expect(error!.message).toBe('OnceHub asked to wait 120 s before retrying, longer than the 60 s left to wait');
		expect(setup.sim.requests).toHaveLength(1);
	});

	it('retries 502/503/504 within the retry limit, then reports OnceHub’s api_error', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/users', status: 503, times: 10 });
		const { error } = await setup.run({ resource: 'user', operation: 'getAll', requestOptions: { maxRetries: 2 } });
		expect(error!.message).toBe('OnceHub failed to process the request (HTTP 503): An internal error occurred while processing your request');
		expect(error!.description).toMatch(/code api_error/);
		expect(setup.sim.requests).toHaveLength(3);
	});

	it('keeps to 5 requests per second over the pages and the items of one run, never meeting the account limit', async () => {
		const paced = await startOnceHub({ seed: 2, rateLimitPerSecond: 5 });
		for (let i = 0; i < 250; i++) paced.sim.addContact();
		realSleep.enabled = true;
		try {
			// Two items, each listing three pages (100 + 100 + 50): six requests against a limit of five per second.
			const { status, items } = await paced.run({ resource: 'contact', operation: 'getAll', limit: 250, output: 'simplified' }, [{}, {}]);
			expect(status).toBe('success');
			expect(items).toHaveLength(500);
			expect(paced.sim.requests.map((r) => r.status)).toEqual(Array(6).fill(200));
			// Five go at once; the sixth only when the first one's answer is a second old: no second holds six.
			const { arrivals } = paced.sim;
			expect(arrivals[5] - arrivals[0]).toBeGreaterThanOrEqual(1000);
		} finally {
			await paced.sim.close();
		}
	});

	it('shows OnceHub’s own 429 body when retries run out', async () => {
		const limited = await startOnceHub({ seed: 1, rateLimitPerSecond: 1 });
		try {
			limited.sim.arrivals.push(Date.now(), Date.now());
			const { error } = await limited.run({ resource: 'user', operation: 'getAll', requestOptions: { maxRetries: 0 } });
			expect(error!.message).toBe('OnceHub is rate limiting requests (HTTP 429): Request rate limit exceeded');
			expect(error!.description).toMatch(/code rate_limit_error; request id req_/);
		} finally {
			await limited.sim.close();
		}
	});
});

describe('OnceHub errors', () => {
	it('says which credential to check on a 401, without showing the key', async () => {
		const wrongKey = 'oh_ffffffffffffffffffffffffffffffff';
		const other = await startOnceHub({ seed: 1 }, { apiKey: wrongKey });
		try {
			const { error } = await other.run({ resource: 'contact', operation: 'getAll', returnAll: true });
			expect(error!.message).toBe('OnceHub refused the credentials (HTTP 401): Invalid API key.');
			expect(error!.description).toMatch(/Check the "OnceHub API" credential/);
			expect(error!.description).toMatch(/authentication_error/);
			expect(JSON.stringify({ message: error!.message, description: error!.description })).not.toContain(wrongKey);
		} finally {
			await other.sim.close();
		}
	});

	it('redacts the API key wherever a vendor message repeats it', async () => {
		setup.sim.injectFault({
			method: 'GET',
			path: '/contacts',
			status: 400,
			body: { type: 'invalid_request_error', message: `bad key ${setup.sim.apiKey} in request`, param: 'limit' },
		});
		const { error } = await setup.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(error!.message).toContain('[redacted]');
		expect(`${error!.message} ${error!.description}`).not.toContain(setup.sim.apiKey);
	});

	it('explains a body that is not JSON instead of passing garbage on', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', malformed: true });
		const { error } = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) });
		expect(error!.message).toBe('OnceHub answered with a body that is not valid JSON');
	});
});
