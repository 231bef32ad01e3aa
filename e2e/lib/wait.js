'use strict';
/** Polling helpers: servers, webhooks and executions settle a moment after the call that caused them. */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value, which it resolves with (a throw counts as "not yet"). */
async function waitFor(probe, timeoutMs, intervalMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await Promise.resolve()
			.then(probe)
			.catch(() => undefined);
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
		await sleep(intervalMs);
	}
}

/** Retries an assertion until it passes; on timeout, throws the assertion's last error. */
async function eventually(assertion, timeoutMs, intervalMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await assertion();
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
		await sleep(intervalMs);
	}
}

module.exports = { waitFor, eventually, sleep };
