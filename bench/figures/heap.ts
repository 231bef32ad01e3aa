/**
 * Figure 4: peak heap growth during an Awardee getAll against the JSON size of the items it emits, at several
 * sizes, each measurement in a child process of its own (--expose-gc) so that no earlier run's heap counts.
 * The simulator runs here, in the parent, so that its own memory is not in the child's heap.
 */
import { spawn } from 'child_process';
import * as path from 'path';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { N8nHarness } from '../../test/harness/n8n';
import { startAwardeeSimulator } from '../../test/simulators/awardee';
import type { FloorPlan } from '../lib/floor';
import type { BenchContext } from '../lib/context';
import { BENCH_BUILD_DIR } from '../lib/paths';
import { goal, reported, summarize } from '../lib/stats';

interface HeapResult {
	peakGrowth: number;
	jsonBytes: number;
	retained: number;
}

type Sample = 'used' | 'live';

/** V8's young generation held to 1 MB a semi-space (its default grows to 16 MB): garbage is collected sooner. */
const SMALL_YOUNG_GENERATION = ['--max-semi-space-size=1'];

function measure(
	job: { baseUrl: string; apiKey: string; count: number; output: string; sample: Sample; floorPages?: FloorPlan['pages'] },
	v8Flags: string[] = [],
): Promise<HeapResult> {
	const child = spawn(process.execPath, [...v8Flags, '--expose-gc', path.join(BENCH_BUILD_DIR, 'children', 'heap.js'), JSON.stringify(job)], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`heap measurement of ${job.count} (${job.output}) exited with ${code}: ${stderr.trim().slice(-800)}`));
			resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as HeapResult);
		});
	});
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export async function heapFigures(ctx: BenchContext): Promise<void> {
	const sizes = ctx.quick ? [100, 300] : [1_000, 10_000, 50_000].map(ctx.sized);
	const repeats = ctx.quick ? 1 : 3;
	const headline = ctx.quick ? 300 : ctx.sized(10_000);
	const rows: string[] = [
		'| items | output | sampled | peak heap growth | items as JSON | ratio | retained after GC | growth per item |',
		'|---|---|---|---|---|---|---|---|',
	];
	const perItem: Record<Sample, Record<number, number>> = { used: {}, live: {} };
	const SAMPLED: Record<Sample, string> = { used: 'used heap', live: 'live (GC first)' };
	for (const count of sizes) {
		const sim = await startAwardeeSimulator({ seed: count, host: '127.0.0.1' });
		try {
			for (const output of count === headline ? ['normalized', 'raw'] : ['normalized']) {
				// `used`: V8's used heap as sampled, uncollected garbage included (the goal's figure); `live`: a full
				// GC before each sample, so only what the run holds at once (see bench/children/heap.ts).
				for (const sample of ['used', 'live'] as const) {
					ctx.log(`heap: getAll ${count} (${output}, ${SAMPLED[sample]}), ${repeats} child process(es)`);
					const results: HeapResult[] = [];
					for (let repeat = 0; repeat < repeats; repeat++) {
						results.push(await measure({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, count, output, sample }));
						sim.requests.length = 0;
					}
					const growth = summarize(results.map((result) => result.peakGrowth));
					const ratio = summarize(results.map((result) => result.peakGrowth / result.jsonBytes));
					const json = results[0].jsonBytes;
					const retained = summarize(results.map((result) => result.retained));
					if (output === 'normalized') perItem[sample][count] = growth.median / count;
					rows.push(
						`| ${count.toLocaleString('en-US')} | ${output} | ${SAMPLED[sample]} | ${mb(growth.median)} (${mb(growth.min)}–${mb(growth.max)}) | ${mb(json)} | ${ratio.median.toFixed(2)}× | ${mb(retained.median)} | ${(growth.median / count / 1024).toFixed(2)} KB |`,
					);
					if (count === headline) {
						ctx.figures.push({
							group: 4,
							name:
								sample === 'used'
									? `peak heap growth during Awardee getAll ${count.toLocaleString('en-US')} (${output}) vs the items' JSON size`
									: `peak live heap (a full GC before each sample) during Awardee getAll ${count.toLocaleString('en-US')} (${output}) vs the items' JSON size`,
							value: `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
							goal: output === 'normalized' && sample === 'used' ? goal(ratio.median, '<=', 2, '≤ 2×') : reported,
							detail:
								`peak growth ${mb(growth.median)}, items ${mb(json)} as JSON, ${mb(retained.median)} still held after a GC with the items alive; ${repeats} child process(es)` +
								(sample === 'used' ? '; the used heap holds garbage not yet collected' : '; what the run holds alive at once'),
						});
					}
				}
			}
			if (count === headline) {
				// The same pages through the floor inside n8n, emitted as they came: what n8n's helper itself leaves
				// on the heap (the answer's text and its parsed objects) beside items no node can do without.
				const recorder = new N8nHarness({ nodes: { awardee: new Awardee() }, credentialTypes: [new AwardeeApi()], credentials: { awardeeApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } } });
				sim.requests.length = 0;
				await recorder.execute('awardee', { resource: 'conversation', operation: 'getAll', returnAll: true, output: 'raw' });
				const floorPages = sim.requests.filter((request) => request.method === 'GET' && request.status === 200).map((request) => ({ path: request.path, query: request.query }));
				sim.requests.length = 0;
				for (const sample of ['used', 'live'] as const) {
					ctx.log(`heap: the floor inside n8n over the same ${floorPages.length} pages (${SAMPLED[sample]}), ${repeats} child process(es)`);
					const results: HeapResult[] = [];
					for (let repeat = 0; repeat < repeats; repeat++) {
						results.push(await measure({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, count, output: 'raw', sample, floorPages }));
						sim.requests.length = 0;
					}
					const growth = summarize(results.map((result) => result.peakGrowth));
					const ratio = summarize(results.map((result) => result.peakGrowth / result.jsonBytes));
					rows.push(
						`| ${count.toLocaleString('en-US')} | the floor inside n8n | ${SAMPLED[sample]} | ${mb(growth.median)} (${mb(growth.min)}–${mb(growth.max)}) | ${mb(results[0].jsonBytes)} | ${ratio.median.toFixed(2)}× | ${mb(summarize(results.map((result) => result.retained)).median)} | ${(growth.median / count / 1024).toFixed(2)} KB |`,
					);
					ctx.figures.push({
						group: 4,
						name: `${sample === 'used' ? 'peak heap growth' : 'peak live heap'} during the floor inside n8n (the same pages, items as they came) vs its items' JSON size`,
						value: `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
						goal: reported,
						detail: `n8n's httpRequestWithAuthentication over the ${floorPages.length} pages the package requested, each listed object emitted as an item (bench/lib/floor.ts); peak growth ${mb(growth.median)}`,
					});
				}
				// How much of the used-heap peak is V8's young generation filling up before it is collected: the
				// package and the floor again with a young generation of 1 MB a semi-space (reported, not the goal's).
				for (const side of ['normalized', 'floor'] as const) {
					ctx.log(`heap: ${side === 'floor' ? 'the floor inside n8n' : `getAll ${count} (normalized)`}, used heap, young generation 1 MB, ${repeats} child process(es)`);
					const results: HeapResult[] = [];
					for (let repeat = 0; repeat < repeats; repeat++) {
						const job = { baseUrl: sim.baseUrl, apiKey: sim.apiKey, count, output: side === 'floor' ? 'raw' : side, sample: 'used' as const };
						results.push(await measure(side === 'floor' ? { ...job, floorPages } : job, SMALL_YOUNG_GENERATION));
						sim.requests.length = 0;
					}
					const growth = summarize(results.map((result) => result.peakGrowth));
					const ratio = summarize(results.map((result) => result.peakGrowth / result.jsonBytes));
					const what = side === 'floor' ? 'the floor inside n8n' : 'normalized';
					rows.push(
						`| ${count.toLocaleString('en-US')} | ${what} | used heap, young generation 1 MB | ${mb(growth.median)} (${mb(growth.min)}–${mb(growth.max)}) | ${mb(results[0].jsonBytes)} | ${ratio.median.toFixed(2)}× | ${mb(summarize(results.map((result) => result.retained)).median)} | ${(growth.median / count / 1024).toFixed(2)} KB |`,
					);
					ctx.figures.push({
						group: 4,
						name: `peak heap growth with a 1 MB young generation during ${side === 'floor' ? 'the floor inside n8n' : `Awardee getAll ${count.toLocaleString('en-US')} (normalized)`} vs the items' JSON size`,
						value: `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
						goal: reported,
						detail: `the used heap as for the goal's figure, with node ${SMALL_YOUNG_GENERATION.join(' ')} (V8's default lets each semi-space grow to 16 MB): how much of that figure is short-lived garbage the young generation holds until its next collection; peak growth ${mb(growth.median)}`,
					});
				}
			}
		} finally {
			await sim.close();
		}
	}
	const [smallest, largest] = [sizes[0], sizes[sizes.length - 1]];
	for (const sample of ['used', 'live'] as const) {
		const scale = perItem[sample][largest] / perItem[sample][smallest];
		ctx.figures.push({
			group: 4,
			name: `peak ${sample === 'used' ? 'heap' : 'live heap'} growth per item, ${largest.toLocaleString('en-US')} vs ${smallest.toLocaleString('en-US')} items (1.00× is linear)`,
			value: `${scale.toFixed(2)}×`,
			goal: sample === 'used' ? goal(Math.abs(scale - 1), '<=', 0.25, 'linear (within ±25%)') : reported,
			detail: sizes.map((count) => `${count.toLocaleString('en-US')}: ${(perItem[sample][count] / 1024).toFixed(2)} KB/item`).join(', '),
		});
	}
	ctx.sections.push({ title: 'Heap growth by size (figure 4)', body: rows.join('\n') });
}
