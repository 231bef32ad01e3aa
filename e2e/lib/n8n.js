'use strict';
/**
 * One real n8n instance on loopback with this package installed the way n8n's community-node installer lays it
 * out, driven through its CLI (import, execute, publish), its server (`n8n start`) and its internal REST API.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');

const { capture, startService, stopProcess } = require('./processes');
const { toolchainEnv } = require('./toolchain');
const { waitFor } = require('./wait');

const REPO_DIR = path.join(__dirname, '..', '..');
const PACKAGE_NAME = require(path.join(REPO_DIR, 'package.json')).name;

/** The owner account the demo and the tests create (a throwaway instance on 127.0.0.1 only). */
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Conversations-Demo-1' };

/**
 * Quiet and offline: no telemetry, no version/template/community-catalogue fetches, no MCP registry refresh.
 * With these, n8n 2.41.1 opened no connection beyond loopback, the editor included (see shared/n8n-runtime.md).
 */
const QUIET_OFFLINE_ENV = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_DISABLED_MODULES: 'mcp-registry',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	// The simulators listen on 127.0.0.1, which SSRF protection would block if it is ever on by default.
	N8N_SSRF_PROTECTION_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false', // plain http on loopback
	N8N_ENCRYPTION_KEY: 'local-demo-and-e2e-only-not-a-secret',
	N8N_LOG_LEVEL: 'info', // `n8n execute` prints its result at info level; warn would drop it
};

/** Settings inherited from the caller's shell that would point this throwaway instance somewhere else. */
function withoutInheritedN8nSettings(env) {
	return Object.fromEntries(
		Object.entries(env).filter(([name]) => !/^(N8N_|DB_|EXECUTIONS_|QUEUE_)/.test(name) && name !== 'WEBHOOK_URL'),
	);
}

class N8n {
	/**
	 * @param {object} options
	 * @param {object} options.toolchain  paths from toolchain.js
	 * @param {string} options.runDir     a folder for this instance's data and logs; its `home/` is recreated
	 * @param {number} options.port       the server port (also in webhook URLs)
	 * @param {number} options.brokerPort the task-runner broker port of the server; CLI commands use the next one
	 * @param {string} [options.outboundLog] record every attempt to reach beyond loopback here (loopback-guard.js)
	 * @param {string} [options.webhookUrl] the public base URL of the webhooks (behind a load balancer, say), given
	 *   as N8N_WEBHOOK_URL, the name n8n 2.41 reads first; without it, WEBHOOK_URL is this instance's own URL
	 */
	constructor({ toolchain, runDir, port, brokerPort, outboundLog, webhookUrl }) {
		Object.assign(this, { toolchain, runDir, port, brokerPort, outboundLog, webhookUrl });
		this.userFolder = path.join(runDir, 'home');
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.server = undefined;
		this.cookie = undefined;
	}

	/** A fresh user folder with the built package symlinked in as `~/.n8n/nodes/node_modules/<package>`. */
	createUserFolder() {
		fs.rmSync(this.userFolder, { recursive: true, force: true });
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes', 'node_modules');
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.symlinkSync(REPO_DIR, path.join(nodesDir, PACKAGE_NAME), 'dir');
	}

