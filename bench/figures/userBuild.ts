/**
 * Figure 2: the package's getAll against what a user would build without it, n8n's HTTP Request node with its
 * pagination and a Split Out, producing the same items. Both run in one child process on the e2e toolchain's
 * Node 24 and n8n 2.41.1 (n8n-core and n8n-nodes-base as the real n8n ships them): see bench/methods.md.
 */
import { spawn } from 'child_process';
import * as path from 'path';

import type { BenchContext } from '../lib/context';
import { BENCH_BUILD_DIR, installedToolchain } from '../lib/paths';
import { selected } from '../lib/select';
import { goal, msText, ratios, ratioText, reported, summarize } from '../lib/stats';
import { LIFTED_RATE } from '../lib/published';

interface ChildResult {
	node: string;
	n8nCore: string;
	n8nCorePath: string;
	results: Array<{
		vendor: string;
		label: string;
		/** `paced`: the package at its default pace, for a vendor with a published rate. */
		times: Record<'normalized' | 'raw' | 'userBuild' | 'floor', number[]> & { paced?: number[] };
		pages: number;
		/** The vendor's published limit, and the least time it lets the listing's requests through. */
		limit?: { text: string; allowedMs: number };
	}>;
}

export async function userBuildFigures(ctx: BenchContext, only?: string[]): Promise<void> {
	const toolchain = installedToolchain();
	if (!toolchain) {
		if (ctx.quick) throw new Error('figure 2 needs the e2e toolchain (Node 24 + n8n 2.41.1): run npm run test:e2e or npm run demo first');
		ctx.log('figure 2 skipped: the e2e toolchain is not installed (npm run demo installs it)');
		ctx.figures.push({ group: 2, name: 'vs HTTP Request + Split Out', value: 'not measured', goal: { text: '≤ 0.8×', met: null }, detail: 'the e2e toolchain (Node 24 + n8n 2.41.1) is not installed; `npm run demo` installs it' });
		return;
	}
	const count = ctx.quick ? 250 : ctx.sized(10_000);
	const cases = ['awardee', 'oncehub', 'voipbin'].filter((vendor) => selected(vendor, only)).map((vendor) => ({ vendor, count }));
	if (cases.length === 0) return;
	ctx.log(`figure 2: ${cases.map((c) => c.vendor).join(', ')} getAll ${count} vs HTTP Request + Split Out, on the toolchain's Node 24 (${ctx.pairs} rounds)`);
	const job = { n8nModules: toolchain.n8nModules, pairs: ctx.pairs, cases };
	const child = spawn(
		toolchain.nodeBin,
		['--expose-gc', '--enable-source-maps', '--require', path.join(BENCH_BUILD_DIR, 'children', 'redirect.js'), path.join(BENCH_BUILD_DIR, 'children', 'userBuild.js'), JSON.stringify(job)],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_N8N_DIR: path.dirname(toolchain.n8nModules) } },
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk;
		for (const line of chunk.toString().split('\n').filter(Boolean)) ctx.log(line);
	});
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	});
	if (code !== 0) throw new Error(`figure 2's child exited with ${code}: ${stderr.trim().slice(-1200)}`);
	const result = JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult;
	if (!result.n8nCorePath.startsWith(toolchain.n8nModules)) throw new Error(`figure 2's child loaded n8n-core from ${result.n8nCorePath}, not the toolchain`);
	for (const { label, times, pages, limit } of result.results) {
		const normalized = summarize(ratios(times.normalized, times.userBuild));
		const raw = summarize(ratios(times.raw, times.userBuild));
		const lifted = limit === undefined ? '' : ', Max Requests Per Second lifted,';
		const liftedNote =
			limit === undefined
				? ''
				: `; the package with Request Options → Max Requests Per Second ${LIFTED_RATE.toLocaleString('en-US')} (the published ${limit.text} lifted; the simulator does not enforce it), as the HTTP Request node sends: the goal is judged on this row`;
		const detail = `package Normalized ${msText(summarize(times.normalized))}, Raw ${msText(summarize(times.raw))}, HTTP Request + Split Out ${msText(summarize(times.userBuild))}; ${pages} pages; Node ${result.node}, the toolchain's n8n-core ${result.n8nCore} and n8n-nodes-base; the same items checked identical before timing${liftedNote}`;
		ctx.figures.push({ group: 2, name: `${label} (Normalized)${lifted} vs HTTP Request + Split Out`, value: ratioText(normalized), goal: goal(normalized.median, '<=', 0.8, '≤ 0.8×'), detail });
		ctx.figures.push({ group: 2, name: `${label} (Raw, the same items)${lifted} vs HTTP Request + Split Out`, value: ratioText(raw), goal: reported, detail: 'Raw emits exactly what the HTTP Request + Split Out build emits' });
		const floor = summarize(ratios(times.floor, times.userBuild));
		ctx.figures.push({
			group: 2,
			name: `${label}: the floor inside n8n vs HTTP Request + Split Out`,
			value: ratioText(floor),
			goal: reported,
			detail: `the floor (${msText(summarize(times.floor))}: the same pages through n8n's httpRequestWithAuthentication, items as they came, nothing else) against the same HTTP Request + Split Out build, interleaved in the same child: no node that makes these requests through n8n can be below it`,
		});
		if (limit !== undefined && times.paced) {
			const pacedMs = summarize(times.paced);
			ctx.figures.push({
				group: 2,
				name: `${label} (Normalized) at the vendor's published limit (the default pace): elapsed vs what the limit allows`,
				value: limit.allowedMs > 0 ? ratioText(summarize(times.paced.map((ms) => ms / limit.allowedMs))) : `${msText(pacedMs)} (the limit allows them at once)`,
				goal: reported,
				detail: `package at its default pace ${msText(pacedMs)}; the published ${limit.text} lets ${pages} requests through in no less than ${(limit.allowedMs / 1000).toFixed(1)} s from the start; HTTP Request + Split Out ignores the limit, which the real vendor answers with 429s`,
			});
		}
	}
}
