#!/usr/bin/env node
'use strict';
/**
 * The static-data loss of n8n 2.41.1, reproduced in the real n8n (the e2e toolchain; regular mode on sqlite):
 *
 *   node e2e/repro/static-data/run.js          (queue mode: queue.js)
 *
 * A tiny webhook trigger (probe/) records each delivery's mark in its node static data from webhook() and from
 * execute(). Four deliveries: A, C and D start an execution, B is answered without one; for D, webhook() writes
 * the HTTP answer itself (`noWebhookResponse`, as this package's triggers do). It then prints what n8n saved.
 * n8n 2.41.1 saves B's and D's webhook() writes and the execute() writes of A and C (saved when the execution
 * ends), but not what webhook() wrote for A and C: n8n saves the webhook's static data when it answers the
 * request, and it answers A and C only after WorkflowRunner has built a second Workflow over the same object,
 * whose ObservableObject resets the "changed" flag. D is answered before that.
 * Exit code 0 when n8n behaves so, 1 when it does not (a newer n8n may save more: then say so in the README).
 *
 * Environment: REPRO_N8N_PORT (5698), REPRO_BROKER_PORT (5699; CLI steps use the next port), REPRO_DIR
 * (.e2e/repro-static-data), N8N_CONVERSATIONS_CACHE (where node 24 and n8n are installed once).
 */
const fs = require('fs');
const path = require('path');

const { N8n } = require('../../lib/n8n');
const { capture, stopAll, stopAllOnSignals } = require('../../lib/processes');
const { portFromEnv } = require('../../lib/stack');
const { ensureToolchain } = require('../../lib/toolchain');
const { WORKFLOW, installProbe, probeUrl, runDeliveries } = require('./probe');

const REPO_DIR = path.join(__dirname, '..', '..', '..');
const log = (line) => console.log(`[repro] ${line}`);

async function savedStaticData(n8n) {
	const reader = path.join(__dirname, 'read-static-data.js');
	const database = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const result = await capture(n8n.toolchain.nodeBin, [reader, n8n.toolchain.n8nModules, database, WORKFLOW.id], {
		name: 'static data reader',
	});
	if (result.code !== 0) throw new Error(`reading static data failed: ${result.stderr}`);
	return JSON.parse(result.stdout) ?? {};
}

async function main() {
	stopAllOnSignals({ label: 'repro' });
	const runDir = path.resolve(process.env.REPRO_DIR || path.join(REPO_DIR, '.e2e', 'repro-static-data'));
	fs.mkdirSync(runDir, { recursive: true });
	const toolchain = await ensureToolchain((line) => log(`toolchain: ${line}`));
	const n8n = new N8n({
		toolchain,
		runDir,
		port: portFromEnv('REPRO_N8N_PORT', 5698),
		brokerPort: portFromEnv('REPRO_BROKER_PORT', 5699),
	});
	n8n.createUserFolder();
	installProbe(n8n.userFolder);
	await n8n.importWorkflows([WORKFLOW]);
	await n8n.publish(WORKFLOW.id);
	await n8n.start();
	log(`n8n ${toolchain.n8nVersion} started on ${n8n.baseUrl} (regular mode, sqlite)`);
	const { byWebhook, byExecute } = await runDeliveries({
		url: probeUrl(n8n.baseUrl),
		executionsEnded: async () => (await n8n.executions(WORKFLOW.id)).length,
		savedStaticData: () => savedStaticData(n8n),
		log,
	});
	await n8n.stop();
	const asDocumented = byWebhook.join() === 'B,D' && byExecute.join() === 'A,C';
	log(
		asDocumented
			? 'as documented: what webhook() writes for a delivery that starts an execution is lost, unless webhook() answered the request itself (D); what execute() writes in that execution is saved'
			: 'n8n did not behave as documented (README "De-duplication in n8n 2.41.1"): read the lines above',
	);
	return asDocumented;
}

main()
	.then((asDocumented) => {
		process.exitCode = asDocumented ? 0 : 1;
	})
	.catch((error) => {
		console.error(`[repro] failed: ${error.stack ?? error}`);
		process.exitCode = 2;
	})
	.finally(() => stopAll());
