#!/usr/bin/env node
'use strict';
/**
 * npm run demo: the real n8n on 127.0.0.1 with this package installed, talking to seeded vendor simulators, with
 * the example workflows imported and published. Ctrl-C (or SIGTERM) stops everything it started and says what it
 * stopped; a second Ctrl-C kills at once.
 *
 * Environment: DEMO_N8N_PORT (5678), DEMO_BROKER_PORT (5679; CLI steps use the next port), DEMO_SIMULATOR_PORT
 * (5801: vendor i listens on 5801+2i, its test controls on the port after), DEMO_DIR (.e2e/demo),
 * N8N_CONVERSATIONS_CACHE (where node 24 and n8n are installed once).
 */
const net = require('net');
const path = require('path');

const { registerInDashboard, webhookNode } = require('./lib/dashboard');
const { OWNER } = require('./lib/n8n');
const { isStopping, stopAll, stopAllOnSignals } = require('./lib/processes');
const { withHeartbeat } = require('./lib/progress');
const { portFromEnv, prepareStack } = require('./lib/stack');
const { exampleWebhookUrl, loadExample } = require('./lib/workflows');

const REPO_DIR = path.join(__dirname, '..');

async function step(name, body, { heartbeat = true } = {}) {
	const started = Date.now();
	const value = heartbeat ? await withHeartbeat(name, body, (line) => console.log(`[demo] ${line}`)) : await body();
	console.log(`[demo] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return value;
}

/** The curl command that makes a simulator send the event an example reacts to (see `fire` in e2e/vendors/). */
function curlFor({ client, simulator }, request) {
	const viaApi = request.via === 'api';
	const auth = viaApi ? Object.entries(client.headers).map(([name, value]) => `-H '${name}: ${value}'`) : [];
	const body =
		request.body === undefined ? [] : [`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(request.body)}'`];
	const url = `${viaApi ? simulator.baseUrl : simulator.controlUrl}${request.path}`;
	return ['curl', '-X', request.method, ...auth, ...body, url].join(' ');
}

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Whether the example's vendor sets webhooks up only in its dashboard (an entry with `trigger.register`). */
const inDashboard = ({ entry }) => typeof entry.vendor.trigger?.register === 'function';

/** The lines of one example in the welcome: its event's curl and what it starts, and any other event to try. */
function exampleLines({ entry, workflow, fire, unrelatedFire, example }) {
	const lines = ['', `  ${workflow.name}`];
	if (inDashboard({ entry })) {
		lines.push(
			`  (its webhook was saved in the simulated ${entry.vendor.displayName} dashboard once n8n was up, as you would in the`,
			"  vendor's webhook settings; the vendor's verification GET got the challenge back from n8n)",
		);
	}
	lines.push(`  ${curlFor(entry, fire)}`, `    → ${plural(example.executions.count, 'execution')}: ${example.executions.why}`);
	if (unrelatedFire) {
		lines.push(
			'  An event it is not meant for:',
			`  ${curlFor(entry, unrelatedFire)}`,
			`    → ${plural(example.unrelated.executions.count, 'execution')}: ${example.unrelated.executions.why}`,
		);
	}
	return lines;
}

function printWelcome(n8n, running, examples) {
	const home = path.join(n8n.userFolder, '.n8n');
	const lines = [
		'',
		`n8n ${n8n.toolchain.n8nVersion} is running with n8n-nodes-conversations: ${n8n.baseUrl}`,
		`  log in as ${OWNER.email} / ${OWNER.password}`,
		'',
		'Example workflows (published; their triggers are registered at the simulators, or saved in their dashboards):',
		...examples.map(({ workflow }) => `  ${n8n.baseUrl}/workflow/${workflow.id}  ${workflow.name}`),
		'',
		'Simulators (seeded, on loopback):',
		...running.map(({ vendor, simulator }) => `  ${vendor.displayName}: ${simulator.baseUrl}`),
		'',
		"Fire the event each example reacts to, then open the workflow's Executions tab in n8n:",
		...examples.flatMap(exampleLines),
		'',
		`Logs: ${n8n.runDir} (n8n.log, simulator-*.log, cli.log, build.log).`,
		`Data: n8n's database, settings and executions are in ${home};`,
		'  that folder is deleted and recreated on every npm run demo, and the simulators start from the same seed,',
		'  so each demo starts fresh: nothing you change here is kept.',
		`Running: ${running.map(({ vendor }) => `the ${vendor.displayName} simulator`).join(', ')} and n8n.`,
		'Press Ctrl-C to stop them all (Ctrl-C twice forces).',
	];
	console.log(lines.join('\n'));
}

