import { startOnceHub } from '../helpers/oncehub';

/**
 * Two executions at once with the same credential share the account's pace, on the real clock (a virtual
 * wait would move time on while the other run's request is still on its way to the simulator).
 */
describe('a pace shared by runs at once', () => {
	it('keeps two OnceHub runs at once to 5 requests a second together, never meeting the limit', async () => {
		const setup = await startOnceHub({ seed: 2, rateLimitPerSecond: 5 });
		try {
			const ids = [...setup.sim.state.contacts.keys()];
			const items = Array.from({ length: 8 }, (_, index) => ({ id: ids[index % ids.length] }));
			const parameters = { resource: 'contact', operation: 'get', contactId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };
			const runs = await Promise.all([setup.run(parameters, items), setup.run(parameters, items)]);
			for (const run of runs) {
				expect(run.status).toBe('success');
				expect(run.items).toHaveLength(8);
			}
			expect(setup.sim.requests.map((request) => request.status)).toEqual(Array(16).fill(200));
			const gaps = setup.sim.arrivals.slice(1).map((time, index) => time - setup.sim.arrivals[index]);
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
		} finally {
			await setup.sim.close();
		}
	});
});
