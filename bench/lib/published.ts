/**
 * The paced vendors' published limits as the listings meet them, and the rate a listing runs at with its pace
 * lifted (bench/methods.md, figures 1 and 2).
 */

/**
 * Max Requests Per Second for a run whose pace is lifted: far above what a loopback simulator answers, so that the
 * package's own code is measured, not the vendor's published rate (its simulator does not enforce it there).
 * Any rate still spaces requests.
 */
export const LIFTED_RATE = 100_000;

/** A vendor's published request limit, and the least time it lets a number of requests through from the start. */
export interface PublishedLimit {
	/** As the detail lines say it, e.g. `5 per any second`. */
	text: string;
	allowsMs(requests: number): number;
}

/** OnceHub: 5 requests in any second (figure 5 counts it the same way). */
export const ONCEHUB_LIMIT: PublishedLimit = {
	text: '5 in any second',
	allowsMs: (requests) => Math.max(0, Math.ceil(requests / 5) - 1) * 1000,
};

/** VoIPbin: a token bucket of 16.7 a second with a burst of 33 (figure 5 counts it the same way). */
export const VOIPBIN_LIMIT: PublishedLimit = {
	text: '16.7 a second, burst 33',
	allowsMs: (requests) => (Math.max(0, requests - 33) / 16.7) * 1000,
};
