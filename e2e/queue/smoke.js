#!/usr/bin/env node
'use strict';
/**
 * node e2e/queue/smoke.js: n8n's queue mode on loopback, brought up and torn down by itself. Postgres and Redis
 * (installed with apt when missing), then main + worker + two webhook processors (topology.js), then a plain
 * n8n Webhook-node workflow: published through main, requests sent to each webhook processor, the executions
 * run on the worker and finish in Postgres; latency send → execution finished is measured. Ends with
 * `N passed, N failed` and a non-zero exit code on any failure. Everything it started is stopped on the way out,
 * Ctrl-C and SIGTERM included.
 *
 * Environment: QUEUE_E2E_PORT (first of 12 consecutive ports, 5700), QUEUE_E2E_DIR (.e2e/queue),
 * QUEUE_E2E_DELIVERIES (requests per webhook processor, 10), N8N_CONVERSATIONS_CACHE (the toolchain).
 */
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const { run, stopAll } = require('../lib/processes');
const { check, step, StopRun, summary } = require('../lib/report');
const { portFromEnv } = require('../lib/stack');
const { ensureToolchain } = require('../lib/toolchain');
const { buildSimulators, simulatorClient, startSimulator } = require('../lib/simulators');
const { eventually, sleep, waitFor } = require('../lib/wait');
const { productionWebhookUrl, triggerWorkflow } = require('../lib/workflows');
const awardee = require('../vendors/awardee');
const { startBalancer } = require('./balancer');
const { ExecutionReader, percentile } = require('./executions');
const { rememberPid, startServices, stopLeftovers } = require('./services');
const { QueueTopology } = require('./topology');

const REPO_DIR = path.join(__dirname, '..', '..');
const WEBHOOK_WORKFLOW_ID = 'queueSmokeWebhook1';
const WEBHOOK_PATH = 'queue-smoke';

/** Consecutive ports from `first`: n8n's processes, their brokers, Postgres, Redis, the balancer. */
function portPlan(first) {
	return {
		main: first,
		mainBroker: first + 1, // main's CLI commands use first + 2
		worker: first + 3,
		workerBroker: first + 4,
		webhooks: [
			{ port: first + 5, broker: first + 6 },
			{ port: first + 7, broker: first + 8 },
		],
		postgres: first + 9,
		redis: first + 10,
		balancer: first + 11,
	};
}

/** A plain n8n Webhook node that answers at once; the execution itself runs on the worker. */
function webhookWorkflow() {
	return {
		id: WEBHOOK_WORKFLOW_ID,
		name: 'Queue smoke: plain webhook',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'Mark', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: '6f1c2a10-0000-4000-8000-00000000a001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '6f1c2a10-0000-4000-8000-00000000b001',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: '6f1c2a10-0000-4000-8000-00000000a002',
				name: 'Mark',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [300, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [{ id: 'a1', name: 'probe', value: '={{ $json.body.probe }}', type: 'string' }],
					},
					options: {},
				},
			},
		],
	};
}

async function post(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: await response.text() };
}

/** The worker logs every execution it takes off the queue and every one it finishes. */
function workerRan(workerLog, executionId) {
	return new RegExp(`Worker (started|finished) execution ${executionId}\\b`).test(workerLog);
}

