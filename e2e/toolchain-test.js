#!/usr/bin/env node
'use strict';
/**
 * npm run test:toolchain: the toolchain cache repairs itself. On the real cache (installed first if missing):
 *   1. a cache broken the way the toolchain before December 2026 left it when started through `npm run` (sqlite3
 *      never built, the cache marked complete) fails the check, naming sqlite3;
 *   2. the next start, with `npm_config_ignore_scripts=true` in its environment as `npm run` exports it from the
 *      project's .npmrc, repairs it: sqlite3 is built, the check passes, the cache is marked complete again;
 *   3. what an interrupted install left behind (a `.partial-<pid>` of a process that is gone) is removed.
 * Ends with `N passed, N failed` and a non-zero exit code on any failure.
 *
 * Environment: N8N_CONVERSATIONS_CACHE (the cache to test; the default one otherwise).
 */
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { capture, stopAll, stopAllOnSignals } = require('./lib/processes');
const { check, step, StopRun, summary } = require('./lib/report');
const { ensureToolchain, toolchainProblem } = require('./lib/toolchain');

const TOOLCHAIN_SCRIPT = path.join(__dirname, 'lib', 'toolchain.js');

/** The state the old bug left: `npm rebuild sqlite3` ran with install scripts off, so nothing was built. */
function breakTheOldWay(paths) {
	const sqliteDir = path.join(paths.n8nModules, 'sqlite3');
	fs.rmSync(path.join(sqliteDir, 'build'), { recursive: true, force: true });
	assert.ok(fs.existsSync(path.join(paths.n8nDir, '.complete')), 'the broken cache is still marked complete');
}

async function main() {
	stopAllOnSignals({ label: 'toolchain-test' });
	const started = Date.now();
	try {
		const paths = await step('toolchain installed (or found and checked)', () => ensureToolchain(), {
			heartbeat: false,
		});

		await check('a cache marked complete whose sqlite3 was never built fails the check, naming sqlite3', async () => {
			breakTheOldWay(paths);
			const problem = await toolchainProblem(paths);
			assert.match(problem ?? 'no problem found', /sqlite3/);
		});

		const abandoned = `${paths.n8nDir}.partial-2147483646`;
		fs.mkdirSync(path.join(abandoned, 'node_modules'), { recursive: true });
		fs.writeFileSync(`${abandoned}.log`, 'an install that was killed\n');

		await check('the next start, with npm_config_ignore_scripts=true as `npm run` exports it, repairs it', async () => {
			const env = { ...process.env, npm_config_ignore_scripts: 'true' };
			const result = await capture(process.execPath, [TOOLCHAIN_SCRIPT], { env, timeoutMs: 20 * 60_000 });
			const output = `${result.stdout}${result.stderr}`;
			const said = output.split('\n').filter((line) => line.startsWith('[toolchain]') && !line.includes('…'));
			console.log(said.map((line) => `        ${line}`).join('\n'));
			assert.equal(result.code, 0, output);
			assert.match(output, /failed its check: sqlite3/, 'it says what was wrong');
			assert.match(output, /repaired: sqlite3 loads and n8n answers/, 'it says it repaired the cache');
			assert.equal(await toolchainProblem(paths), undefined, 'the repaired cache passes the check');
			assert.ok(fs.existsSync(path.join(paths.n8nDir, '.complete')), 'the repaired cache is marked complete');
		});

		await check('what an interrupted install left behind is removed on the next start', () => {
			assert.equal(fs.existsSync(abandoned), false, `${abandoned} is still there`);
			assert.equal(fs.existsSync(`${abandoned}.log`), false, `${abandoned}.log is still there`);
		});
	} catch (error) {
		if (!(error instanceof StopRun)) await check('toolchain test run', () => Promise.reject(error));
	} finally {
		await stopAll();
	}
	const { failed, line } = summary();
	console.log(`[toolchain-test] finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(line);
	process.exitCode = failed > 0 ? 1 : 0;
}

main();
