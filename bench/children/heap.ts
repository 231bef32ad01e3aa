/**
 * One heap measurement in a process of its own (figure 4): an Awardee getAll through the tests' in-process n8n
 * against a simulator the parent runs, with V8's used heap sampled every millisecond from a baseline taken
 * after a warm-up and a full GC. `sample: 'used'` reads the used heap as it is, garbage not yet collected
 * included; `sample: 'live'` runs a full GC before each reading (whenever the used heap grew by a tenth), so the
 * peak is of what the run holds alive at once (the run is slowed down by it, which does not matter here). Prints one JSON line: the peak growth,
 * what is still held after the run with its items alive, and the JSON size of the items emitted.
 */
import '../lib/env';

import { getHeapStatistics } from 'v8';

import type { IDataObject } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { N8nHarness } from '../../test/harness/n8n';
import type { FloorPlan } from '../lib/floor';
import { floorNode } from '../lib/floor';

interface HeapJob {
	baseUrl: string;
	apiKey: string;
	count: number;
	output: 'normalized' | 'raw';
	sample?: 'used' | 'live';
	/**
	 * Given: the floor inside n8n is measured instead of the package (bench/lib/floor.ts: n8n's
	 * `httpRequestWithAuthentication` over these pages, each listed object emitted as it came).
	 */
	floorPages?: FloorPlan['pages'];
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as HeapJob;
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('the heap child needs --expose-gc');
	const plan: FloorPlan = { baseUrl: job.baseUrl, pages: job.floorPages ?? [], itemsOf: (body) => ((body as IDataObject)?.data as unknown[]) ?? [] };
	// The floor's warm-up walks two pages only, as the package's lists 200 items: a run's result stays referenced
	// until the next one (the harness keeps it), so a full warm-up would be in the baseline.
	const warmUp: FloorPlan = { ...plan, pages: plan.pages.slice(0, 2) };
	const harness = new N8nHarness({
		nodes: { awardee: new Awardee(), floor: floorNode(plan, 'awardeeApi'), floorWarmUp: floorNode(warmUp, 'awardeeApi') },
		credentialTypes: [new AwardeeApi()],
		credentials: { awardeeApi: { apiKey: job.apiKey, baseUrl: job.baseUrl } },
	});
	const parameters = { resource: 'conversation', operation: 'getAll', output: job.output };
	const getAll = job.floorPages
		? async () => await harness.execute('floor', {})
		: async () => await harness.execute('awardee', { ...parameters, returnAll: true });
	if (job.floorPages) await harness.execute('floorWarmUp', {});
	else await harness.execute('awardee', { ...parameters, returnAll: false, limit: Math.min(job.count, 200) });
	gc();
	gc();
	const used = () => getHeapStatistics().used_heap_size;
	const baseline = used();
	let peak = baseline;
	// Live: a full GC takes tens of ms on a large heap, so one runs only when the used heap has grown by a
	// tenth (at least 1 MB) over the last live reading, until which the live heap cannot have passed it either.
	// What the run holds grows with the items it has emitted: its peak is at the end (read after the run).
	const live = job.sample === 'live';
	let lastLive = baseline;
	const sampler = setInterval(() => {
		if (live) {
			if (used() - lastLive < Math.max(2 ** 20, (lastLive - baseline) / 10)) return;
			gc();
			lastLive = used();
		}
		peak = Math.max(peak, used());
	}, 1);
	const run = await getAll();
	if (live) gc();
	peak = Math.max(peak, used());
	clearInterval(sampler);
	if (run.status !== 'success' || run.items.length !== job.count) {
		throw new Error(`getAll emitted ${run.items.length} items (${run.status}${run.error ? `: ${run.error.message}` : ''}), expected ${job.count}`);
	}
	// Before the items are serialised to be weighed: that string is the measurement's, not the run's.
	gc();
	gc();
	const retained = used() - baseline;
	const jsonBytes = Buffer.byteLength(JSON.stringify(run.items.map((item) => item.json)));
	console.log(JSON.stringify({ peakGrowth: peak - baseline, jsonBytes, retained, items: run.items.length }));
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
