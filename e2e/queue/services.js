'use strict';
/**
 * Postgres and Redis for one queue-mode run, on 127.0.0.1 and by themselves: Debian's `postgresql` and
 * `redis-server` are installed with apt when missing, then this run starts its own instances with their own data
 * directories (under the run folder) and ports, and removes both when it stops. The packages' system services are
 * never started by us and never used: a temporary policy-rc.d keeps apt from starting them, and we talk only to
 * the ports we chose.
 *
 *   const services = await startServices({ runDir, ports: { postgres, redis }, log });
 *   services.postgres  // { host, port, database, user, password }
 *   services.redis     // { host, port }
 *   await services.stop();
 *
 * Postgres refuses to run as root, so as root it runs as the `postgres` user the package creates (its data
 * directory is chowned to it); otherwise it runs as the current user.
 */
const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { sleep, waitFor } = require('../lib/wait');

const HOST = '127.0.0.1';
const APT_PACKAGES = ['postgresql', 'redis-server'];
const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const PROGRESS_EVERY_MS = 15_000;
const PID_FILE = 'run.pids';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The newest installed Postgres server's bin directory (Debian keeps them in /usr/lib/postgresql/<major>/bin). */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function redisServerBin() {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

function missingPackages() {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerBin()) missing.push('redis-server');
	return missing;
}

/**
 * Runs a command to completion with its output appended to `logFile`; prints a progress line every 15 s while it
 * runs (apt can take minutes). `uid`/`gid` run it as another user. Rejects on a non-zero exit.
 */
function runLogged(command, args, { logFile, env, uid, gid, input, label, log, timeoutMs = 20 * 60_000 }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `$ ${command} ${args.join(' ')}\n`);
		const child = spawn(command, args, { env, uid, gid, stdio: [input === undefined ? 'ignore' : 'pipe', out, out] });
		fs.closeSync(out);
		if (input !== undefined) child.stdin.end(input);
		const started = Date.now();
		const progress =
			log &&
			setInterval(() => {
				log(`${label ?? command}: still running (${Math.round((Date.now() - started) / 1000)} s, log: ${logFile})`);
			}, PROGRESS_EVERY_MS);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		const done = () => {
			clearTimeout(timer);
			if (progress) clearInterval(progress);
		};
		child.once('error', (error) => {
			done();
			reject(error);
		});
		child.once('exit', (code, signal) => {
			done();
			if (code === 0) return resolve();
			reject(new Error(`${label ?? command} failed with ${signal ?? `exit code ${code}`} (see ${logFile})`));
		});
	});
}

/**
 * apt-get update + install of what is missing, non-interactive. A policy-rc.d answering 101 ("action forbidden")
 * is put in place for the install when the machine has none, so the packages' own services are not started on
 * the default ports (5432, 6379); it is removed afterwards. apt waits for a dpkg lock held by another install.
 */
async function ensurePackages({ logFile, log }) {
	const missing = missingPackages();
	if (missing.length === 0) return { installed: [], seconds: 0 };
	if (!isRoot()) {
		throw new Error(`${missing.join(' and ')} missing; install as root: apt-get install -y ${missing.join(' ')}`);
	}
	const started = Date.now();
	log(`installing ${missing.join(', ')} with apt (log: ${logFile})`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const ownPolicy = !fs.existsSync(POLICY_RC_D);
	if (ownPolicy) fs.writeFileSync(POLICY_RC_D, '#!/bin/sh\n# written by e2e/queue/services.js for one apt run\nexit 101\n', { mode: 0o755 });
	try {
		await retry(3, () =>
			runLogged('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { logFile, env, log, label: 'apt-get update' }),
		);
		await runLogged(
			'apt-get',
			['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...missing],
			{ logFile, env, log, label: `apt-get install ${missing.join(' ')}` },
		);
	} finally {
		if (ownPolicy) fs.rmSync(POLICY_RC_D, { force: true });
	}
	const still = missingPackages();
	if (still.length) throw new Error(`apt finished but ${still.join(', ')} is still missing (see ${logFile})`);
	const seconds = (Date.now() - started) / 1000;
	log(`installed ${missing.join(', ')} in ${seconds.toFixed(1)} s`);
	return { installed: missing, seconds };
}

async function retry(times, body) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await body();
		} catch (error) {
			if (attempt >= times) throw error;
			await sleep(5_000 * attempt); // apt's list lock, held by another apt-get update, is not waited for
		}
	}
}

/** The account Postgres runs as: as root, the package's `postgres` user; otherwise ourselves. */
function postgresAccount() {
	if (!isRoot()) return { uid: undefined, gid: undefined, name: 'the current user' };
	const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g'), name: 'postgres' };
}

