#!/usr/bin/env node
'use strict';
/**
 * npm run test:e2e:queue (node e2e/queue/test.js): this package in n8n's queue mode, on loopback, brought up and torn
 * down by itself. Postgres and Redis (installed with apt when missing), then main + worker + two webhook processors
 * behind a round-robin balancer (topology.js), then:
 *
 *   1. a plain n8n Webhook-node workflow (the deployment itself, without the package): requests to each webhook
 *      processor run on the worker;
 *   2. Awardee Trigger → Awardee Reply against the Awardee simulator: activation on main registers one webhook;
 *      signed deliveries through the balancer run on the worker and post one reply each (latency send → execution
 *      finished); a bad signature gets 401 from both processors; a sequential re-send of one delivery (same
 *      X-Awardee-Delivery, freshly signed) starts no new execution; five simultaneous copies across both processors
 *      post exactly one reply; deactivation removes the registration;
 *   3. no n8n process reached beyond loopback; after teardown no process of the run is left and no port is taken.
 *
 * Ends with `N passed, N failed` (non-zero exit code on any failure) and writes its figures to
 * `<run folder>/figures.json`. Everything it started is stopped on the way out, Ctrl-C and SIGTERM included.
 *
 * Environment: QUEUE_E2E_PORT (first of 12 consecutive ports, 5700), QUEUE_E2E_DIR (.e2e/queue),
 * QUEUE_E2E_DELIVERIES (plain requests per webhook processor, 10; the Awardee part sends twice as many),
 * QUEUE_E2E_REPLY_KEY (an Idempotency Key expression for the Reply; default none: the package's own default),
 * N8N_CONVERSATIONS_CACHE (the toolchain).
 */
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { PACKAGE_NAME } = require('../lib/n8n');
const { run, stopAll } = require('../lib/processes');
const { check, step, StopRun, summary } = require('../lib/report');
const { portFromEnv } = require('../lib/stack');
const { ensureToolchain } = require('../lib/toolchain');
const { buildSimulators, simulatorClient, startSimulator } = require('../lib/simulators');
const { eventually, sleep, waitFor } = require('../lib/wait');
const { locator, productionWebhookUrl } = require('../lib/workflows');
const awardee = require('../vendors/awardee');
const { startBalancer } = require('./balancer');
const { ExecutionReader, percentile } = require('./executions');
const { groupAlive, rememberPid, startServices, stopLeftovers } = require('./services');
const { QueueTopology } = require('./topology');

const REPO_DIR = path.join(__dirname, '..', '..');
const HOST = '127.0.0.1';
const WEBHOOK_WORKFLOW_ID = 'queueSmokeWebhook1';
const WEBHOOK_PATH = 'queue-smoke';
const REPLY_WORKFLOW_ID = 'queueAwardeeReply1';
const TRIGGER_NAME = 'Awardee Trigger';
const REPLY_NAME = 'Reply';
const REPLY_PREFIX = 'Queue e2e reply to delivery ';
const RESENDS = 3;
const COPIES = 5;

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

function allPorts(ports) {
	return [ports.main, ports.mainBroker, ports.mainBroker + 1, ports.worker, ports.workerBroker, ...ports.webhooks.flatMap((w) => [w.port, w.broker]), ports.postgres, ports.redis, ports.balancer];
}

