/**
 * A CPU profile of one run, through the inspector in this process, summed up by self time per function with
 * its file:line (TypeScript lines where the compiled file has a source map: the bench runs with
 * --enable-source-maps), and by where the code lives (the package, n8n, Node, the simulator).
 */
import { findSourceMap } from 'module';
import { Session } from 'inspector';
import * as path from 'path';
import { fileURLToPath } from 'url';

import { REPO_DIR } from './paths';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	hitCount?: number;
	children?: number[];
}

/** Picks the frames whose time (with all they call) a profile counts: by function name and source file. */
export type FrameFilter = (fn: string, file: string) => boolean;

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

export interface SelfTime {
	fn: string;
	where: string;
	area: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	top: SelfTime[];
	areas: Array<{ area: string; ms: number; share: number }>;
	/** Self time in files whose path matches the given pattern (e.g. the normalizers). */
	matching(pattern: RegExp): number;
	/**
	 * Inclusive time of the functions named by `fn` in files matching `file`: every sample with such a frame
	 * anywhere on its stack (what they call into, Node's and n8n's code too), each sample counted once.
	 */
	within(file: RegExp, fn: RegExp): number;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
	);
}

/** Where a frame's code is: TypeScript source where mapped, relative to the repository. */
function locate(frame: ProfileNode['callFrame']): { file: string; line: number } {
	const { url, lineNumber, columnNumber } = frame;
	if (!url) return { file: '', line: 0 };
	let file = url.startsWith('file://') ? fileURLToPath(url) : url;
	let line = lineNumber + 1;
	const map = file.endsWith('.js') && path.isAbsolute(file) ? findSourceMap(file) : undefined;
	const entry = map?.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
	if (entry?.originalSource) {
		file = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
		line = (entry.originalLine ?? 0) + 1;
	}
	return { file, line };
}

function areaOf(file: string, fn: string): string {
	if (!file) return fn === '(garbage collector)' ? 'garbage collector' : fn === '(program)' || fn === '(idle)' ? 'idle / native' : 'native';
	if (file.startsWith('node:')) return 'Node.js';
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
	if (modules) return modules[1];
	const relative = path.relative(REPO_DIR, file);
	if (relative.startsWith('nodes/shared/')) return 'package: nodes/shared';
	if (relative.startsWith('nodes/')) return `package: ${relative.split('/').slice(0, 2).join('/')}`;
	if (relative.startsWith('credentials/')) return 'package: credentials';
	if (relative.startsWith('test/simulators/')) return 'simulator (test/simulators)';
	if (relative.startsWith('test/harness/')) return 'harness (test/harness)';
	if (relative.startsWith('bench/')) return 'bench';
	return relative;
}

function display(file: string): string {
	if (!file) return '';
	if (file.startsWith('node:')) return file;
	const modules = file.lastIndexOf('node_modules/');
	return modules >= 0 ? file.slice(modules + 'node_modules/'.length) : path.relative(REPO_DIR, file);
}

/**
 * Profiles `body` at a 100 µs sampling interval and sums self time; with `only`, just the time spent inside
 * the frames it picks (what they call included), e.g. the part of a run a figure times.
 */
export async function profile(body: () => Promise<void>, topN = 15, only?: FrameFilter): Promise<ProfileSummary> {
	const session = new Session();
	session.connect();
	try {
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 100) });
		await post(session, 'Profiler.start');
		await body();
		const { profile: result } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
		return summarizeProfile(result, topN, only);
	} finally {
		session.disconnect();
	}
}

/** The ids of the nodes inside a picked frame: the picked ones and everything below them. */
function nodesWithin(result: CpuProfile, picked: FrameFilter): Set<number> {
	const byId = new Map(result.nodes.map((node) => [node.id, node]));
	const inside = new Set<number>();
	const mark = (id: number) => {
		if (inside.has(id)) return;
		inside.add(id);
		for (const child of byId.get(id)?.children ?? []) mark(child);
	};
	for (const node of result.nodes) {
		if (picked(node.callFrame.functionName, locate(node.callFrame).file)) mark(node.id);
	}
	return inside;
}

