import type { Figure } from './stats';

export interface BenchContext {
	/** Tiny sizes, one round: the CI smoke run, which asserts nothing about times. */
	quick: boolean;
	/**
	 * Scales the full run's sizes (listings, heap sizes, deliveries, requests), e.g. 0.1 on a machine too busy for
	 * the full sizes; fan-out keeps its 300 items, which a limit makes take the same time at any scale.
	 */
	scale: number;
	/** Interleaved rounds per comparison (after one warm-up round). */
	pairs: number;
	log(line: string): void;
	figures: Figure[];
	/** A full-run size, scaled by `scale` (at least 1). */
	sized(count: number): number;
	/** Markdown sections for BENCHMARKS.md beyond the table: profiles, per-size tables, notes. */
	sections: Array<{ title: string; body: string }>;
}