/** A plain n8n Webhook node that answers at once; the execution itself runs on the worker. */
function webhookWorkflow() {
	return {
		id: WEBHOOK_WORKFLOW_ID,
		name: 'Queue e2e: plain webhook',
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

/**
 * Awardee Trigger (Conversation Created only, so the replies it posts start nothing) → Awardee Reply to the
 * conversation of the event, with the delivery id in the text so that the replies of one delivery can be counted at
 * the simulator. The Reply's Idempotency Key is the package's default unless `replyKey` sets one.
 */
function replyWorkflow(replyKey) {
	const credentials = { [awardee.credential.type]: { id: awardee.credential.id, name: awardee.credential.name } };
	return {
		id: REPLY_WORKFLOW_ID,
		name: 'Queue e2e: Awardee trigger → reply',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { [TRIGGER_NAME]: { main: [[{ node: REPLY_NAME, type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: '6f1c2a10-0000-4000-8000-00000000c001',
				name: TRIGGER_NAME,
				type: `${PACKAGE_NAME}.${awardee.nodes.trigger}`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '6f1c2a10-0000-4000-8000-00000000d001',
				parameters: { events: ['conversation.created'], options: {} },
				credentials,
			},
			{
				id: '6f1c2a10-0000-4000-8000-00000000c002',
				name: REPLY_NAME,
				type: `${PACKAGE_NAME}.${awardee.nodes.action}`,
				typeVersion: 1,
				position: [300, 0],
				parameters: {
					resource: 'conversation',
					operation: 'reply',
					conversationId: locator('={{ $json.conversation.id }}'),
					text: `={{ '${REPLY_PREFIX}' + $json.delivery.id }}`,
					options: replyKey ? { idempotencyKey: replyKey } : {},
				},
				credentials,
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
function workerRan(log, executionId) {
	return new RegExp(`Worker (started|finished) execution ${executionId}\\b`).test(log);
}

/** A summary of latencies in ms. */
function latencyFigures(latencies) {
	return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: percentile(latencies, 100) };
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

	await check(`${label} the worker ran every execution, no webhook processor ran one (their logs)`, async () => {
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
		latencyMs: latencyFigures(latencies),
	};
}

/**
 * What the simulator and Postgres say about one workflow's deliveries: the executions of each delivery id (from the
 * trigger's output), and the replies posted for each (from the conversation's thread at the simulator).
 */
function awardeeLedger({ reader, client, conversationId }) {
	return {
		/** Ended executions by delivery id: `Map<id, execution[]>`. */
		async executionsByDelivery() {
			const byDelivery = new Map();
			for (const execution of await reader.ended(REPLY_WORKFLOW_ID)) {
				const id = execution.outputs[TRIGGER_NAME]?.[0]?.delivery?.id;
				byDelivery.set(id, [...(byDelivery.get(id) ?? []), execution]);
			}
			return byDelivery;
		},
		/** Replies at the simulator by delivery id (the reply's text names it): `Map<id, count>`. */
		async repliesByDelivery() {
			const counts = new Map();
			let cursor;
			do {
				const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
				const page = await client.api('GET', `/conversations/${conversationId}/messages?${query}`);
				for (const message of page.data) {
					const text = message.parts.map((part) => part.text ?? '').join('');
					if (text.startsWith(REPLY_PREFIX)) {
						const id = text.slice(REPLY_PREFIX.length);
						counts.set(id, (counts.get(id) ?? 0) + 1);
					}
				}
				cursor = page.has_more ? page.next_cursor : undefined;
			} while (cursor);
			return counts;
		},
		/**
		 * Waits until no execution of the workflow is running and none has appeared for `quietMs` (a copy that
		 * started one shows up within that), then answers the totals.
		 */
		async settled(quietMs = 4_000, timeoutMs = 90_000) {
			let last;
			let since = Date.now();
			return waitFor(async () => {
				const counts = await reader.counts(REPLY_WORKFLOW_ID);
				if (!last || counts.all !== last.all || counts.ended !== last.ended) {
					last = counts;
					since = Date.now();
					return undefined;
				}
				return counts.all === counts.ended && Date.now() - since >= quietMs ? counts : undefined;
			}, timeoutMs, 250);
		},
	};
}

/**
 * The package's Awardee trigger and Reply across the deployment: main activates the trigger (registration at the
 * simulator, secret in the workflow's static data in Postgres); the simulator's signed deliveries go through the
 * balancer to both webhook processors and run on the worker; badly signed ones get 401 from both; re-sends and
 * simultaneous copies of one delivery; deactivation deregisters.
 */
async function testAwardeeReply({ topology, reader, figures, client, balancer, workflow, deliveries }) {
	const { main, worker, webhooks } = topology;
	const label = 'Awardee Trigger → Reply:';
	const trigger = workflow.nodes[0];
	const url = productionWebhookUrl(balancer.url.replace(/\/$/, ''), trigger);
	const fixtures = await awardee.fixtures(client);
	const conversationId = fixtures.open; // Awardee accepts replies while a conversation is Open or Agent Requested
	const ledger = awardeeLedger({ reader, client, conversationId });
	const registrations = async () => (await awardee.trigger.registrations(client)).filter((r) => r.url === url);
	const served = (id) => balancer.served.filter((entry) => entry.label === id);
	const figure = (figures.awardeeReply = { conversationId });
	let registration;

	const registered = await check(`${label} activation through main registers exactly one webhook at the vendor and stores its id and secret in Postgres`, async () => {
		await main.activate(workflow.id);
		[registration] = await waitFor(async () => {
			const found = await registrations();
			return found.length ? found : undefined;
		}, 20_000);
		const mark = `n8n ${workflow.id}/${trigger.id}`;
		assert.ok(registration.mark?.startsWith(mark), `the registration is marked "${mark}": ${registration.mark}`);
		// What the webhook processors read: the trigger's static data, saved by main once activation is done.
		const stored = await waitFor(async () => {
			const state = await reader.nodeStaticData(workflow.id, TRIGGER_NAME);
			return state.webhookId === registration.id && typeof state.webhookSecret === 'string' && state.webhookSecret !== '' ? state : undefined;
		}, 20_000).catch(() => undefined);
		assert.ok(stored, `the workflow's static data in Postgres holds webhook ${registration.id} and a secret`);
		await sleep(1_000); // a second registration would have appeared by now
		const all = await awardee.trigger.registrations(client);
		assert.equal(all.length, 1, `exactly one registration at the simulator: ${JSON.stringify(all)}`);
	});
	if (!registered) return;

	// Right after activation a processor may answer 404 until the webhook is in the database: retried briefly.
	// `deliveryId` is the control's `id`: the same one again is a re-send of that delivery, signed afresh.
	const deliver = ({ deliveryId, ...request }) =>
		waitFor(async () => {
			const answer = await client.control('POST', '/deliver', {
				webhook: registration.id,
				event: 'conversation.created',
				conversationId,
				id: deliveryId,
				...request,
			});
			return answer.status === 404 ? undefined : answer;
		}, 15_000);

	const latencies = [];
	await check(`${label} ${deliveries} signed deliveries through the balancer each run once, on the worker, and post one reply`, async () => {
		const ids = [];
		for (let index = 0; index < deliveries; index++) {
			const deliveryId = crypto.randomUUID();
			ids.push(deliveryId);
			const at = Date.now();
			const answer = await deliver({ deliveryId });
			assert.equal(answer.status, 200, `delivery ${index + 1} answered ${answer.status}: ${answer.body}`);
			const [execution] = await waitFor(async () => (await ledger.executionsByDelivery()).get(deliveryId), 30_000, 100);
			assert.equal(execution.status, 'success', `delivery ${index + 1}: ${execution.error}`);
			awardee.trigger.expectEvent(execution.outputs[TRIGGER_NAME][0], { ...fixtures, withBot: conversationId });
			assert.equal(execution.outputs[REPLY_NAME]?.[0]?.text, `${REPLY_PREFIX}${deliveryId}`, 'the Reply posted the text');
			latencies.push(execution.stoppedAt - at);
		}
		const settled = await ledger.settled();
		const byDelivery = await ledger.executionsByDelivery();
		const replies = await ledger.repliesByDelivery();
		figure.sequential = {
			deliveries,
			executions: settled.all,
			replies: ids.reduce((sum, id) => sum + (replies.get(id) ?? 0), 0),
			acceptedPerProcessor: Object.fromEntries(
				webhooks.map((w) => [w.name, ids.filter((id) => served(id).some((e) => e.backend === w.name && e.status === 200)).length]),
			),
			latencyMs: latencyFigures(latencies),
		};
		assert.equal(settled.all, deliveries, 'one execution per delivery, no other');
		assert.deepEqual(ids.filter((id) => byDelivery.get(id)?.length !== 1), [], 'deliveries without exactly one execution');
		assert.deepEqual(ids.filter((id) => replies.get(id) !== 1), [], 'deliveries without exactly one reply at the simulator');
		const log = worker.log();
		const executions = [...byDelivery.values()].flat();
		assert.deepEqual(executions.filter((e) => !workerRan(log, e.id)).map((e) => e.id), [], 'executions missing from the worker log');
		for (const webhook of webhooks) {
			assert.equal(executions.filter((e) => workerRan(webhook.log(), e.id)).length, 0, `${webhook.name} ran executions itself`);
			assert.ok(figure.sequential.acceptedPerProcessor[webhook.name] > 0, `${webhook.name} accepted no delivery`);
		}
	});

	await check(`${label} after the executions on the worker, Postgres still holds the trigger's webhook id and secret`, async () => {
		// The worker saves the static data an execution changed; what it saves must not drop the registration, or
		// the processors no longer know the secret and deactivation no longer knows what to delete at the vendor.
		const state = await reader.nodeStaticData(workflow.id, TRIGGER_NAME);
		const held = { webhookId: state.webhookId === registration.id, secret: typeof state.webhookSecret === 'string' && state.webhookSecret !== '' };
		assert.deepEqual(held, { webhookId: true, secret: true }, `what the trigger's static data still holds (keys: ${Object.keys(state).join(', ') || 'none'})`);
	});

	await check(`${label} a bad signature gets 401 from both webhook processors and starts nothing`, async () => {
		const before = await reader.count(workflow.id);
		const ids = [];
		for (let index = 0; index < webhooks.length; index++) {
			const deliveryId = crypto.randomUUID();
			ids.push(deliveryId);
			const answer = await deliver({ deliveryId, secret: 'whsec_not-the-registered-secret' });
			assert.equal(answer.status, 401, `answered ${answer.status}: ${answer.body}`);
		}
		const rejected = ids.flatMap(served);
		for (const webhook of webhooks) {
			assert.ok(rejected.some((entry) => entry.backend === webhook.name && entry.status === 401), `${webhook.name} did not answer 401`);
		}
		await sleep(2_000); // an execution would be stored well within this
		assert.equal(await reader.count(workflow.id), before, 'no execution was started');
	});

	await check(`${label} ${RESENDS} sequential re-sends of a delivery that ran (same delivery id, freshly signed) once n8n has saved the first one's keys, start no new execution and post no reply`, async () => {
		const deliveryId = crypto.randomUUID();
		// The de-duplication window in static data: one entry per key, separated by `|` (dedupe.ts).
		const seenKeys = async () => {
			const window = (await reader.nodeStaticData(workflow.id, TRIGGER_NAME)).seenWindow;
			return typeof window === 'string' && window !== '' ? window.split('|').length : 0;
		};
		const keysBefore = await seenKeys();
		const sentAt = Date.now();
		const first = await deliver({ deliveryId });
		assert.equal(first.status, 200, `the delivery answered ${first.status}: ${first.body}`);
		await waitFor(async () => (await ledger.executionsByDelivery()).get(deliveryId), 30_000, 100);
		// What makes a re-send at the other webhook processor a repeat is the first processor's save of the
		// delivery's keys into the workflow's static data (README: De-duplication in n8n 2.41.1). Measure when it
		// lands in Postgres (when the trigger answers the delivery); a re-send that reaches the other processor before
		// it is not held (the README says so).
		await waitFor(async () => (await seenKeys()) > keysBefore, 30_000, 50);
		const savedAfterMs = Date.now() - sentAt;
		const statuses = [];
		for (let index = 0; index < RESENDS; index++) {
			await sleep(1_100); // a fresh signature: Awardee signs with the time in seconds
			statuses.push((await deliver({ deliveryId })).status);
			await ledger.settled(2_000);
		}
		await ledger.settled();
		const executions = (await ledger.executionsByDelivery()).get(deliveryId) ?? [];
		const replies = (await ledger.repliesByDelivery()).get(deliveryId) ?? 0;
		figure.resend = {
			resends: RESENDS,
			processors: served(deliveryId).map((entry) => `${entry.backend}:${entry.status}`),
			executions: executions.length,
			replies,
			keysSavedAfterMs: savedAfterMs,
		};
		assert.deepEqual(statuses, Array(RESENDS).fill(200), 'each re-send is answered 200 (received), so the vendor stops re-sending');
		assert.deepEqual(
			{ executions: executions.length, replies },
			{ executions: 1, replies: 1 },
			`the delivery and ${RESENDS} re-sends, answered by ${figure.resend.processors.join(', ')}`,
		);
	});

	await check(`${label} ${COPIES} simultaneous copies of one delivery across both processors post exactly one reply`, async () => {
		const deliveryId = crypto.randomUUID();
		const answers = await Promise.all(Array.from({ length: COPIES }, () => deliver({ deliveryId })));
		await ledger.settled();
		const executions = (await ledger.executionsByDelivery()).get(deliveryId) ?? [];
		const replies = (await ledger.repliesByDelivery()).get(deliveryId) ?? 0;
		const copies = served(deliveryId);
		figure.copies = {
			copies: COPIES,
			processors: copies.map((entry) => `${entry.backend}:${entry.status}`),
			executions: executions.length,
			failedExecutions: executions.filter((e) => e.status !== 'success').length,
			replies,
		};
		assert.deepEqual(answers.map((answer) => answer.status), Array(COPIES).fill(200), 'every copy is answered 200');
		for (const webhook of webhooks) {
			assert.ok(copies.some((entry) => entry.backend === webhook.name), `no copy reached ${webhook.name}`);
		}
		assert.ok(executions.length >= 1, 'the delivery ran');
		assert.equal(replies, 1, `replies posted for the delivery (${executions.length} executions)`);
	});

	await check(`${label} deactivation through main removes the registration`, async () => {
		await main.deactivate(workflow.id);
		await waitFor(async () => (await awardee.trigger.registrations(client)).length === 0, 20_000);
	});

	figure.totals = { executions: await reader.count(workflow.id), replies: [...(await ledger.repliesByDelivery()).values()].reduce((a, b) => a + b, 0) };
}

function assertNothingOutbound(outboundLog) {
	const attempts = fs.existsSync(outboundLog) ? fs.readFileSync(outboundLog, 'utf8').trim() : '';
	assert.equal(attempts, '', `outbound attempts (see ${outboundLog})`);
}

function portTaken(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(true));
		probe.listen(port, HOST, () => probe.close(() => resolve(false)));
	});
}

function portsOf(...urls) {
	return urls.filter(Boolean).map((url) => Number(new URL(url).port));
}

async function main() {
	const started = Date.now();
	const ports = portPlan(portFromEnv('QUEUE_E2E_PORT', 5700));
	const runDir = path.resolve(process.env.QUEUE_E2E_DIR || path.join(REPO_DIR, '.e2e', 'queue'));
	const perProcessor = Number(process.env.QUEUE_E2E_DELIVERIES || 10);
	// `{{ $json.delivery.id }}-reply` as typed in the editor: an expression there, so it starts with `=` here.
	const givenKey = process.env.QUEUE_E2E_REPLY_KEY || '';
	const replyKey = givenKey.includes('{{') && !givenKey.startsWith('=') ? `=${givenKey}` : givenKey;
	const outboundLog = path.join(runDir, 'outbound.log');
	const figures = { phasesS: {}, replyIdempotencyKey: givenKey || '(the package default)' };
	// Timed for figures.json. Steps and checks print a line every 15 s while they run; `ticker` does that for a
	// phase that is neither (the teardown).
	const phase = async (name, body, { ticker = false } = {}) => {
		const at = Date.now();
		const timer = ticker && setInterval(() => console.log(`[queue] ${name}: still running (${Math.round((Date.now() - at) / 1000)} s)`), 15_000);
		try {
			return await body();
		} finally {
			if (timer) clearInterval(timer);
			figures.phasesS[name] = Number(((Date.now() - at) / 1000).toFixed(1));
		}
	};

	const pids = []; // every process of this run, for the check that none is left
	const busyPorts = [...allPorts(ports)];
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
		await stopLeftovers(runDir, (line) => console.log(`[queue] ${line}`), { byWorkingDirectory: true });
		fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
		fs.mkdirSync(runDir, { recursive: true });
		const toolchain = await phase('toolchain', () => step('toolchain (node 24 + n8n) ready', () => ensureToolchain()));
		await phase('build', () =>
			step('package built (npm run build)', () =>
				run('npm', ['run', 'build'], { cwd: REPO_DIR, logFile: path.join(runDir, 'build.log') }),
			),
		);
		services = await phase('services', () =>
			step('Postgres and Redis on loopback', () =>
				startServices({ runDir, ports, log: (line) => console.log(`[services] ${line}`) }),
			),
		);
		pids.push(...services.pids);
		figures.aptInstalled = services.packages;
		figures.versions = { n8n: toolchain.n8nVersion, node: toolchain.nodeVersion, ...services.versions };
		const simulator = await phase('simulator', () =>
			step('Awardee simulator compiled and started', async () => {
				await buildSimulators(path.join(runDir, 'build.log'));
				// Free ports: a simulator left behind cannot block the next run. Its working directory is in the
				// run folder and its pid in run.pids, so a run that is killed outright has it stopped by the next.
				const cwd = path.join(runDir, 'simulator');
				fs.mkdirSync(cwd, { recursive: true });
				return startSimulator(awardee.simulator, { port: 0, controlPort: 0, cwd, logFile: path.join(runDir, 'simulator-awardee.log') });
			}),
		);
		rememberPid(runDir, simulator.pid);
		pids.push(simulator.pid);
		busyPorts.push(...portsOf(simulator.baseUrl, simulator.controlUrl));
		const client = simulatorClient(simulator, awardee.authHeaders(simulator));
		const backends = ports.webhooks.map(({ port }, index) => ({ name: `webhook-${index + 1}`, port }));
		balancer = await step(`load balancer on ${HOST}:${ports.balancer} over both webhook processors`, () =>
			startBalancer({ port: ports.balancer, backends, label: (request) => request.headers['x-awardee-delivery'] }),
		);
		topology = new QueueTopology({
			toolchain,
			runDir,
			services,
			ports,
			outboundLog,
			webhookUrl: balancer.url,
			onStart: (pid) => {
				pids.push(pid);
				rememberPid(runDir, pid);
			},
		});
		const awardeeWorkflow = replyWorkflow(replyKey);
		await phase('import', () =>
			step('user folders with the package; credential and workflows imported, webhook workflow published', async () => {
				topology.createUserFolders();
				await topology.main.importCredentials([{ ...awardee.credential, data: awardee.credential.data(simulator) }]);
				await topology.main.importWorkflows([webhookWorkflow(), awardeeWorkflow]);
				await topology.main.publish(WEBHOOK_WORKFLOW_ID);
			}),
		);
		await phase('start', () => topology.start(step));
		await step('owner account on main', () => topology.main.setupOwner());
		reader = new ExecutionReader(toolchain.n8nModules, services.postgres);

		await phase('plainWebhook', () => testPlainWebhook({ topology, reader, figures, perProcessor }));
		await phase('awardeeReply', () =>
			testAwardeeReply({ topology, reader, figures, client, balancer, workflow: awardeeWorkflow, deliveries: 2 * perProcessor }),
		);
		await check('nothing beyond loopback was contacted by any n8n process', () => assertNothingOutbound(outboundLog));
	} catch (error) {
		// A failed step has been counted already; anything else is counted here, so the summary line shows it.
		if (!(error instanceof StopRun)) {
			await check('the run goes on without an unexpected error', () => {
				throw new Error(error.stack ?? String(error));
			});
		}
	} finally {
		await phase('teardown', teardown, { ticker: true });
	}
	await check('after teardown: no process of the run is left and none of its ports is taken', async () => {
		const alive = pids.filter(groupAlive);
		assert.deepEqual(alive, [], 'process groups still running');
		const taken = [];
		for (const port of busyPorts) if (await portTaken(port)) taken.push(port);
		assert.deepEqual(taken, [], `ports still taken on ${HOST}`);
	});
	figures.totalS = Number(((Date.now() - started) / 1000).toFixed(1));
	console.log(`[queue] figures ${JSON.stringify(figures)}`);
	fs.writeFileSync(path.join(runDir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
	const { failed, line } = summary();
	console.log(line);
	if (failed > 0) process.exitCode = 1;
}

main();
