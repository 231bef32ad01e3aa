jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithVirtualSleep());

import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../helpers/clock';
import type { OnceHubSetup } from '../helpers/oncehub';
import { byId, startOnceHub } from '../helpers/oncehub';
import type { NodeRun } from '../harness/n8n';
import { countListing, leaksIn, newTally, readmeRow } from './tally';

/**
 * OnceHub under faults and bad input, through the node's real execute path against the simulator. Every
 * case counts into the tally that the README's Reliability table shows; the last test checks the table.
 */
let setup: OnceHubSetup;
const tally = newTally();
const clock = useVirtualClock();

beforeAll(async () => {
	setup = await startOnceHub({ seed: 4 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function someContactId(): string {
	return [...setup.sim.state.contacts.keys()][0];
}

function record(run: NodeRun, expectedIds?: string[]): NodeRun {
	tally.leaked += leaksIn(run, [setup.sim.apiKey]);
	if (expectedIds) {
		const { lost, duplicated } = countListing(expectedIds, run.items.map((item) => String(item.json.id)));
		tally.lost += lost;
		tally.duplicated += duplicated;
	}
	return run;
}

/** Scripts `GET /contacts`: each `after` (null: the first page) answers its page, as often as asked. */
function scriptPages(pages: Array<[after: string | null, ids: string[], hasMore: boolean]>): void {
	for (const [after, ids, hasMore] of pages) {
		setup.sim.injectFault({
			method: 'GET',
			path: '/contacts',
			query: { after },
			status: 200,
			body: { object: 'list', has_more: hasMore, data: ids.map((id) => ({ object: 'contact', id })) },
			times: 50,
		});
	}
	tally.faults += 1;
}

const listAll = { resource: 'contact', operation: 'getAll', returnAll: true, output: 'raw' };

describe('OnceHub paging under faults', () => {
	it('ends when a page leads back to an id it had already paged after, emitting no duplicate', async () => {
		scriptPages([
			[null, ['CTC-A', 'CTC-B'], true],
			['CTC-B', ['CTC-C', 'CTC-D'], true],
			['CTC-D', ['CTC-E', 'CTC-B'], true],
		]);
		const run = record(await setup.run(listAll));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('OnceHub sent the cursor "CTC-B" a second time (page 4)');
		expect(setup.sim.requests.filter((r) => r.path === '/contacts')).toHaveLength(3);
	});

	it('emits each contact once when pages overlap', async () => {
		scriptPages([
			[null, ['CTC-A', 'CTC-B'], true],
			['CTC-B', ['CTC-B', 'CTC-C'], true],
			['CTC-C', ['CTC-C', 'CTC-D'], false],
		]);
		const run = record(await setup.run(listAll), ['CTC-A', 'CTC-B', 'CTC-C', 'CTC-D']);
		expect(run.items.map((item) => item.json.id)).toEqual(['CTC-A', 'CTC-B', 'CTC-C', 'CTC-D']);
	});

	it('asks again after an empty page that says there is more, and loses nothing after it', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts', query: { after: null }, status: 200, body: { object: 'list', has_more: true, data: [{ id: 'CTC-A' }, { id: 'CTC-B' }] } });
		setup.sim.injectFault({ method: 'GET', path: '/contacts', query: { after: 'CTC-B' }, status: 200, body: { object: 'list', has_more: true, data: [] } });
		setup.sim.injectFault({ method: 'GET', path: '/contacts', query: { after: 'CTC-B' }, status: 200, body: { object: 'list', has_more: false, data: [{ id: 'CTC-C' }] } });
		tally.faults += 1;
		const run = record(await setup.run(listAll), ['CTC-A', 'CTC-B', 'CTC-C']);
		expect(run.items.map((item) => item.json.id)).toEqual(['CTC-A', 'CTC-B', 'CTC-C']);
	});

	it('fails clearly after three empty pages in a row that say there is more', async () => {
		scriptPages([
			[null, ['CTC-A'], true],
			['CTC-A', [], true],
		]);
		const run = record(await setup.run(listAll));
		expect(run.error!.message).toBe('OnceHub answered 3 empty pages in a row while saying there were more');
	});
});

describe('OnceHub redaction', () => {
	it('redacts a key the vendor echoes in every field of its error: type, message, param, Request-Id header', async () => {
		const key = setup.sim.apiKey;
		setup.sim.injectFault({
			method: 'GET',
			path: '/contacts/:id',
			status: 400,
			headers: { 'Request-Id': `req_${key}` },
			body: { type: `invalid_request_${key}`, message: `Key ${key} refused`, param: key },
		});
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) }));
		expect(run.status).toBe('error');
		expect(leaksIn(run, [key])).toBe(0);
		expect((run.error as unknown as { errorResponse: IDataObject }).errorResponse).toMatchObject({
			code: 'invalid_request_[redacted]',
			requestId: 'req_[redacted]',
			details: { param: '[redacted]' },
		});
	});
});

