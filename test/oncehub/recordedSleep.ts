/**
 * OnceHub's nodes pace requests (5 per second) and back off between retries with n8n-workflow's `sleep`. The
 * tests replace it so that every wait is recorded and skipped; `realSleep.enabled` lets a test wait for real.
 *
 *   jest.mock('n8n-workflow', () => jest.requireActual('./recordedSleep').n8nWorkflowWithRecordedSleep());
 */
export const sleeps: number[] = [];

export const realSleep = { enabled: false };

export function n8nWorkflowWithRecordedSleep(): Record<string, unknown> {
	const actual = jest.requireActual('n8n-workflow') as Record<string, unknown> & { sleep(ms: number): Promise<void> };
	return {
		__esModule: true,
		...actual,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			if (realSleep.enabled) await actual.sleep(ms);
		},
	};
}
