import { contactItems, startOnceHub } from '../helpers/oncehub';

/**
 * Two executions at once with the same credential share the account's pace, on the real clock (a virtual
 * wait would move time on while the other run's request is still on its way to the simulator).
 */
describe('a pace shared by runs at once', () => {
	it('keeps two OnceHub runs at once to 5 requests a second together, never meeting the limit', async () => {
		const setup = await startOnceHub({ seed: 2, rateLimitPerSecond: 5 });
		try {
			const items = contactItems(setup, 8);
			const parameters = { resource: 'contact', operation: 'get', contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };
			const runs = await Promise.all([setup.run(parameters, items), setup.run(parameters, items)]);
			for (const run of runs) {
				expect(run.status).toBe('success');
				expect(run.items).toHaveLength(8);
			}
			expect(setup.sim.requests.map((request) => request.status)).toEqual(Array(16).fill(200));
			// No second holds more than five arrivals of the two runs together.
			const { arrivals } = setup.sim;
			for (let index = 5; index < arrivals.length; index++) expect(arrivals[index] - arrivals[index - 5]).toBeGreaterThanOrEqual(1000);
		} finally {
			await setup.sim.close();
		}
	});
});