describe('OnceHub retries and answers under faults', () => {
	it('retries a GET whose answer is cut off mid-body (ERR_BAD_RESPONSE, stream aborted)', async () => {
		const id = someContactId();
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', status: 200, body: { id, pad: 'x'.repeat(4000) }, resetMidBody: true });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'contact', operation: 'get', contactId: byId(id) }));
		expect(run.status).toBe('success');
		expect(run.items[0].json.id).toBe(id);
	});

	it('reports an error answer that is not JSON with its HTTP status and the vendor’s text', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', status: 500, headers: { 'Content-Type': 'text/plain' }, rawBody: 'upstream timed out' });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) }));
		expect(run.error!.message).toBe('OnceHub failed to process the request (HTTP 500): upstream timed out');
	});

	it('keeps an error short when the vendor answers with a 64 KB message', async () => {
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', status: 400, body: { type: 'invalid_request_error', message: 'x'.repeat(65_536) } });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) }));
		expect(run.error!.message).toMatch(/^OnceHub rejected the request \(HTTP 400\): x+…$/);
		expect(run.error!.message.length).toBeLessThan(400);
		expect(`${run.error!.description}`.length).toBeLessThan(1000);
	});

	it('ends one request within the 90 s Max Request Time by default, saying which limit was hit', async () => {
		// A second after the tests before, so that the account's pace (5 in any second, shared by every run) has no
		// wait left for this request: the bound below is about the retries, and a fault's 29 s pass whatever an
		// attempt's timeout.
		clock.advance(1000);
		const started = clock.now();
		setup.sim.injectFault({ method: 'GET', path: '/contacts/:id', destroySocket: true, during: () => clock.advance(29_000), times: 10 });
		tally.faults += 1;
		const run = record(await setup.run({ resource: 'contact', operation: 'get', contactId: byId(someContactId()) }));
		expect(run.status).toBe('error');
		expect(clock.now() - started).toBeLessThan(91_000);
		expect(run.error!.description).toMatch(/would pass Max Request Time \(90 s, all attempts and waits included\)/);
	});
});

describe('OnceHub bad input', () => {
	async function expectRefused(parameters: IDataObject, values: unknown[], message: RegExp) {
		const run = record(await setup.run(parameters, values.map((v) => ({ v }) as IDataObject), { continueOnFail: true }));
		expect(run.items).toHaveLength(values.length);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(String(item.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] `));
			expect(String(item.json.error)).toMatch(message);
		});
		expect(setup.sim.requests).toHaveLength(0);
		tally.badInputs += values.length;
	}

	it('refuses a contact owner that is a number, an object, a boolean or a list', async () => {
		await expectRefused(
			{ resource: 'contact', operation: 'update', contactId: byId(someContactId()), updateFields: { owner: '={{ $json.v }}' } },
			[42, { id: 'USR-GNSBE50D6A' }, true, ['USR-GNSBE50D6A']],
			/Owner ID (must be text, not|"42" is not a OnceHub user ID)/,
		);
	});

	it('refuses update fields of the wrong type', async () => {
		await expectRefused(
			{ resource: 'contact', operation: 'update', contactId: byId(someContactId()), updateFields: { has_consent: '={{ $json.v }}' } },
			['yes', 1, { a: 1 }],
			/Update Fields → Has Consent must be true or false, not /,
		);
		await expectRefused(
			{ resource: 'contact', operation: 'update', contactId: byId(someContactId()), updateFields: { employees: '={{ $json.v }}' } },
			['many', -3, [1]],
			/Update Fields → Employees must be a number/,
		);
	});

	it('refuses IDs that are lists (even of one ID), objects, booleans or numbers', async () => {
		const id = someContactId();
		await expectRefused(
			{ resource: 'contact', operation: 'get', contactId: { __rl: true, mode: 'id', value: '={{ $json.v }}' } },
			[[id], { id }, false, 7],
			/Contact ID must be text, not /,
		);
	});

	it('refuses a limit that is not a whole number of at least 1', async () => {
		await expectRefused({ resource: 'contact', operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' }, [-1, 0, 2.5, 'abc', null, [10]], /Limit must be a whole number/);
	});
});

describe('OnceHub reliability figures', () => {
	it('are the ones the README shows, with nothing lost, duplicated or leaked', () => {
		expect(tally).toMatchObject({ lost: 0, duplicated: 0, leaked: 0 });
		expect(readmeRow('OnceHub')).toEqual(tally);
	});
});
