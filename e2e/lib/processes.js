'use strict';
/**
 * Child processes for the e2e runs: every process we start is remembered by pid, under a name a person can
 * read, and stopped by that pid, never by name, when the run ends, fails or is interrupted. Each child leads its
 * own process group, so stopping it also stops what it started (n8n's task runner, npm's node-gyp).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const running = new Map(); // pid -> { child, name }
let stopping = false;

/** `node n8n execute`, `npm rebuild sqlite3`: what `ps` would show, short. */
function defaultName(command, args) {
	return [path.basename(command), ...args.slice(0, 2).map((arg) => path.basename(arg))].join(' ');
}

/** Runs a command to completion; its output goes to `logFile` (appended). Rejects on a non-zero exit. */
function run(command, args, { cwd, env, logFile, timeoutMs = 30 * 60_000, name } = {}) {
	return new Promise((resolve, reject) => {
		const log = logFile ? fs.openSync(logFile, 'a') : 'ignore';
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
		if (typeof log === 'number') fs.closeSync(log); // the child has its own copy
		track(child, name ?? defaultName(command, args));
		const timer = setTimeout(() => stopProcess(child.pid), timeoutMs);
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) return resolve();
			const where = logFile ? ` (see ${logFile})` : '';
			reject(new Error(`${command} ${args.join(' ')} failed with ${signal ?? `exit code ${code}`}${where}`));
		});
	});
}

/** Runs a command and resolves with its exit code, stdout and stderr (for CLIs whose output we parse). */
function capture(command, args, { cwd, env, timeoutMs = 5 * 60_000, name } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		track(child, name ?? defaultName(command, args));
		const stdout = [];
		const stderr = [];
		child.stdout.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		const timer = setTimeout(() => stopProcess(child.pid), timeoutMs);
		child.once('error', reject);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code: code ?? signal,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			});
		});
	});
}

/** Starts a long-running process; output goes to `logFile`, or is piped when omitted. */
function startService(command, args, { cwd, env, logFile, name } = {}) {
	const log = logFile ? fs.openSync(logFile, 'a') : 'pipe';
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
	if (typeof log === 'number') fs.closeSync(log);
	track(child, name ?? defaultName(command, args));
	return child;
}

function track(child, name) {
	if (!child.pid) return;
	running.set(child.pid, { child, name });
	child.once('exit', () => running.delete(child.pid));
}

/**
 * Stops one process we started: SIGTERM to its process group, then SIGKILL after `graceMs`. Resolves with what
 * was stopped (`n8n server (pid 123)`), or undefined when it had already ended.
 */
async function stopProcess(pid, graceMs = 10_000) {
	const entry = running.get(pid);
	if (!entry) return undefined;
	const exited = new Promise((resolve) => entry.child.once('exit', resolve));
	signal(pid, 'SIGTERM');
	let killed = false;
	const timer = setTimeout(() => {
		killed = true;
		signal(pid, 'SIGKILL');
	}, graceMs);
	await exited;
	clearTimeout(timer);
	return `${entry.name} (pid ${pid}${killed ? `, killed after ${graceMs / 1000} s` : ''})`;
}

function signal(pid, name) {
	try {
		process.kill(-pid, name); // the process group the child leads
	} catch {
		try {
			process.kill(pid, name);
		} catch {
			// already gone
		}
	}
}

/** Stops everything still running, newest first (n8n before the simulators it talks to); returns what it stopped. */
async function stopAll() {
	stopping = true;
	const stopped = [];
	for (const pid of [...running.keys()].reverse()) {
		const what = await stopProcess(pid, running.get(pid)?.name.includes('n8n') ? 30_000 : 10_000);
		if (what) stopped.push(what);
	}
	return stopped;
}

/** SIGKILL to every process group still running, at once; returns what it killed. */
function killAll() {
	stopping = true;
	return [...running.entries()].map(([pid, { name }]) => {
		signal(pid, 'SIGKILL');
		return `${name} (pid ${pid})`;
	});
}

/**
 * Ctrl-C / SIGTERM / SIGHUP stop every process we started, say what was stopped, run `afterStop` (for example a
 * check that the ports are free again) and exit with the conventional code. A second Ctrl-C while that is under
 * way kills everything at once. Under `npm run` one Ctrl-C arrives twice within milliseconds (from the terminal
 * and forwarded by npm); a repeat within a second is that echo, not a second Ctrl-C.
 */
function stopAllOnSignals({ label, afterStop } = {}) {
	const say = (line) => console.log(label ? `[${label}] ${line}` : line);
	const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
	let firstAt;
	for (const [name, code] of Object.entries(codes)) {
		process.on(name, () => {
			if (firstAt === undefined) {
				firstAt = Date.now();
				say(`${name}: stopping everything this run started (Ctrl-C again to force)`);
				stopAll()
					.then(async (stopped) => {
						say(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing was running');
						if (afterStop) await afterStop(say);
					})
					.catch((error) => say(`stopping failed: ${error.message}`))
					.finally(() => process.exit(code));
				return;
			}
			if (Date.now() - firstAt < 1000) return;
			const killed = killAll();
			say(killed.length > 0 ? `forced: killed ${killed.join(', ')}` : 'forced: nothing was left running');
			process.exit(code);
		});
	}
}

/** True once `stopAll` began: an exit after that was asked for, not a crash. */
const isStopping = () => stopping;

module.exports = { run, capture, startService, stopProcess, stopAll, stopAllOnSignals, isStopping };