/** The ports of this demo that something still listens on (none, once everything stopped). */
async function portsInUse(ports) {
	const inUse = [];
	for (const port of ports) {
		const free = await new Promise((resolve) => {
			const probe = net.createServer();
			probe.once('error', () => resolve(false));
			probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
		});
		if (!free) inUse.push(port);
	}
	return inUse;
}

async function main() {
	const ports = {
		n8n: portFromEnv('DEMO_N8N_PORT', 5678),
		broker: portFromEnv('DEMO_BROKER_PORT', 5679),
		simulators: portFromEnv('DEMO_SIMULATOR_PORT', 5801),
	};
	const ours = new Set([ports.n8n, ports.broker, ports.broker + 1]);
	stopAllOnSignals({
		label: 'demo',
		async afterStop(say) {
			const inUse = await portsInUse([...ours].filter((port) => port > 0));
			const list = [...ours].filter((port) => port > 0).join(', ');
			say(inUse.length === 0 ? `ports ${list} are free` : `still in use: port ${inUse.join(', ')}`);
		},
	});
	const runDir = path.resolve(process.env.DEMO_DIR || path.join(REPO_DIR, '.e2e', 'demo'));
	const { n8n, running } = await prepareStack({ runDir, ports, step });
	for (const { simulator } of running) {
		for (const url of [simulator.baseUrl, simulator.controlUrl]) ours.add(Number(new URL(url).port));
	}

	const examples = [];
	for (const entry of running) {
		const fixtures = await entry.vendor.fixtures(entry.client);
		for (const example of entry.vendor.examples) {
			const workflow = loadExample(example.file);
			const webhookUrl = exampleWebhookUrl(n8n.baseUrl, workflow);
			const fire = example.fire(fixtures, { webhookUrl });
			const unrelatedFire = example.unrelated?.fire(fixtures, { webhookUrl });
			examples.push({ entry, example, workflow, fire, unrelatedFire });
		}
	}
	await step('example workflows imported and published', async () => {
		await n8n.importWorkflows(examples.map(({ workflow }) => workflow));
		for (const { workflow } of examples) await n8n.publish(workflow.id);
	});
	await step('n8n started', () => n8n.start());
	await step('owner account created', () => n8n.setupOwner());
	const byHand = examples.filter(inDashboard);
	if (byHand.length > 0) {
		await step("examples' webhooks saved in the simulated dashboards, verified by n8n", async () => {
			for (const { entry, workflow } of byHand) {
				await registerInDashboard(entry.vendor, entry.client, exampleWebhookUrl(n8n.baseUrl, workflow), webhookNode(workflow));
			}
		});
	}
	printWelcome(n8n, running, examples);

	// If n8n dies on its own, there is nothing left to demo: stop the simulators too.
	n8n.server.once('exit', (code) => {
		if (isStopping()) return;
		console.error(`n8n exited (${code}); see ${path.join(runDir, 'n8n.log')}`);
		stopAll().finally(() => process.exit(1));
	});
}

main().catch((error) => {
	if (isStopping()) return; // Ctrl-C stopped a step midway: the signal handler reports and exits
	console.error(`[demo] ${error.message}`);
	stopAll().finally(() => process.exit(1));
});
