'use strict';
/**
 * n8n in queue mode on loopback, the way teams scale it: one main process (editor, REST API, activation of
 * triggers; its production webhooks turned off), one worker (`n8n worker`, runs every execution it takes from the
 * Bull queue in Redis), and two webhook processors (`n8n webhook`, answer /webhook/… and put executions on the
 * queue), all on one Postgres database and one encryption key.
 *
 * Every process has its own port, its own task-runner broker port, its own log in the run folder and its own user
 * folder with this package installed as n8n's community installer lays it out (e2e/lib/n8n.js does that part), and
 * runs with e2e/lib/loopback-guard.js preloaded when `outboundLog` is given.
 *
 * The settings are those of n8n 2.41.1 (@n8n/config: ScalingModeConfig, DatabaseConfig, ExecutionsConfig,
 * TaskRunnersConfig, EndpointsConfig; cli commands start, worker, webhook); see e2e/queue/README.md.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');

const { N8n } = require('../lib/n8n');
const { startService, stopProcess } = require('../lib/processes');
const { waitFor } = require('../lib/wait');

const HOST = '127.0.0.1';

/** What every process of the deployment shares: database, queue, execution mode, key. */
function sharedQueueEnv({ postgres, redis }) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// One key for all: credentials encrypted by main are decrypted by the worker and the webhook processors.
		N8N_ENCRYPTION_KEY: 'queue-e2e-only-not-a-secret',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
}

/**
 * One n8n process of the deployment. It is an e2e/lib N8n (same user-folder layout, quiet offline settings,
 * loopback guard, CLI and REST helpers) with the queue settings added and its own command.
 */
class QueueProcess extends N8n {
	/**
	 * @param {object} options  those of N8n, plus
	 * @param {'main'|'worker'|'webhook'} options.role
	 * @param {string} options.name          e.g. `webhook-1`; names its folder and its log
	 * @param {object} options.extraEnv      the role's settings on top of the shared ones
	 * @param {string} options.webhookUrl    the public base URL of the webhooks (what a vendor is told)
	 */
	constructor({ role, name, extraEnv, onStart, ...options }) {
		super(options); // webhookUrl becomes N8N_WEBHOOK_URL (2.41 reads it first and calls WEBHOOK_URL deprecated)
		Object.assign(this, { role, name, extraEnv, onStart });
		this.logFile = path.join(options.runDir, `${name}.log`);
	}

	env(brokerPort) {
		return { ...super.env(brokerPort), ...this.extraEnv };
	}

	/** Starts the role's command and waits until `healthUrl` answers 200; fails early if the process exits. */
	async startRole(args, healthUrl) {
		await assertPortFree(this.port, this.name);
		this.server = startService(this.toolchain.nodeBin, [this.toolchain.n8nBin, ...args], {
			cwd: this.runDir,
			env: this.env(this.brokerPort),
			logFile: this.logFile,
		});
		this.onStart?.(this.server.pid);
		const exited = new Promise((resolve) => this.server.once('exit', resolve));
		const ready = waitFor(async () => (await fetch(healthUrl)).ok, 180_000, 500);
		const outcome = await Promise.race([ready.then(() => 'ready'), exited.then(() => 'exited')]);
		if (outcome === 'exited') {
			throw new Error(`${this.name} (n8n ${args.join(' ')}) exited during startup:\n${tail(fs.readFileSync(this.logFile, 'utf8'))}`);
		}
	}

	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}
}

/**
 * Ports: `{ main, mainBroker, worker, workerBroker, webhooks: [{ port, broker }, …] }`. Main's CLI commands
 * (import, publish) use mainBroker + 1.
 */
class QueueTopology {
	/** `onStart(pid)` is told of every process started (smoke.js notes them for a run that gets killed). */
	constructor({ toolchain, runDir, services, ports, outboundLog, webhookUrl, onStart }) {
		const shared = sharedQueueEnv(services);
		const webhookBase = webhookUrl ?? `http://${HOST}:${ports.webhooks[0].port}/`;
		const common = { toolchain, outboundLog, webhookUrl: webhookBase, onStart };
		const folder = (name) => path.join(runDir, name);
		this.main = new QueueProcess({
			...common,
			role: 'main',
			name: 'main',
			runDir: folder('main'),
			port: ports.main,
			brokerPort: ports.mainBroker,
			extraEnv: {
				...shared,
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				// 2.41 warns that manual runs on main in queue mode are deprecated and recommends this.
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			},
		});
		this.worker = new QueueProcess({
			...common,
			role: 'worker',
			name: 'worker',
			runDir: folder('worker'),
			port: ports.worker,
			brokerPort: ports.workerBroker,
			extraEnv: {
				...shared,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(ports.worker),
				N8N_WORKER_SERVER_ADDRESS: HOST,
			},
		});
		this.webhooks = ports.webhooks.map(
			({ port, broker }, index) =>
				new QueueProcess({
					...common,
					role: 'webhook',
					name: `webhook-${index + 1}`,
					runDir: folder(`webhook-${index + 1}`),
					port,
					brokerPort: broker,
					extraEnv: shared,
				}),
		);
		this.ports = ports;
	}

	get processes() {
		return [this.main, this.worker, ...this.webhooks];
	}

	/** Fresh run and user folders for every process, each with the package in its own ~/.n8n/nodes. */
	createUserFolders() {
		for (const member of this.processes) {
			fs.mkdirSync(member.runDir, { recursive: true });
			member.createUserFolder();
		}
	}

	/**
	 * Main first (it runs the database migrations and activates published workflows), then the worker and the
	 * webhook processors, which share main's database.
	 */
	async start(step = async (_name, body) => body()) {
		await step(`main (n8n start) ready on ${HOST}:${this.main.port}`, () =>
			this.main.startRole(['start'], `${this.main.baseUrl}/healthz/readiness`),
		);
		await step(`worker (n8n worker) healthy on ${HOST}:${this.worker.port}`, () =>
			this.worker.startRole(['worker', '--concurrency=5'], `${this.worker.baseUrl}/healthz/readiness`),
		);
		await step(`${this.webhooks.length} webhook processors (n8n webhook) ready`, () =>
			Promise.all(this.webhooks.map((webhook) => webhook.startRole(['webhook'], `${webhook.baseUrl}/healthz/readiness`))),
		);
	}

	/** Webhook processors first (no new work), then the worker (finishes what it holds), main last. */
	async stop() {
		await Promise.all(this.webhooks.map((webhook) => webhook.server && stopProcess(webhook.server.pid, 20_000)));
		if (this.worker.server) await stopProcess(this.worker.server.pid, 20_000);
		if (this.main.server) await stopProcess(this.main.server.pid, 20_000);
		for (const member of this.processes) member.server = undefined;
	}
}

function assertPortFree(port, what) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () => reject(new Error(`port ${port} on ${HOST} (for ${what}) is in use; choose another`)));
		probe.listen(port, HOST, () => probe.close(resolve));
	});
}

function tail(text, lines = 30) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

module.exports = { QueueTopology, QueueProcess, sharedQueueEnv, assertPortFree };
