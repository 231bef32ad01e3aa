'use strict';
/**
 * The vendor simulators (test/simulators/*.ts) compiled to `.build/` and run as processes on loopback, one per
 * vendor, through the standalone runner `run.js`.
 */
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const { run, startService } = require('./processes');

const REPO_DIR = path.join(__dirname, '..', '..');
const RUNNER = path.join(REPO_DIR, '.build', 'test', 'simulators', 'run.js');

async function buildSimulators(logFile) {
	const tsc = path.join(REPO_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
	await run(process.execPath, [tsc, '-p', 'tsconfig.sim.json'], { cwd: REPO_DIR, logFile });
}

/**
 * Starts one simulator and resolves with what its runner printed: `baseUrl`, credentials, `controlUrl`, plus the
 * `pid` of its process (it leads its own process group). Port 0 lets the system pick a free port; the printed URLs
 * say which. `cwd` is its working directory (default: the clone). It is stopped with every other process we started.
 */
async function startSimulator(name, { port = 0, controlPort = 0, logFile, cwd = REPO_DIR }) {
	const args = [RUNNER, name, '--host', '127.0.0.1', '--port', String(port), '--control-port', String(controlPort)];
	const child = startService(process.execPath, args, { cwd, name: `${name} simulator` });
	const log = fs.createWriteStream(logFile, { flags: 'a' });
	child.stderr.pipe(log);
	const lines = readline.createInterface({ input: child.stdout });
	const firstLine = await new Promise((resolve, reject) => {
		lines.once('line', resolve);
		child.once('exit', (code) => {
			reject(new Error(`simulator ${name} exited with ${code} before listening (see ${logFile})`));
		});
	});
	lines.on('line', (line) => log.write(`${line}\n`));
	return { ...JSON.parse(firstLine), pid: child.pid };
}

/** A tiny client for a simulator's vendor API and its /__sim/ controls, used to seed checks and fire events. */
function simulatorClient(simulator, authHeaders) {
	async function call(url, method, body, headers) {
		const response = await fetch(url, {
			method,
			headers: { 'Content-Type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
		return text === '' ? undefined : JSON.parse(text);
	}
	return {
		headers: authHeaders,
		api: (method, apiPath, body) => call(`${simulator.baseUrl}${apiPath}`, method, body, authHeaders),
		control: (method, controlPath, body) => call(`${simulator.controlUrl}${controlPath}`, method, body, {}),
	};
}

module.exports = { buildSimulators, startSimulator, simulatorClient };
