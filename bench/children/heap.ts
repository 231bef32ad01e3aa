/**
 * One heap measurement in a process of its own (figure 4): an Awardee getAll through the tests' in-process n8n
 * against a simulator the parent runs, with `heapUsed` sampled every millisecond from a baseline taken after a
 * warm-up and a full GC. Prints one JSON line: the peak growth and the JSON size of the items emitted.
 */
import '../lib/env';

import { getHeapStatistics } from 'v8';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { N8nHarness } from '../../test/harness/n8n';

interface HeapJob {
	baseUrl: string;
	apiKey: string;
	count: number;
	output: 'normalized' | 'raw';
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as HeapJob;
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('the heap child needs --expose-gc');
	const harness = new N8nHarness({
		nodes: { awardee: new Awardee() },
		credentialTypes: [new AwardeeApi()],
		credentials: { awardeeApi: { apiKey: job.apiKey, baseUrl: job.baseUrl } },
	});
	const parameters = { resource: 'conversation', operation: 'getAll', output: job.output };
	await harness.execute('awardee', { ...parameters, returnAll: false, limit: Math.min(job.count, 200) });
	gc();
	gc();
	const used = () => getHeapStatistics().used_heap_size;
	const baseline = used();
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, used())), 1);
	const run = await harness.execute('awardee', { ...parameters, returnAll: true });
	peak = Math.max(peak, used());
	clearInterval(sampler);
	if (run.status !== 'success' || run.items.length !== job.count) {
		throw new Error(`getAll emitted ${run.items.length} items (${run.status}${run.error ? `: ${run.error.message}` : ''}), expected ${job.count}`);
	}
	const jsonBytes = Buffer.byteLength(JSON.stringify(run.items.map((item) => item.json)));
	gc();
	const retained = used() - baseline;
	console.log(JSON.stringify({ peakGrowth: peak - baseline, jsonBytes, retained, items: run.items.length }));
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