/** Postgres must be able to reach its data directory: every ancestor needs the search (x) bit for others. */
function assertTraversable(dir, account) {
	if (account.uid === undefined) return;
	for (let current = path.dirname(dir); ; current = path.dirname(current)) {
		if ((fs.statSync(current).mode & 0o001) === 0) {
			throw new Error(`${current} is not searchable by the ${account.name} user; put the run folder elsewhere (QUEUE_E2E_DIR)`);
		}
		if (current === path.dirname(current)) return;
	}
}

function assertPortFree(port, what) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () => reject(new Error(`port ${port} on ${HOST} (for ${what}) is in use; choose another`)));
		probe.listen(port, HOST, () => probe.close(resolve));
	});
}

/** Answers true when a Redis on the port replies +PONG to PING. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: HOST, port });
		let reply = '';
		socket.setTimeout(2_000, () => socket.destroy());
		socket.once('error', () => resolve(false));
		socket.once('close', () => resolve(reply.startsWith('+PONG')));
		socket.on('data', (chunk) => {
			reply += chunk;
			if (reply.includes('\r\n')) socket.end();
		});
		socket.write('PING\r\n');
	});
}

/** A long-running service in its own process group, output to its log; exits are noticed, not awaited. */
function startDaemon(command, args, { logFile, uid, gid, cwd }) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { cwd, uid, gid, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
	return child;
}

/** Stops a daemon we started: `signal` first, SIGKILL to its group after `graceMs`. */
async function stopDaemon(child, signal, graceMs = 15_000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const send = (name) => {
		try {
			process.kill(-child.pid, name);
		} catch {
			try {
				process.kill(child.pid, name);
			} catch {
				// already gone
			}
		}
	};
	send(signal);
	const timer = setTimeout(() => send('SIGKILL'), graceMs);
	await child.exited;
	clearTimeout(timer);
}

/** Whether any process of the group `pid` leads is still there (each process a run starts leads its own group). */
function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Notes a process of this run (a service, or an n8n process) so that a later run can stop it if this one is killed. */
function rememberPid(runDir, pid) {
	fs.appendFileSync(path.join(runDir, PID_FILE), `${pid}\n`);
}

/** Processes whose working directory is inside `dir` (also when that directory has been deleted since). */
function processesIn(dir) {
	const found = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(`${dir}${path.sep}`)) found.push(Number(entry));
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/**
 * A previous run killed with SIGKILL cannot have stopped its processes; its pid file names them. With
 * `byWorkingDirectory`, so is every process still working inside the run folder (an n8n CLI import, say, which is
 * in no pid file). Only a process whose working directory is still inside that folder is stopped, so a reused pid
 * is never touched.
 */
async function stopLeftovers(runDir, log, { byWorkingDirectory = false } = {}) {
	const file = path.join(runDir, PID_FILE);
	let pids = [];
	try {
		pids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
	} catch {
		// no pid file: nothing was left, or the run was never started here
	}
	if (byWorkingDirectory) pids = [...new Set([...pids, ...processesIn(runDir)])];
	for (const pid of pids) {
		let cwd;
		try {
			cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
		} catch {
			continue;
		}
		if (!cwd.startsWith(`${runDir}${path.sep}`)) continue;
		log(`stopping pid ${pid} left over from an earlier run (in ${cwd})`);
		try {
			process.kill(-pid, 'SIGKILL'); // its group: Postgres's backends too
		} catch {
			try {
				process.kill(pid, 'SIGKILL'); // not a group leader
			} catch {
				// gone meanwhile
			}
		}
		// The whole group, not only its leader: a Postgres backend or n8n's task runner still writing into the
		// folder would make removing it fail.
		await waitFor(() => !groupAlive(pid) && !fs.existsSync(`/proc/${pid}`), 10_000).catch(() => undefined);
	}
	fs.rmSync(file, { force: true });
}

