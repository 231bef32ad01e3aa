'use strict';
/** Counts named checks and prints one line each, then the closing `N passed, N failed` line CI reads. */
const { withHeartbeat } = require('./progress');

const still = (line) => console.log(`        ${line}`);

const results = [];

/** Runs one check; a thrown error fails it (with its message), anything else passes. Never throws. */
async function check(name, body) {
	const started = Date.now();
	try {
		await withHeartbeat(name, body, still);
		results.push({ name, ok: true });
		console.log(`  ok    ${name} (${seconds(started)})`);
		return true;
	} catch (error) {
		results.push({ name, ok: false });
		console.log(`  FAIL  ${name} (${seconds(started)})\n        ${indent(error.message ?? String(error))}`);
		return false;
	}
}

/**
 * A step the checks depend on (setup, startup): its failure counts once and stops the run. `heartbeat: false`
 * for a step that reports its own progress.
 */
async function step(name, body, { heartbeat = true } = {}) {
	const started = Date.now();
	try {
		const value = heartbeat ? await withHeartbeat(name, body, (line) => console.log(`[e2e] ${line}`)) : await body();
		console.log(`[e2e] ${name} (${seconds(started)})`);
		return value;
	} catch (error) {
		results.push({ name, ok: false });
		console.log(`  FAIL  ${name} (${seconds(started)})\n        ${indent(error.message ?? String(error))}`);
		throw new StopRun(name);
	}
}

class StopRun extends Error {}

function summary() {
	const passed = results.filter((result) => result.ok).length;
	const failed = results.length - passed;
	return { passed, failed, line: `${passed} passed, ${failed} failed` };
}

function seconds(started) {
	return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

function indent(text) {
	return text.split('\n').slice(0, 25).join('\n        ');
}

module.exports = { check, step, summary, StopRun };
