import { readFileSync } from 'fs';
import { join } from 'path';

import type { NodeRun } from '../harness/n8n';

/** What one vendor's fault and bad-input suite tried and found; the README's Reliability table shows it. */
export interface Tally {
	faults: number;
	badInputs: number;
	lost: number;
	duplicated: number;
	leaked: number;
}

export function newTally(): Tally {
	return { faults: 0, badInputs: 0, lost: 0, duplicated: 0, leaked: 0 };
}

/** Every string reachable from a value: own fields of errors too (message, stack, cause, errorResponse, …). */
export function textsOf(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	return Object.getOwnPropertyNames(value).flatMap((key) => [
		key,
		...textsOf((value as Record<string, unknown>)[key], seen),
	]);
}

/** How many strings of a run (items and error, every field) contain one of the secrets. */
export function leaksIn(run: NodeRun, secrets: string[]): number {
	return textsOf([run.items, run.error]).filter((text) => secrets.some((secret) => text.includes(secret))).length;
}

/** Items the vendor had that the run did not emit, and items it emitted more than once. */
export function countListing(expectedIds: string[], emittedIds: string[]): { lost: number; duplicated: number } {
	const emitted = new Set(emittedIds);
	return {
		lost: expectedIds.filter((id) => !emitted.has(id)).length,
		duplicated: emittedIds.length - emitted.size,
	};
}

/** The README's Reliability row of a vendor: `| Awardee | 14 | 31 | 0 | 0 | 0 |`. */
export function readmeRow(vendor: string): Tally | undefined {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
	const row = new RegExp(`^\\| ${vendor} \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|$`, 'm').exec(readme);
	if (!row) return undefined;
	const [faults, badInputs, lost, duplicated, leaked] = row.slice(1).map(Number);
	return { faults, badInputs, lost, duplicated, leaked };
}
