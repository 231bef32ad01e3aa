#!/usr/bin/env node
'use strict';
/**
 * The same reproduction as run.js in queue mode: Postgres and Redis on loopback (e2e/queue/services.js), n8n
 * main + one worker + two webhook processors (e2e/queue/topology.js). The deliveries go to webhook processor 1,
 * the executions run on the worker, and the static data is read from Postgres. It reports what n8n saved; the
 * order of the two saves per execution (webhook processor, worker) is a race, so there is no single expected
 * outcome. What n8n 2.41.1 did in this project's runs: the worker ran each execution over empty static data and
 * its save replaced the workflow's whole static data (after C: only C's execute() write was left); the webhook
 * processor saved D's webhook() write (D answers the request itself, as this package's triggers do), and also
 * A's (the first delivery after the processors started) but not C's: n8n's source does not promise that one
 * (README: De-duplication in n8n 2.41.1).
 *
 *   node e2e/repro/static-data/queue.js
 *
 * Environment: REPRO_QUEUE_PORT (first of 11 consecutive ports, 5720), REPRO_QUEUE_DIR
 * (.e2e/repro-static-data-queue), N8N_CONVERSATIONS_CACHE.
 */
const fs = require('fs');
const path = require('path');

const { ExecutionReader } = require('../../queue/executions');
const { rememberPid, startServices, stopLeftovers } = require('../../queue/services');
const { QueueTopology } = require('../../queue/topology');
const { stopAll, stopAllOnSignals } = require('../../lib/processes');
const { portFromEnv } = require('../../lib/stack');
const { ensureToolchain } = require('../../lib/toolchain');
const { WORKFLOW, installProbe, probeUrl, runDeliveries } = require('./probe');

const REPO_DIR = path.join(__dirname, '..', '..', '..');
const log = (line) => console.log(`[repro:queue] ${line}`);

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
	};
}

async function main() {
	stopAllOnSignals({ label: 'repro:queue' });
	const runDir = path.resolve(process.env.REPRO_QUEUE_DIR || path.join(REPO_DIR, '.e2e', 'repro-static-data-queue'));
	fs.mkdirSync(runDir, { recursive: true });
	await stopLeftovers(runDir, log);
	const ports = portPlan(portFromEnv('REPRO_QUEUE_PORT', 5720));
	const toolchain = await ensureToolchain((line) => log(`toolchain: ${line}`));
	let services;
	let topology;
	let reader;
	try {
		services = await startServices({ runDir, ports, log });
		topology = new QueueTopology({
			toolchain,
			runDir,
			services,
			ports,
			onStart: (pid) => rememberPid(runDir, pid),
		});
		topology.createUserFolders();
		for (const member of topology.processes) installProbe(member.userFolder);
		await topology.main.importWorkflows([WORKFLOW]);
		await topology.main.publish(WORKFLOW.id);
		await topology.start(async (name, body) => {
			const result = await body();
			log(name);
			return result;
		});
		reader = new ExecutionReader(toolchain.n8nModules, services.postgres);
		const client = reader.client;
		const [processor] = topology.webhooks;
		const { byWebhook, byExecute } = await runDeliveries({
			url: probeUrl(processor.baseUrl),
			executionsEnded: async () => (await reader.ended(WORKFLOW.id)).length,
			async savedStaticData() {
				await reader.connected;
				const { rows } = await client.query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [WORKFLOW.id]);
				const saved = rows[0]?.staticData;
				return (typeof saved === 'string' ? JSON.parse(saved) : saved) ?? {};
			},
			log,
		});
		const workerStartsEmpty = !byExecute.includes('A') || !byWebhook.includes('B');
		log(
			workerStartsEmpty
				? 'as documented: a save lost what the other process wrote (the worker starts from empty static data, and every save writes it whole)'
				: 'every write was kept: read the lines above, and update the README if n8n now keeps static data in queue mode',
		);
		return true;
	} finally {
		await reader?.close();
		await topology?.stop().catch((error) => log(`stopping n8n: ${error.message}`));
		await services?.stop().catch((error) => log(`stopping Postgres and Redis: ${error.message}`));
	}
}

main()
	.then((asDocumented) => {
		process.exitCode = asDocumented ? 0 : 1;
	})
	.catch((error) => {
		console.error(`[repro:queue] failed: ${error.stack ?? error}`);
		process.exitCode = 2;
	})
	.finally(() => stopAll());
