/** The machine a run was measured on, and BENCHMARKS.md written from a run's figures. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { BenchContext } from './context';
import { REPO_DIR } from './paths';
import { metText } from './stats';

export interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	node: string;
	n8nCore: string;
	os: string;
	loadAverage: number[];
}

function versionOf(packageName: string): string {
	return (JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string }).version;
}

export function machine(): Machine {
	return {
		cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
		cores: os.cpus().length,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		n8nCore: versionOf('n8n-core'),
		os: `${os.type()} ${os.release()}`,
		loadAverage: os.loadavg(),
	};
}

const loadText = (load: number[]) => load.map((value) => value.toFixed(2)).join(' / ');

const GROUPS: Record<number, string> = {
	1: 'getAll vs the floor inside n8n (and the floor vs a bare fetch loop)',
	2: "vs what a user would build: n8n's HTTP Request node with pagination + Split Out",
	3: "the normalizer's share of getAll time; Raw output",
	4: "peak heap growth during getAll vs the items' JSON size",
	5: "fan-out of Get items at the vendor's published limit",
	6: 'trigger throughput and latency',
};

export function renderReport(ctx: BenchContext, run: { startedAt: Date; finishedAt: Date; before: Machine; after: number[]; command: string; methods: string }): string {
	const { before } = run;
	const lines: string[] = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts); re-run it to replace this file. Every ratio comes from one run with',
		'interleaved repetitions (A B A B …, after one warm-up round), as a median with the range of the rounds. No test',
		'asserts a time: `npm run bench:smoke` (CI) runs every figure at tiny sizes and fails only when a measurement breaks.',
		'',
		`- Date: ${run.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC, ${((run.finishedAt.getTime() - run.startedAt.getTime()) / 60000).toFixed(1)} min`,
		`- Command: \`${run.command}\`${ctx.scale !== 1 ? ` — **sizes scaled by ${ctx.scale}** (the machine was too busy for the full sizes; fan-out keeps its 300 items); \`npm run bench\` on a quieter machine gives the full-size figures` : ''}`,
		`- Machine: ${before.cpu}, ${before.cores} cores, ${before.memoryGb} GB, ${before.os}`,
		`- Node ${before.node}, n8n-core ${before.n8nCore} (in-process figures); figure 2 and the real-n8n figure run n8n 2.41.1 on the e2e toolchain's Node 24`,
		`- Load average (1 / 5 / 15 min) at the start: ${loadText(before.loadAverage)}; at the end: ${loadText(run.after)}`,
		'',
		'| # | figure | value | goal | |',
		'|---|---|---|---|---|',
	];
	for (const figure of [...ctx.figures].sort((a, b) => a.group - b.group)) {
		lines.push(`| ${figure.group} | ${figure.name} | ${figure.value} | ${figure.goal.text} | ${metText(figure.goal)} |`);
	}
	lines.push('', '## Details per figure', '');
	for (const group of Object.keys(GROUPS).map(Number)) {
		const figures = ctx.figures.filter((figure) => figure.group === group);
		if (figures.length === 0) continue;
		lines.push(`### ${group}. ${GROUPS[group]}`, '');
		for (const figure of figures) lines.push(`- **${figure.name}**: ${figure.value}. ${figure.detail}`);
		lines.push('');
	}
	lines.push('## How each figure is measured', '', run.methods.trim(), '');
	for (const section of ctx.sections) lines.push(`## ${section.title}`, '', section.body.trim(), '');
	return lines.join('\n');
}