async function testPlainWebhook({ topology, reader, figures, perProcessor }) {
	const { main, worker, webhooks } = topology;
	const label = 'plain Webhook node:';

	await check(`${label} main does not serve production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)`, async () => {
		const answer = await post(`${main.baseUrl}/webhook/${WEBHOOK_PATH}`, { probe: 'to-main' });
		assert.notEqual(answer.status, 200, `main answered 200: ${answer.body}`);
	});

	const sent = new Map(); // probe -> { at, processor }
	await check(`${label} each webhook processor accepts ${perProcessor} requests`, async () => {
		for (let round = 0; round < perProcessor; round++) {
			for (const webhook of webhooks) {
				const probe = `${webhook.name}-${round}-${crypto.randomUUID()}`;
				const at = Date.now();
				const answer = await post(`${webhook.baseUrl}/webhook/${WEBHOOK_PATH}`, { probe });
				assert.equal(answer.status, 200, `${webhook.name} answered ${answer.status}: ${answer.body}`);
				sent.set(probe, { at, processor: webhook.name });
			}
		}
	});

	let executions = [];
	await check(`${label} every request ran to success, one execution each`, async () => {
		await eventually(async () => {
			executions = (await reader.ended(WEBHOOK_WORKFLOW_ID)).filter((execution) => sent.has(execution.outputs.Mark?.[0]?.probe));
			assert.equal(executions.length, sent.size, `${executions.length} of ${sent.size} executions ended`);
		}, 60_000, 500);
		for (const execution of executions) assert.equal(execution.status, 'success', execution.error);
		const probes = new Set(executions.map((execution) => execution.outputs.Mark[0].probe));
		assert.equal(probes.size, sent.size, 'one execution per request, none twice');
		assert.equal(await reader.count(WEBHOOK_WORKFLOW_ID), sent.size, 'no other execution of the workflow');
	});

	await check(`${label} the worker ran every execution`, async () => {
		await eventually(() => {
			const log = worker.log();
			const missing = executions.filter((execution) => !workerRan(log, execution.id));
			assert.deepEqual(missing.map((execution) => execution.id), [], 'executions not in the worker log');
		}, 10_000);
		for (const webhook of webhooks) {
			const log = webhook.log();
			const ranHere = executions.filter((execution) => workerRan(log, execution.id));
			assert.equal(ranHere.length, 0, `${webhook.name} ran executions itself`);
		}
	});

	const latencies = executions.map((execution) => execution.stoppedAt - sent.get(execution.outputs.Mark[0].probe).at);
	figures.plainWebhook = {
		requests: sent.size,
		perProcessor: Object.fromEntries(webhooks.map((w) => [w.name, [...sent.values()].filter((s) => s.processor === w.name).length])),
		executions: executions.length,
		latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: percentile(latencies, 100) },
	};
}

/**
 * The package's Awardee trigger across the deployment: main activates it (registration at the simulator, secret in
 * the workflow's static data in Postgres), the simulator's signed deliveries go through the balancer to both
 * webhook processors and run on the worker, badly signed ones get 401 from both, deactivation deregisters.
 */
