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

interface ChildResult {
	node: string;
	n8nCore: string;
	n8nCorePath: string;
	results: Array<{ vendor: string; label: string; times: Record<'normalized' | 'raw' | 'userBuild', number[]> }>;
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
	for (const { label, times } of result.results) {
		const normalized = summarize(ratios(times.normalized, times.userBuild));
		const raw = summarize(ratios(times.raw, times.userBuild));
		const detail = `package Normalized ${msText(summarize(times.normalized))}, Raw ${msText(summarize(times.raw))}, HTTP Request + Split Out ${msText(summarize(times.userBuild))}; Node ${result.node}, the toolchain's n8n-core ${result.n8nCore} and n8n-nodes-base; the same items checked identical before timing`;
		ctx.figures.push({ group: 2, name: `${label} (Normalized) vs HTTP Request + Split Out`, value: ratioText(normalized), goal: goal(normalized.median, '<=', 0.8, '≤ 0.8×'), detail });
		ctx.figures.push({ group: 2, name: `${label} (Raw, the same items) vs HTTP Request + Split Out`, value: ratioText(raw), goal: reported, detail: 'Raw emits exactly what the HTTP Request + Split Out build emits' });
	}
}
