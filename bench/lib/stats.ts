/** Medians and ranges of interleaved repetitions, and the goal check every figure prints. */

export interface Summary {
	median: number;
	min: number;
	max: number;
	n: number;
}

export function summarize(values: number[]): Summary {
	if (values.length === 0) throw new Error('no measurements to summarize');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1];
}

export type Comparison = '<=' | '>=' | '==';

export interface Goal {
	/** What the goal reads like in the table, e.g. `≤ 1.15×`. */
	text: string;
	/** `null` when the figure is reported without a goal. */
	met: boolean | null;
}

export function goal(value: number, comparison: Comparison, target: number, text: string): Goal {
	const met = comparison === '<=' ? value <= target : comparison === '>=' ? value >= target : value === target;
	return { text, met };
}

export const reported: Goal = { text: 'reported', met: null };

export interface Figure {
	/** Which of the issue's six figures this belongs to (1–6). */
	group: number;
	name: string;
	/** The headline value as printed, e.g. `1.32× (1.28–1.40)`. */
	value: string;
	goal: Goal;
	/** Medians and other details behind the value. */
	detail: string;
}

export function ratioText(summary: Summary, digits = 2): string {
	return `${summary.median.toFixed(digits)}× (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})`;
}

export function msText(summary: Summary): string {
	const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
	return `${f(summary.median)} ms (${f(summary.min)}–${f(summary.max)})`;
}

export function metText(goalResult: Goal): string {
	return goalResult.met === null ? '—' : goalResult.met ? 'met' : '**not met**';
}

/** One timed run in ms, after a full GC (the bench runs with --expose-gc), so that no earlier garbage weighs on it. */
async function timed(run: () => Promise<void>): Promise<number> {
	collectGarbage();
	const started = process.hrtime.bigint();
	await run();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Runs the variants A B (C …) in turn, `pairs` times after one warm-up round, and returns each variant's
 * durations in ms. Each round starts one variant later than the round before (A B C, B C A, C A B, …), so no
 * variant always runs first, or always right after the same other one.
 */
export async function interleave(
	variants: Record<string, () => Promise<void>>,
	pairs: number,
	log: (line: string) => void,
): Promise<Record<string, number[]>> {
	const names = Object.keys(variants);
	const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = -1; round < pairs; round++) {
		const start = round < 0 ? 0 : round % names.length;
		for (const name of [...names.slice(start), ...names.slice(0, start)]) {
			const ms = await timed(variants[name]);
			if (round >= 0) times[name].push(ms);
		}
		if (round >= 0) log(`  round ${round + 1}/${pairs}: ${names.map((name) => `${name} ${times[name][round].toFixed(1)} ms`).join(', ')}`);
	}
	return times;
}

/**
 * Times one run `rounds` times in a row (no warm-up round), `prepare` untimed before each. For a run that spends
 * its time waiting (the package at a vendor's published pace), kept out of `interleave`: a CPU that has idled for
 * seconds runs the next tens of milliseconds up to 1.5× slower on this machine (measured: the same 35 ms of JSON
 * work took a median of 52 ms right after a 4 s sleep), which would fall on whichever variant ran after it.
 */
export async function series(run: () => Promise<void>, rounds: number, prepare: () => Promise<void>): Promise<number[]> {
	const times: number[] = [];
	for (let round = 0; round < rounds; round++) {
		await prepare();
		times.push(await timed(run));
	}
	return times;
}

/** Per-round ratios a[i] / b[i] of two interleaved series. */
export function ratios(a: number[], b: number[]): number[] {
	return a.map((value, index) => value / b[index]);
}

export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run the benchmark with node --expose-gc (npm run bench does)');
	gc();
}