async function testAwardeeTrigger({ topology, reader, figures, client, balancer, workflow, deliveries }) {
	const { main, worker, webhooks } = topology;
	const label = 'Awardee Trigger:';
	const node = workflow.nodes[0];
	const url = productionWebhookUrl(balancer.url.replace(/\/$/, ''), node);
	const fixtures = await awardee.fixtures(client);
	const registrations = async () => (await awardee.trigger.registrations(client)).filter((r) => r.url === url);
	let registration;

	const registered = await check(`${label} activation through main registers one webhook at the vendor`, async () => {
		await main.activate(workflow.id);
		[registration] = await waitFor(async () => {
			const found = await registrations();
			return found.length ? found : undefined;
		}, 20_000);
		const mark = `n8n ${workflow.id}/${node.id}`;
		assert.ok(registration.mark?.startsWith(mark), `the registration is marked "${mark}": ${registration.mark}`);
		await sleep(1_000); // a second registration would have appeared by now
		assert.equal((await registrations()).length, 1, 'exactly one registration');
	});
	if (!registered) return;

	// Right after activation a processor may answer 404 until the webhook is in the database: retried briefly.
	const deliver = (request) =>
		waitFor(async () => {
			const answer = await client.control('POST', '/deliver', { webhook: registration.id, ...request });
			return answer.status === 404 ? undefined : answer;
		}, 15_000);

	const latencies = [];
	const servedFrom = balancer.served.length;
	await check(`${label} ${deliveries} signed deliveries through the balancer each run once, on the worker`, async () => {
		for (let index = 0; index < deliveries; index++) {
			const before = await reader.count(workflow.id);
			const at = Date.now();
			const answer = await deliver(awardee.trigger.delivery(fixtures));
			assert.equal(answer.status, 200, `delivery ${index + 1} answered ${answer.status}: ${answer.body}`);
			const executions = await waitFor(async () => {
				const ended = await reader.ended(workflow.id);
				return ended.length > before ? ended : undefined;
			}, 30_000, 100);
			const execution = executions[executions.length - 1];
			assert.equal(execution.status, 'success', execution.error);
			awardee.trigger.expectEvent(execution.outputs[node.name][0], fixtures);
			latencies.push(execution.stoppedAt - at);
		}
		const executions = await reader.ended(workflow.id);
		assert.equal(executions.length, deliveries, 'one execution per delivery');
		const log = worker.log();
		const notOnWorker = executions.filter((execution) => !workerRan(log, execution.id)).map((execution) => execution.id);
		assert.deepEqual(notOnWorker, [], 'executions missing from the worker log');
		const accepted = balancer.served.slice(servedFrom).filter((entry) => entry.status === 200);
		for (const webhook of webhooks) {
			assert.ok(accepted.some((entry) => entry.backend === webhook.name), `${webhook.name} accepted no delivery`);
		}
	});

	await check(`${label} a bad signature gets 401 from both webhook processors and starts nothing`, async () => {
		const before = await reader.count(workflow.id);
		const from = balancer.served.length;
		for (let index = 0; index < webhooks.length; index++) {
			const answer = await deliver({ ...awardee.trigger.delivery(fixtures), secret: 'whsec_not-the-registered-secret' });
			assert.equal(answer.status, 401, `answered ${answer.status}: ${answer.body}`);
		}
		const rejected = balancer.served.slice(from);
		for (const webhook of webhooks) {
			assert.ok(rejected.some((entry) => entry.backend === webhook.name && entry.status === 401), `${webhook.name} did not answer 401`);
		}
		await sleep(2_000); // an execution would be stored well within this
		assert.equal(await reader.count(workflow.id), before, 'no execution was started');
	});

	await check(`${label} deactivation through main removes the registration`, async () => {
		await main.deactivate(workflow.id);
		await waitFor(async () => (await registrations()).length === 0, 20_000);
	});

	const perBackend = Object.fromEntries(
		webhooks.map((w) => [w.name, balancer.served.slice(servedFrom).filter((e) => e.backend === w.name && e.status === 200).length]),
	);
	figures.awardeeTrigger = {
		deliveries: latencies.length,
		acceptedPerProcessor: perBackend,
		executions: await reader.count(workflow.id),
		latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: percentile(latencies, 100) },
	};
}

function assertNothingOutbound(outboundLog) {
	const attempts = fs.existsSync(outboundLog) ? fs.readFileSync(outboundLog, 'utf8').trim() : '';
	assert.equal(attempts, '', `outbound attempts (see ${outboundLog})`);
}