function summarizeProfile(result: CpuProfile, topN: number, only?: FrameFilter): ProfileSummary {
	const selfUs = new Map<number, number>();
	const inside = only ? nodesWithin(result, only) : undefined;
	result.samples.forEach((id, index) => {
		if (!inside || inside.has(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (result.timeDeltas[index] ?? 0));
	});
	const byFunction = new Map<string, SelfTime & { file: string }>();
	for (const node of result.nodes) {
		const us = selfUs.get(node.id);
		if (!us) continue;
		const { file, line } = locate(node.callFrame);
		const fn = node.callFrame.functionName || '(anonymous)';
		const key = `${fn}@${file}:${line}`;
		const entry = byFunction.get(key) ?? { fn, where: file ? `${display(file)}:${line}` : '', area: areaOf(file, fn), ms: 0, share: 0, file };
		entry.ms += us / 1000;
		byFunction.set(key, entry);
	}
	const entries = [...byFunction.values()];
	// `(idle)`, and the inspector's own `dispatch` (the in-process session answering Profiler.start/stop), are not the run's work.
	const idle = (entry: SelfTime & { file: string }) => entry.fn === '(idle)' || (entry.fn === 'dispatch' && entry.file === '');
	const totalMs = entries.filter((entry) => !idle(entry)).reduce((sum, entry) => sum + entry.ms, 0);
	for (const entry of entries) entry.share = entry.ms / totalMs;
	const areas = new Map<string, number>();
	for (const entry of entries) if (!idle(entry)) areas.set(entry.area, (areas.get(entry.area) ?? 0) + entry.ms);
	// Samples under a frame of the given function in the given file, what it calls included.
	const within = (file: RegExp, fn: RegExp): number => {
		const under = nodesWithin(result, (name, source) => fn.test(name) && file.test(source));
		let us = 0;
		for (const [id, selfOfNode] of selfUs) if (under.has(id)) us += selfOfNode;
		return us / 1000;
	};
	return {
		within,
		totalMs,
		top: entries
			.filter((entry) => !idle(entry))
			.sort((a, b) => b.ms - a.ms)
			.slice(0, topN)
			.map(({ fn, where, area, ms, share }) => ({ fn, where, area, ms, share })),
		areas: [...areas.entries()].map(([area, ms]) => ({ area, ms, share: ms / totalMs })).sort((a, b) => b.ms - a.ms),
		matching: (pattern) => entries.filter((entry) => pattern.test(entry.file)).reduce((sum, entry) => sum + entry.ms, 0),
	};
}

export function profileTable(summary: ProfileSummary): string {
	const rows = summary.top.map(
		(entry) => `| ${entry.fn.replace(/\|/g, '\\|')} | \`${entry.where || '—'}\` | ${entry.area} | ${entry.ms.toFixed(1)} | ${(entry.share * 100).toFixed(1)}% |`,
	);
	const areas = summary.areas
		.slice(0, 10)
		.map((entry) => `| ${entry.area} | ${entry.ms.toFixed(1)} | ${(entry.share * 100).toFixed(1)}% |`);
	return [
		`Busy time sampled: ${summary.totalMs.toFixed(0)} ms (idle and the inspector's own dispatch excluded).`,
		'',
		'| function (self time) | file:line | area | ms | share |',
		'|---|---|---|---|---|',
		...rows,
		'',
		'| area | ms | share |',
		'|---|---|---|',
		...areas,
	].join('\n');
}

/** Busy time by area in several profiles of the same work side by side (e.g. the package and the floor). */
export function areaComparison(columns: Array<[string, ProfileSummary]>): string {
	const areas = new Map<string, number>();
	for (const [, summary] of columns) for (const entry of summary.areas) areas.set(entry.area, Math.max(areas.get(entry.area) ?? 0, entry.ms));
	const order = [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area]) => area);
	const msOf = (summary: ProfileSummary, area: string) => summary.areas.find((entry) => entry.area === area)?.ms ?? 0;
	return [
		`| area | ${columns.map(([name]) => `${name} (ms)`).join(' | ')} |`,
		`|---|${columns.map(() => '---|').join('')}`,
		...order.map((area) => `| ${area} | ${columns.map(([, summary]) => msOf(summary, area).toFixed(1)).join(' | ')} |`),
		`| **busy time** | ${columns.map(([, summary]) => `**${summary.totalMs.toFixed(1)}**`).join(' | ')} |`,
	].join('\n');
}
