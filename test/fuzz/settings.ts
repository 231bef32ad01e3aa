import fc from 'fast-check';

/**
 * One seed and one run count for every property: fixed by default so that `npm test` is repeatable and
 * fast; `FUZZ_RUNS=10000` for a longer search, `FUZZ_SEED=…` for another one (a failure prints its seed).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261201);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

export function fuzz(runs = FUZZ_RUNS): fc.Parameters<unknown> {
	return { seed: FUZZ_SEED, numRuns: runs };
}

/** A jest timeout for a property whose runs each execute a workflow: longer runs get the time they need. */
export function fuzzTimeout(runs: number): number {
	return 20_000 + runs * 250;
}

/** Vendor-ish values: anything JSON, unicode text, times in many forms, huge strings, numbers of every size. */
export const vendorValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.jsonValue(),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
	fc.date({ noInvalidDate: true }).map((date) => Math.floor(date.getTime() / 1000)),
	fc.constantFrom('9999-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '', ' ', 'null', '2026-02-30', '1e400'),
	fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, 0.5, -1),
	fc.integer({ min: 1, max: 4 }).map((n) => 'x'.repeat(n * 16_384)),
);

/** A vendor object: some of the fields a normalizer reads, each holding any vendor-ish value, plus extras. */
export function vendorObject(keys: string[], nested: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
	const fields: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(keys.map((key) => [key, vendorValue]));
	for (const [key, arbitrary] of Object.entries(nested)) fields[key] = fc.oneof(arbitrary, vendorValue);
	return fc
		.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }))
		// What a vendor sends has been through JSON: no NaN, no -0, no undefined.
		.map(([known, extra]) => JSON.parse(JSON.stringify({ ...extra, ...known })) as Record<string, unknown>);
}