async function main() {
	const started = Date.now();
	const ports = portPlan(portFromEnv('QUEUE_E2E_PORT', 5700));
	const runDir = path.resolve(process.env.QUEUE_E2E_DIR || path.join(REPO_DIR, '.e2e', 'queue'));
	const perProcessor = Number(process.env.QUEUE_E2E_DELIVERIES || 10);
	const outboundLog = path.join(runDir, 'outbound.log');
	const figures = { phasesS: {} };
	// Timed for figures.json; a line every 15 s says that a long phase (n8n boots, builds) is still going.
	const phase = async (name, body) => {
		const at = Date.now();
		const ticker = setInterval(() => console.log(`[queue] ${name}: still running (${Math.round((Date.now() - at) / 1000)} s)`), 15_000);
		try {
			return await body();
		} finally {
			clearInterval(ticker);
			figures.phasesS[name] = Number(((Date.now() - at) / 1000).toFixed(1));
		}
	};

	let services;
	let balancer;
	let topology;
	let reader;
	let tearingDown;
	const teardown = () => {
		tearingDown ??= (async () => {
			await reader?.close();
			await topology?.stop().catch((error) => console.log(`[queue] stopping n8n: ${error.message}`));
			await stopAll();
			await balancer?.close();
			await services?.stop().catch((error) => console.log(`[queue] stopping services: ${error.message}`));
		})();
		return tearingDown;
	};
	for (const [name, code] of Object.entries({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 })) {
		process.on(name, () => {
			console.log(`[queue] ${name}: stopping everything this run started`);
			teardown().finally(() => process.exit(code));
		});
	}

	try {
		// Processes of an earlier run that was killed outright are stopped before its folder is recreated.
		fs.mkdirSync(runDir, { recursive: true });
		await stopLeftovers(runDir, (line) => console.log(`[queue] ${line}`));
		fs.rmSync(runDir, { recursive: true, force: true });
		fs.mkdirSync(runDir, { recursive: true });
		const toolchain = await phase('toolchain', () => step('toolchain (node 24 + n8n) ready', () => ensureToolchain()));
		await phase('build', () =>
			step('package built (npm run build)', () =>
				run('npm', ['run', 'build'], { cwd: REPO_DIR, logFile: path.join(runDir, 'build.log') }),
			),
		);
		const simulator = await phase('simulator', () =>
			step('Awardee simulator compiled and started', async () => {
				await buildSimulators(path.join(runDir, 'build.log'));
				// Free ports: a simulator left behind by a killed run (it is not in run.pids) cannot block the next one.
				return startSimulator(awardee.simulator, {
					port: 0,
					controlPort: 0,
					logFile: path.join(runDir, 'simulator-awardee.log'),
				});
			}),
		);
		const client = simulatorClient(simulator, awardee.authHeaders(simulator));
		services = await phase('services', () =>
			step('Postgres and Redis on loopback', () =>
				startServices({ runDir, ports, log: (line) => console.log(`[services] ${line}`) }),
			),
		);
		figures.aptInstalled = services.packages;
		figures.versions = { n8n: toolchain.n8nVersion, node: toolchain.nodeVersion, ...services.versions };
		const backends = ports.webhooks.map(({ port }, index) => ({ name: `webhook-${index + 1}`, port }));
		balancer = await step(`load balancer on 127.0.0.1:${ports.balancer} over both webhook processors`, () =>
			startBalancer({ port: ports.balancer, backends }),
		);
		topology = new QueueTopology({
			toolchain,
			runDir,
			services,
			ports,
			outboundLog,
			webhookUrl: balancer.url,
			onStart: (pid) => rememberPid(runDir, pid),
		});
		const awardeeTrigger = triggerWorkflow(awardee);
		await phase('import', () =>
			step('user folders with the package; credential and workflows imported, webhook workflow published', async () => {
				topology.createUserFolders();
				await topology.main.importCredentials([
					{ ...awardee.credential, data: awardee.credential.data(simulator) },
				]);
				await topology.main.importWorkflows([webhookWorkflow(), awardeeTrigger]);
				await topology.main.publish(WEBHOOK_WORKFLOW_ID);
			}),
		);
		await phase('start', () => topology.start(step));
		await step('owner account on main', () => topology.main.setupOwner());
		reader = new ExecutionReader(toolchain.n8nModules, services.postgres);

		await phase('plainWebhook', () => testPlainWebhook({ topology, reader, figures, perProcessor }));
		await phase('awardeeTrigger', () =>
			testAwardeeTrigger({ topology, reader, figures, client, balancer, workflow: awardeeTrigger, deliveries: 2 * perProcessor }),
		);
		await check('nothing beyond loopback was contacted by any n8n process', () => assertNothingOutbound(outboundLog));
	} catch (error) {
		if (!(error instanceof StopRun)) {
			console.log(`  FAIL  ${error.stack ?? error}`);
			process.exitCode = 1;
		}
	} finally {
		await phase('teardown', teardown);
	}
	figures.totalS = Number(((Date.now() - started) / 1000).toFixed(1));
	console.log(`[queue] figures ${JSON.stringify(figures)}`);
	fs.writeFileSync(path.join(runDir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
	const { failed, line } = summary();
	console.log(line);
	if (failed > 0) process.exitCode = 1;
}

main();
