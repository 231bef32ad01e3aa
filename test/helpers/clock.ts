/**
 * A test clock for the transport's time limits: n8n-workflow's `sleep` returns at once and moves the clock
 * on instead, and `Date.now` reads the moved clock, so a minute of back-off takes no time in a test.
 *
 *   jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithVirtualSleep());
 *   const clock = useVirtualClock();
 */
let offsetMs = 0;
const realNow = Date.now.bind(Date);

export const virtualClock = {
	/** Moves the clock on, as if this much time had passed (a slow answer, a wait). */
	advance(ms: number): void {
		offsetMs += ms;
	},
	now(): number {
		return realNow() + offsetMs;
	},
	reset(): void {
		offsetMs = 0;
	},
};

export function n8nWorkflowWithVirtualSleep(): Record<string, unknown> {
	const actual = jest.requireActual('n8n-workflow') as Record<string, unknown>;
	return {
		__esModule: true,
		...actual,
		sleep: async (ms: number) => virtualClock.advance(ms),
	};
}

/** Makes `Date.now` read the virtual clock for the tests of the calling file. */
export function useVirtualClock(): typeof virtualClock {
	beforeEach(() => {
		virtualClock.reset();
		jest.spyOn(Date, 'now').mockImplementation(() => virtualClock.now());
	});
	afterEach(() => jest.restoreAllMocks());
	return virtualClock;
}

/**
 * The waits the transport asked n8n-workflow's `sleep` for, in order; each wait still really happens. Lets a test
 * assert that a retry waited what `Retry-After` said, or that no wait was scheduled, without reading a wall clock.
 *
 *   jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithRecordedSleep());
 */
export const recordedSleeps: number[] = [];

export function n8nWorkflowWithRecordedSleep(): Record<string, unknown> {
	const actual = jest.requireActual('n8n-workflow') as Record<string, unknown> & { sleep: (ms: number) => Promise<void> };
	return {
		__esModule: true,
		...actual,
		sleep: async (ms: number) => {
			recordedSleeps.push(ms);
			await actual.sleep(ms);
		},
	};
}
