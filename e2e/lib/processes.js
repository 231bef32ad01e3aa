'use strict';
/**
 * Child processes for the e2e runs: every process we start is remembered by pid and stopped by that pid,
 * never by name, when the run ends, fails or is interrupted.
 */
const { spawn } = require('child_process');
const fs = require('fs');

const running = new Map(); // pid -> ChildProcess
let stopping = false;

/** Runs a command to completion; its output goes to `logFile` (appended). Rejects on a non-zero exit. */
function run(command, args, { cwd, env, logFile, timeoutMs = 30 * 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const log = logFile ? fs.openSync(logFile, 'a') : 'ignore';
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
		if (typeof log === 'number') fs.closeSync(log); // the child has its own copy
		track(child);
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
function capture(command, args, { cwd, env, timeoutMs = 5 * 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		track(child);
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

/** Starts a long-running process in its own process group; output goes to `logFile`, or is piped when omitted. */
function startService(command, args, { cwd, env, logFile } = {}) {
	const log = logFile ? fs.openSync(logFile, 'a') : 'pipe';
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
	if (typeof log === 'number') fs.closeSync(log);
	track(child);
	return child;
}

function track(child) {
	if (!child.pid) return;
	running.set(child.pid, child);
	child.once('exit', () => running.delete(child.pid));
}

/**
 * Stops one process we started: SIGTERM to its process group (services are group leaders, so their own
 * children such as n8n's task runner go too), then SIGKILL after `graceMs`.
 */
async function stopProcess(pid, graceMs = 10_000) {
	const child = running.get(pid);
	if (!child) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	signal(pid, 'SIGTERM');
	const timer = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

function signal(pid, name) {
	try {
		process.kill(-pid, name); // the process group, when the child leads one
	} catch {
		try {
			process.kill(pid, name);
		} catch {
			// already gone
		}
	}
}

/** Stops everything still running, newest first (n8n before the simulators it talks to). */
async function stopAll() {
	stopping = true;
	for (const pid of [...running.keys()].reverse()) await stopProcess(pid);
}

/**
 * Ctrl-C / SIGTERM stop every process we started, then exit with the conventional code. Under `npm run` the
 * signal arrives twice (from the terminal and forwarded by npm); the repeat is ignored, since Node's default
 * action would exit at once and leave n8n and the simulators running.
 */
function stopAllOnSignals() {
	const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
	for (const [name, code] of Object.entries(codes)) {
		process.on(name, () => {
			if (stopping) return;
			stopAll().finally(() => process.exit(code));
		});
	}
}

/** True once `stopAll` began: an exit after that was asked for, not a crash. */
const isStopping = () => stopping;

module.exports = { run, capture, startService, stopProcess, stopAll, stopAllOnSignals, isStopping };
