'use strict';
/**
 * Long work says what it is doing: a step that runs longer than 15 s prints a line with its name and the time
 * so far every 15 s, so no step of the demo, the e2e run or the toolchain install is silent for longer.
 */

const HEARTBEAT_MS = 15_000;

/** `75 s`, `4 min 05 s`. */
function elapsed(since) {
	const seconds = Math.round((Date.now() - since) / 1000);
	if (seconds < 60) return `${seconds} s`;
	return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/**
 * Runs `body` and, while it runs, calls `print` every `intervalMs` with `<what>: <elapsed>` and, when `detail`
 * is given, what it returns (for example how many packages were downloaded so far).
 */
async function withHeartbeat(what, body, print, { intervalMs = HEARTBEAT_MS, detail } = {}) {
	const started = Date.now();
	const timer = setInterval(() => {
		let extra = '';
		try {
			extra = detail ? detail() ?? '' : '';
		} catch {
			// a progress detail is a courtesy; reading it must never break the work it describes
		}
		print(`… ${what}: ${elapsed(started)} so far${extra ? `, ${extra}` : ''}`);
	}, intervalMs);
	timer.unref();
	try {
		return await body();
	} finally {
		clearInterval(timer);
	}
}

module.exports = { withHeartbeat, elapsed, HEARTBEAT_MS };