	env(brokerPort) {
		const base = toolchainEnv(this.toolchain, withoutInheritedN8nSettings(process.env));
		const guard = this.outboundLog && {
			NODE_OPTIONS: `${base.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(__dirname, 'loopback-guard.js'))}`,
			E2E_OUTBOUND_LOG: this.outboundLog,
		};
		// 2.41 calls WEBHOOK_URL deprecated and reads N8N_WEBHOOK_URL before it.
		const webhookUrl = this.webhookUrl ? { N8N_WEBHOOK_URL: this.webhookUrl } : { WEBHOOK_URL: `${this.baseUrl}/` };
		return {
			...base,
			...guard,
			...QUIET_OFFLINE_ENV,
			N8N_USER_FOLDER: this.userFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			...webhookUrl,
			// Each n8n process runs a task broker; a CLI call next to a running server needs its own port.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		};
	}

	/** Runs an n8n CLI command; rejects with its output when it fails. */
	async cli(args) {
		const result = await capture(this.toolchain.nodeBin, [this.toolchain.n8nBin, ...args], {
			cwd: this.runDir,
			env: this.env(this.brokerPort + 1),
			name: `n8n ${args[0]}`,
		});
		fs.appendFileSync(path.join(this.runDir, 'cli.log'), `$ n8n ${args.join(' ')}\n${result.stdout}${result.stderr}\n`);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${tail(result.stdout + result.stderr)}`);
		}
		return result;
	}

	/** `credentials`: `[{ id, name, type, data }]` with plain `data`; n8n encrypts it on import. */
	async importCredentials(credentials) {
		const file = path.join(this.runDir, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows) {
		const dir = path.join(this.runDir, 'workflows');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir);
		for (const workflow of workflows) {
			fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/** Marks a workflow active; a server started afterwards activates it (and registers its triggers). */
	async publish(workflowId) {
		await this.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/**
	 * Runs a manual-trigger workflow in a fresh n8n process and returns the run (`status`, `data.resultData`).
	 * stdout starts with log lines; the run JSON (pretty-printed) starts at the first line that is exactly `{` and
	 * ends at the next line that is exactly `}`: a log line may follow it (the task runner's "Registered runner"
	 * was seen after it). The exit code alone is not trusted (some argument mistakes exit 0), so a missing JSON is
	 * an error.
	 */
	async execute(workflowId) {
		const { stdout } = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']).catch((error) => {
			throw new Error(`n8n execute failed: ${error.message}`);
		});
		const start = stdout.search(/^\{$/m);
		if (start === -1) throw new Error(`n8n execute printed no run JSON:\n${tail(stdout)}`);
		const end = stdout.slice(start).search(/^\}$/m);
		if (end === -1) throw new Error(`n8n execute printed no end of its run JSON:\n${tail(stdout)}`);
		return JSON.parse(stdout.slice(start, start + end + 1));
	}

	async start() {
		// Another server on the port would answer the readiness probe in our stead.
		await assertPortFree(this.port);
		const logFile = path.join(this.runDir, 'n8n.log');
		this.server = startService(this.toolchain.nodeBin, [this.toolchain.n8nBin, 'start'], {
			cwd: this.runDir,
			env: this.env(this.brokerPort),
			logFile,
			name: `n8n server on port ${this.port}`,
		});
		const exited = new Promise((resolve) => this.server.once('exit', resolve));
		const ready = waitFor(async () => (await fetch(`${this.baseUrl}/healthz/readiness`)).ok, startTimeoutMs());
		const outcome = await Promise.race([ready.then(() => 'ready'), exited.then(() => 'exited')]);
		if (outcome === 'exited') throw new Error(`n8n exited during startup:\n${tail(fs.readFileSync(logFile, 'utf8'))}`);
	}

	/** SIGTERM and wait: n8n shuts its task runner down itself. */
	async stop() {
		if (this.server) await stopProcess(this.server.pid, 30_000);
		this.server = undefined;
		this.cookie = undefined;
	}

	/** Creates the owner account (first start only) and keeps its session cookie for `rest()`. */
	async setupOwner() {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!response.ok) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
		this.cookie = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
	}

	/** The internal REST API as the owner; answers `data` of n8n's `{ data }` envelope. */
	async rest(method, restPath, body) {
		const response = await fetch(`${this.baseUrl}/rest${restPath}`, {
			method,
			headers: { 'Content-Type': 'application/json', Cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${restPath} answered ${response.status}: ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}

	/** Activates the workflow's current version, as the editor's Publish button does. */
	async activate(workflowId) {
		const { versionId } = await this.rest('GET', `/workflows/${workflowId}`);
		await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId });
	}

	async deactivate(workflowId) {
		await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** Finished executions of a workflow, newest first: `[{ id, status, error, outputs: { node: [json…] } }]`. */
	async executions(workflowId) {
		const reader = path.join(__dirname, 'read-executions.js');
		const database = path.join(this.userFolder, '.n8n', 'database.sqlite');
		const result = await capture(this.toolchain.nodeBin, [reader, this.toolchain.n8nModules, database, workflowId], {
			name: 'execution reader',
		});
		if (result.code !== 0) throw new Error(`reading executions failed: ${result.stderr}`);
		return JSON.parse(result.stdout);
	}
}

/**
 * How long n8n may take to become ready: E2E_START_TIMEOUT_S, default 300 s. It is up in 5 to 10 s on a quiet
 * machine; on a shared 2-core machine under a load of 20 it took more than 120 s.
 */
function startTimeoutMs() {
	const seconds = Number(process.env.E2E_START_TIMEOUT_S || 300);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`E2E_START_TIMEOUT_S=${process.env.E2E_START_TIMEOUT_S} is not a number of seconds`);
	return seconds * 1000;
}

function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () => reject(new Error(`port ${port} on 127.0.0.1 is in use; choose another n8n port`)));
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

function tail(text, lines = 30) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

module.exports = { N8n, OWNER, PACKAGE_NAME };