async function startPostgres({ dir, port, logFile, log, remember }) {
	const bin = postgresBinDir();
	const account = postgresAccount();
	assertTraversable(dir, account);
	await assertPortFree(port, 'Postgres');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const dataDir = path.join(dir, 'data');
	const superPassword = crypto.randomBytes(18).toString('base64url');
	const credentials = { host: HOST, port, database: 'n8n', user: 'n8n', password: crypto.randomBytes(18).toString('base64url') };
	const pwfile = path.join(dir, 'superuser.pw');
	fs.writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
	if (account.uid !== undefined) {
		fs.chownSync(dir, account.uid, account.gid);
		fs.chownSync(pwfile, account.uid, account.gid);
	}
	const as = { uid: account.uid, gid: account.gid };
	const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	await runLogged(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-instructions'],
		{ logFile, env, ...as, log, label: 'initdb' },
	);
	fs.rmSync(pwfile, { force: true });
	// A throwaway cluster: TCP on 127.0.0.1 only, no unix socket (its default directory belongs to the system
	// service), and no fsync, which a run that is deleted afterwards does not need.
	const settings = {
		listen_addresses: HOST,
		port: String(port),
		unix_socket_directories: '',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '100',
		shared_buffers: '64MB',
	};
	const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
	const child = startDaemon(path.join(bin, 'postgres'), args, { logFile, cwd: dir, ...as });
	child.stopSignal = 'SIGINT'; // its "fast" shutdown; SIGTERM would wait for clients to disconnect
	remember(child);
	const psql = (sql, database = 'postgres') =>
		runLogged(path.join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', HOST, '-p', String(port), '-U', 'postgres', '-d', database], {
			logFile,
			env: { ...env, PGPASSWORD: superPassword, PGCONNECT_TIMEOUT: '5' },
			input: sql,
			label: 'psql',
		});
	const exited = child.exited.then((code) => {
		throw new Error(`postgres exited with ${code} during startup (see ${logFile})`);
	});
	await Promise.race([waitFor(() => psql('SELECT 1').then(() => true), 60_000), exited]);
	// The password goes in on stdin, never on a command line.
	await psql(`CREATE ROLE ${credentials.user} LOGIN PASSWORD '${credentials.password}';\nCREATE DATABASE ${credentials.database} OWNER ${credentials.user};\n`);
	log(`postgres ${path.basename(path.dirname(bin))} on ${HOST}:${port} (data ${dataDir}, running as ${account.name})`);
	return { child, credentials };
}

async function startRedis({ dir, port, logFile, log, remember }) {
	await assertPortFree(port, 'Redis');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const args = [
		'--port', String(port),
		'--bind', HOST,
		'--save', '',
		'--appendonly', 'no',
		'--dir', dir,
		'--daemonize', 'no',
		'--protected-mode', 'yes',
		'--logfile', '',
	];
	const child = startDaemon(redisServerBin(), args, { logFile, cwd: dir });
	child.stopSignal = 'SIGTERM';
	remember(child);
	const exited = child.exited.then((code) => {
		throw new Error(`redis-server exited with ${code} during startup (see ${logFile})`);
	});
	await Promise.race([waitFor(() => redisPing(port), 30_000), exited]);
	log(`redis on ${HOST}:${port} (dir ${dir})`);
	return { child, credentials: { host: HOST, port } };
}

/**
 * Installs (when missing) and starts both services for one run. On any failure, what was started is stopped and
 * its data removed before the error is thrown. `stop()` is idempotent and may be called from a signal handler.
 */
async function startServices({ runDir, ports, log = (line) => console.log(`[services] ${line}`) }) {
	fs.mkdirSync(runDir, { recursive: true });
	await stopLeftovers(runDir, log);
	const packages = await ensurePackages({ logFile: path.join(runDir, 'apt.log'), log });
	const dirs = { postgres: path.join(runDir, 'postgres'), redis: path.join(runDir, 'redis') };
	const started = [];
	const pidFile = path.join(runDir, PID_FILE);
	const remember = (child) => {
		started.push(child);
		rememberPid(runDir, child.pid);
	};
	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			for (const child of [...started].reverse()) await stopDaemon(child, child.stopSignal);
			for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
			fs.rmSync(pidFile, { force: true });
		})();
		return stopping;
	};
	try {
		for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
		const logFile = (name) => path.join(runDir, `${name}.log`);
		const postgres = await startPostgres({ dir: dirs.postgres, port: ports.postgres, logFile: logFile('postgres'), log, remember });
		const redis = await startRedis({ dir: dirs.redis, port: ports.redis, logFile: logFile('redis'), log, remember });
		const versions = {
			postgres: path.basename(path.dirname(postgresBinDir())),
			redis: execFileSync(redisServerBin(), ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1],
		};
		return { postgres: postgres.credentials, redis: redis.credentials, packages, versions, pids: started.map((c) => c.pid), stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startServices, ensurePackages, missingPackages, groupAlive, redisPing, rememberPid, stopLeftovers };

if (require.main === module) {
	// `node e2e/queue/services.js [runDir]`: start both, show them, stop on Ctrl-C (for trying things by hand).
	const runDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '.e2e', 'queue-services'));
	startServices({ runDir, ports: { postgres: 5750, redis: 5751 } })
		.then((services) => {
			console.log(JSON.stringify({ postgres: { ...services.postgres, password: '(hidden)' }, redis: services.redis }));
			for (const name of ['SIGINT', 'SIGTERM']) process.on(name, () => services.stop().then(() => process.exit(0)));
		})
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
