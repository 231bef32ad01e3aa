#!/usr/bin/env node
'use strict';
/**
 * npm run test:e2e: this package inside the real n8n, headless, against the vendor simulators, loopback only.
 * For every vendor in e2e/vendors/: each action operation through `n8n execute`; the trigger's whole webhook life
 * (activation registers it at the vendor, or the admin saves it in the vendor's dashboard and the vendor's
 * verification GET passes; signed deliveries run the workflow, badly signed ones get 401, or a wrong verify token
 * gets 403; deactivation removes it, or n8n answers 404 while the dashboard keeps it); the example workflows doing
 * their job; and the editor showing our nodes.
 * Ends with `N passed, N failed` and a non-zero exit code on any failure.
 *
 * Environment: E2E_N8N_PORT (5688), E2E_BROKER_PORT (5689; CLI steps use the next port), E2E_SIMULATOR_PORT (0 =
 * free ports), E2E_DIR (.e2e/test), E2E_SCREENSHOTS (screenshots/e2e), E2E_CHROMIUM (/usr/bin/chromium),
 * N8N_CONVERSATIONS_CACHE (where node 24 and n8n are installed once).
 * Narrowed runs, while iterating: E2E_VENDORS (keys from e2e/vendors/, comma-separated; default all) and
 * E2E_PARTS (of actions, triggers, examples, editor, restart; default all). A narrowed run says so at its end.
 */
const assert = require('node:assert/strict');
const { randomInt } = require('node:crypto');
const fs = require('fs');
const path = require('path');

const { registerInDashboard, webhookNode } = require('./lib/dashboard');
const { checkEditor } = require('./lib/editor');
const { stopAll, stopAllOnSignals } = require('./lib/processes');
const { check, step, StopRun, summary } = require('./lib/report');
const { portFromEnv, prepareStack } = require('./lib/stack');
const vendors = require('./vendors');
const { eventually, sleep, waitFor } = require('./lib/wait');
const {
	actionWorkflow,
	exampleWebhookUrl,
	loadExample,
	productionWebhookUrl,
	triggerWorkflow,
} = require('./lib/workflows');

const REPO_DIR = path.join(__dirname, '..');
const WRONG_SECRET = 'whsec_not-the-registered-secret';
const PARTS = ['actions', 'triggers', 'examples', 'editor', 'restart'];

/** E2E_VENDORS and E2E_PARTS: a comma-separated subset, or everything. */
function selection(name, all) {
	const value = process.env[name];
	if (!value) return all;
	const wanted = value.split(',').map((entry) => entry.trim()).filter(Boolean);
	const unknown = wanted.filter((entry) => !all.includes(entry));
	if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
	return wanted;
}

/** Everything one vendor's checks need, built once its simulator runs. */
async function planVendor({ vendor, simulator, client }, n8n) {
	const fixtures = await vendor.fixtures(client);
	const cases = vendor.actionCases(fixtures);
	return {
		vendor,
		simulator,
		client,
		n8n,
		fixtures,
		cases,
		actions: actionWorkflow(vendor, cases),
		trigger: vendor.trigger ? triggerWorkflow(vendor) : undefined,
		examples: vendor.examples.map((example) => ({ ...example, workflow: loadExample(example.file) })),
	};
}

/** The items a node emitted in a run; a node that did not run or that errored fails the check. */
function nodeItems(run, testCase) {
	const runs = run.data.resultData.runData[testCase.name];
	if (!runs) throw new Error(`node "${testCase.name}" did not run`);
	if (runs[0].error) throw new Error(runs[0].error.message);
	const items = (runs[0].data?.main?.[0] ?? []).map((item) => item.json);
	const failed = items.find((item) => item.error !== undefined);
	if (failed && !testCase.expectError) {
		throw new Error(`node "${testCase.name}" failed: ${JSON.stringify(failed.error)}`);
	}
	return items;
}

async function testActions(plan) {
	const { vendor, actions, cases } = plan;
	let run;
	const ran = await check(`${vendor.displayName}: n8n execute --id=${actions.id} runs the action workflow`, async () => {
		run = await plan.n8n.execute(actions.id);
		assert.equal(run.status, 'success', run.data.resultData.error?.message);
	});
	if (!ran) return;
	for (const testCase of cases) {
		await check(`${vendor.displayName} ${testCase.name}`, () => testCase.expect(nodeItems(run, testCase)));
	}
}

async function findRegistration(plan, url) {
	const registrations = await plan.vendor.trigger.registrations(plan.client);
	return registrations.find((registration) => registration.url === url);
}

/** A vendor whose webhooks are set up by hand in its dashboard: activation registers nothing there. */
const isManual = (vendor) => typeof vendor.trigger.register === 'function';

/**
 * Whether n8n serves a production URL: an active trigger refuses a POST of `{}` (400 or 401) without starting an
 * execution; once no active workflow serves the URL, n8n answers 404.
 */
async function n8nAnswers404(url) {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
	await response.text();
	return response.status === 404;
}

/**
 * After a deactivation: the vendor's registration is gone; for a manual one, which stays in the vendor's
 * dashboard, n8n answers 404 at the URL.
 */
async function waitForDeregistration(plan, url) {
	if (isManual(plan.vendor)) await waitFor(() => n8nAnswers404(url), 10_000);
	else await waitFor(async () => !(await findRegistration(plan, url)), 10_000);
}

/**
 * Sends a delivery through the simulator's controls. Right after activation n8n may answer 404 for a moment
 * while it registers the webhook route, so a 404 is retried briefly.
 */
async function deliver(plan, request) {
	return waitFor(async () => {
		const result = await plan.client.control('POST', '/deliver', request);
		return result.status === 404 ? undefined : result;
	}, 10_000);
}

/**
 * Makes the simulator send the event an example reacts to: through the vendor's own API where it has a call that
 * causes one (`via: 'api'`), else through the simulator's controls (`via: 'control'`).
 */
async function fireExample(plan, workflow, event) {
	const webhookUrl = exampleWebhookUrl(plan.n8n.baseUrl, workflow);
	const { via, method, path: requestPath, body } = event.fire(plan.fixtures, { webhookUrl });
	await plan.client[via](method, requestPath, body);
}

async function executionCount(n8n, workflowId) {
	return (await n8n.executions(workflowId)).length;
}

/**
 * A vendor with one webhook per account (`oneAccountWebhook`) lets one trigger hold it at a time, and the
 * take-over refuses while another trigger of this n8n holds it: its examples step aside (deactivated, which
 * hands the account webhook back) for the trigger's own checks, and take it over again afterwards.
 */
async function testTrigger(plan) {
	const { vendor } = plan;
	const holders = vendor.trigger.oneAccountWebhook ? plan.examples.map((example) => example.workflow.id) : [];
	for (const id of holders) await plan.n8n.deactivate(id);
	try {
		await testTriggerLifecycle(plan);
	} finally {
		for (const id of holders) await plan.n8n.activate(id);
	}
}

async function testTriggerLifecycle(plan) {
	const { vendor, n8n, trigger, fixtures } = plan;
	const label = `${vendor.displayName} Trigger:`;
	const node = trigger.nodes[0];
	const url = productionWebhookUrl(n8n.baseUrl, node);
	let registration;

	const manual = isManual(vendor);
	const activation = manual
		? `${label} activated, then saved in the vendor's dashboard: the vendor's verification GET gets the challenge back from n8n`
		: `${label} activation registers n8n's webhook URL at the vendor`;
	const registered = await check(activation, async () => {
		await n8n.activate(trigger.id);
		if (manual) await registerInDashboard(vendor, plan.client, url, node);
		registration = await waitFor(() => findRegistration(plan, url), 10_000);
		// A dashboard webhook has no field for a mark; the verification above is what registered it.
		if (manual) {
			assert.equal(registration.verified, true, 'the dashboard marks the webhook verified');
			return;
		}
		// An account webhook has no field for a mark: the take-over knows its own by the URL, checked above.
		if (vendor.trigger.oneAccountWebhook) return;
		const mark = `n8n ${trigger.id}/${node.id}`;
		assert.ok(registration.mark?.startsWith(mark), `the registration is marked "${mark}": ${registration.mark}`);
	});
	if (!registered) return;

	const signed = vendor.trigger.signed !== false;
	await check(`${label} a ${signed ? 'signed ' : ''}delivery runs the workflow with the normalized event`, async () => {
		const before = await executionCount(n8n, trigger.id);
		// The first delivery after activation: n8n may not have saved the registration's secret yet (the activation
		// gap), which is answered 503 and retried as the vendor would.
		const answer = await deliverAsTheVendorRetries(plan, { webhook: registration.id, ...vendor.trigger.delivery(fixtures) });
		assert.equal(answer.status, 200, `n8n answered ${answer.status}: ${answer.body}`);
		assert.equal(answer.body, '', 'an accepted delivery is answered with an empty body');
		const executions = await waitFor(async () => {
			const all = await n8n.executions(trigger.id);
			return all.length > before ? all : undefined;
		}, 15_000);
		assert.equal(executions[0].status, 'success', executions[0].error);
		const events = executions[0].outputs[node.name];
		assert.equal(events.length, 1, 'one item per delivery');
		vendor.trigger.expectEvent(events[0], fixtures);
	});

	registration = await testRepeats(plan, registration, url);

	if (signed) {
		await check(`${label} a badly signed delivery gets 401 and starts no execution`, async () => {
			const before = await executionCount(n8n, trigger.id);
			const request = { webhook: registration.id, ...vendor.trigger.delivery(fixtures), secret: WRONG_SECRET };
			const answer = await deliver(plan, request);
			assert.equal(answer.status, 401, `n8n answered ${answer.status}: ${answer.body}`);
			await sleep(2000); // an execution would be stored well within this
			assert.equal(await executionCount(n8n, trigger.id), before, 'no execution was stored');
		});
	}

	if (vendor.trigger.handshake) await testHandshake(plan, url);

	if (manual) {
		await check(`${label} deactivation: n8n answers 404 at the URL, and the webhook stays in the vendor's dashboard`, async () => {
			const before = await executionCount(n8n, trigger.id);
			await n8n.deactivate(trigger.id);
			await waitForDeregistration(plan, url);
			const answer = await plan.client.control('POST', '/deliver', { webhook: registration.id, ...vendor.trigger.delivery(fixtures) });
			assert.equal(answer.status, 404, `a delivery to the inactive workflow was answered ${answer.status}: ${answer.body}`);
			assert.ok(await findRegistration(plan, url), 'deactivating n8n does not remove the dashboard webhook (only its admin does)');
			await sleep(2000); // an execution would be stored well within this
			assert.equal(await executionCount(n8n, trigger.id), before, 'no execution was stored');
		});
	} else {
		await check(`${label} deactivation removes the registration at the vendor`, async () => {
			await n8n.deactivate(trigger.id);
			await waitForDeregistration(plan, url);
		});
	}
}

/**
 * A vendor that checks the URL with a GET handshake (`trigger.handshake`), asked of the real n8n as the vendor
 * asks it: the right token gets 200 with exactly the challenge as the body; a wrong or missing one is refused
 * (403, or 401) without the challenge; none of them starts an execution.
 */
async function testHandshake(plan, url) {
	const { vendor, n8n, trigger } = plan;
	const { challengeParameter, tokenParameter, token } = vendor.trigger.handshake;
	const rightToken = token(trigger.nodes[0]);
	const challenge = String(randomInt(100_000_000, 1_000_000_000));
	const ask = async (tokenValue) => {
		const target = new URL(url);
		target.searchParams.set(challengeParameter, challenge);
		if (tokenValue !== undefined) target.searchParams.set(tokenParameter, tokenValue);
		const response = await fetch(target);
		return { status: response.status, body: await response.text() };
	};
	await check(`${vendor.displayName} Trigger: the verification GET gets 200 with exactly the challenge for the right token, 403 without it for a wrong or missing one, and no execution`, async () => {
		const before = await executionCount(n8n, trigger.id);
		const right = await ask(rightToken);
		assert.equal(right.status, 200, `the right token: n8n answered ${right.status}: ${right.body}`);
		assert.equal(right.body, challenge, 'the body is the challenge, and nothing else');
		for (const [what, tokenValue] of [
			['a wrong token', `${rightToken}x`],
			['a token of the same length', rightToken.replace(/.$/, (last) => (last === 'a' ? 'b' : 'a'))],
			['no token', undefined],
		]) {
			const answer = await ask(tokenValue);
			assert.ok([401, 403].includes(answer.status), `${what}: n8n answered ${answer.status}: ${answer.body}`);
			assert.ok(!answer.body.includes(challenge), `${what}: the answer holds the challenge: ${answer.body}`);
		}
		await sleep(2000); // an execution would be stored well within this
		assert.equal(await executionCount(n8n, trigger.id), before, 'no execution was stored');
	});
}

/**
 * Sends a delivery the way every signing vendor treats a 503 (n8n has not saved the registration's secret yet,
 * README "The activation gap"): it sends the same delivery again, here after 1 s (VoIPbin's pace), at most 5 times.
 * Any other answer is the answer.
 */
async function deliverAsTheVendorRetries(plan, request) {
	for (let attempt = 1; ; attempt++) {
		const answer = await deliver(plan, request);
		if (answer.status !== 503 || attempt === 5) return answer;
		console.log(`[e2e] a delivery was answered 503 (attempt ${attempt}: the activation gap); sending it again in 1 s`);
		await sleep(1000);
	}
}

/** The executions of a workflow once no new one has been stored for a few seconds. */
async function settledExecutionCount(n8n, workflowId, atLeast) {
	await waitFor(async () => (await executionCount(n8n, workflowId)) >= atLeast, 15_000).catch(() => {});
	await sleep(3000); // a further execution would be stored well within this
	return executionCount(n8n, workflowId);
}

/**
 * De-duplication in the real n8n, regular mode (one process, so its in-process window sees every copy): the
 * same delivery sent again after its run finished, and copies sent at once, start one execution; and after a
 * re-activation, which starts the in-process window afresh as a restart does, a delivery that ran before
 * starts none: the trigger's execute() recorded it in static data, which n8n saved when the execution ended.
 * Resolves with the registration after the re-activation.
 */
async function testRepeats(plan, registration, url) {
	const { vendor, n8n, trigger, fixtures, client } = plan;
	const label = `${vendor.displayName} Trigger:`;
	const send = async (request, target = registration) => deliverAsTheVendorRetries(plan, { webhook: target.id, ...request });
	let serial = 0;
	const newEvent = async () => vendor.trigger.newEvent(client, fixtures, ++serial);

	await check(`${label} the same delivery sent 3 more times after its run finished starts no second execution`, async () => {
		const before = await executionCount(n8n, trigger.id);
		const event = await newEvent();
		assert.equal((await send(event)).status, 200);
		await waitFor(async () => (await executionCount(n8n, trigger.id)) > before, 15_000);
		const answers = [];
		for (let copy = 0; copy < 3; copy++) answers.push((await send(event)).status);
		assert.deepEqual(answers, [200, 200, 200], 'every copy is answered 200');
		const started = (await settledExecutionCount(n8n, trigger.id, before + 1)) - before;
		assert.equal(started, 1, `4 deliveries of one event started ${started} executions`);
	});

	await check(`${label} five copies of one delivery sent at once start one execution`, async () => {
		const before = await executionCount(n8n, trigger.id);
		const event = await newEvent();
		const answers = await Promise.all(Array.from({ length: 5 }, async () => (await send(event)).status));
		assert.deepEqual(answers, [200, 200, 200, 200, 200], 'every copy is answered 200');
		const started = (await settledExecutionCount(n8n, trigger.id, before + 1)) - before;
		assert.equal(started, 1, `5 copies at once started ${started} executions`);
	});

	let current = registration;
	await check(`${label} after a re-activation, the same delivery again starts no execution (the window n8n saved)`, async () => {
		const before = await executionCount(n8n, trigger.id);
		const event = await newEvent();
		assert.equal((await send(event)).status, 200);
		await settledExecutionCount(n8n, trigger.id, before + 1);
		await n8n.deactivate(trigger.id);
		await waitForDeregistration(plan, url);
		await n8n.activate(trigger.id);
		// A dashboard webhook stays through the deactivation: its URL is the same, so it needs no new setup.
		current = await waitFor(() => findRegistration(plan, url), 10_000);
		// Sent the moment the vendor has the registration: n8n may not have saved its secret yet (the activation
		// gap), which is answered 503 and retried as the vendor would.
		const answer = await send(event, current);
		assert.equal(answer.status, 200, `n8n answered ${answer.status}: ${answer.body}`);
		const started = (await settledExecutionCount(n8n, trigger.id, before + 1)) - before;
		assert.equal(started, 1, `the delivery sent before and after the re-activation started ${started} executions`);
	});
	return current;
}

/**
 * Fires the example's event (or another event of the example's, `event`: `{fire, executions}`) and waits for the
 * executions it starts: exactly as many as it says (and the demo prints), all successful, and no further one
 * within a few seconds.
 */
async function fireAndCountExecutions(plan, example, event = example) {
	const { n8n } = plan;
	const { workflow } = example;
	const expected = event.executions;
	const before = await executionCount(n8n, workflow.id);
	await fireExample(plan, workflow, event);
	await waitFor(async () => (await executionCount(n8n, workflow.id)) >= before + expected.count, 20_000).catch(() => {});
	await sleep(3000); // a further execution would be stored well within this
	const all = await n8n.executions(workflow.id);
	const started = all.slice(0, all.length - before);
	assert.equal(started.length, expected.count, `one event started ${started.length} executions, the demo says ${expected.count}`);
	for (const execution of started) assert.equal(execution.status, 'success', execution.error);
}

const successfulRuns = ({ count }) => `${count} successful execution${count === 1 ? '' : 's'}`;

/**
 * The example was published before n8n started, so startup registered it (or, for a manual vendor, the admin
 * saved it in the vendor's dashboard once n8n was up: `registerExamplesInDashboards`); an event it is not meant
 * for (`unrelated`, where the example has one) changes nothing, and its event makes it do its job.
 */
async function testExample(plan, example) {
	const { vendor, n8n, client, fixtures } = plan;
	const { workflow } = example;
	const label = `example ${example.file}:`;
	const where = isManual(vendor) ? "saved in the vendor's dashboard after n8n started, and verified" : 'registered at the vendor when n8n started';
	const registered = await check(`${label} ${where}`, async () => {
		const registration = await waitFor(() => findRegistration(plan, exampleWebhookUrl(n8n.baseUrl, workflow)), 10_000);
		if (isManual(vendor)) assert.equal(registration.verified, true, 'the dashboard marks the webhook verified');
	});
	if (!registered) return;
	const { unrelated } = example;
	if (unrelated) {
		await check(`${label} an event it is not meant for runs it in ${successfulRuns(unrelated.executions)} and changes nothing`, async () => {
			const before = await unrelated.state(client, fixtures);
			await fireAndCountExecutions(plan, example, unrelated);
			assert.deepEqual(await unrelated.state(client, fixtures), before, 'the event changed what the example acts on');
		});
	}
	const runs = successfulRuns(example.executions);
	await check(`${label} does its job on a real ${vendor.displayName} event, in ${runs} as the demo says`, async () => {
		await fireAndCountExecutions(plan, example);
		await eventually(() => example.verify(client, fixtures), 20_000);
	});
}

/** Every node the package ships (package.json `n8n.nodes`, as built) has an entry in e2e/vendors/. */
function assertEveryNodeCovered(vendors) {
	const manifest = require(path.join(REPO_DIR, 'package.json'));
	const covered = new Set(vendors.flatMap((vendor) => [vendor.nodes.action, vendor.nodes.trigger]));
	for (const file of manifest.n8n.nodes) {
		const exported = require(path.join(REPO_DIR, file));
		for (const NodeClass of Object.values(exported)) {
			const { name } = new NodeClass().description;
			assert.ok(covered.has(name), `${file} (${name}) has no entry in e2e/vendors/`);
		}
	}
	for (const vendor of vendors) {
		assert.ok(vendor.examples.length > 0, `${vendor.displayName} has no example workflow`);
		if (vendor.nodes.trigger) {
			assert.equal(typeof vendor.trigger?.newEvent, 'function', `${vendor.displayName}: trigger.newEvent (for the repeat checks) is missing`);
		}
	}
}

/**
 * Examples of vendors whose webhooks are set up only in their dashboard: once n8n serves their URLs, the admin
 * saves each in the dashboard, and the vendor's verification GET must pass in n8n.
 */
async function registerExamplesInDashboards(plans) {
	for (const plan of plans.filter((candidate) => candidate.vendor.trigger && isManual(candidate.vendor))) {
		for (const { file, workflow } of plan.examples) {
			const url = exampleWebhookUrl(plan.n8n.baseUrl, workflow);
			await check(`example ${file}: the webhook saved in the ${plan.vendor.displayName} dashboard passes its verification GET in n8n`, () =>
				registerInDashboard(plan.vendor, plan.client, url, webhookNode(workflow)),
			);
		}
	}
}

function assertNothingOutbound(outboundLog) {
	const attempts = fs.existsSync(outboundLog) ? fs.readFileSync(outboundLog, 'utf8').trim() : '';
	assert.equal(attempts, '', `outbound attempts (see ${outboundLog})`);
}

/**
 * n8n deregisters webhooks only on deactivation: a shutdown leaves them at the vendor, and the next start must
 * adopt them (the node's checkExists) instead of registering a second one, with the stored secret still valid.
 */
async function testRestart(n8n, plans) {
	const examples = plans.flatMap((plan) =>
		plan.examples.map((example) => ({ plan, example, url: exampleWebhookUrl(n8n.baseUrl, example.workflow) })),
	);
	const registrationsOf = async ({ plan, url }) =>
		(await plan.vendor.trigger.registrations(plan.client)).filter((registration) => registration.url === url);
	const before = new Map();

	await check('n8n shutdown leaves the examples registered at the vendor', async () => {
		await n8n.stop();
		for (const entry of examples) {
			const registrations = await registrationsOf(entry);
			assert.equal(registrations.length, 1, `${entry.example.file}: ${registrations.length} registrations`);
			before.set(entry, registrations[0].id);
		}
	});
	await check('n8n restart adopts those registrations, and their events still run the examples', async () => {
		await n8n.start();
		for (const entry of examples) {
			const { plan, example } = entry;
			const registrations = await registrationsOf(entry);
			assert.deepEqual(registrations.map((registration) => registration.id), [before.get(entry)], 'the same one');
			await fireAndCountExecutions(plan, example);
		}
	});
}

async function main() {
	stopAllOnSignals({ label: 'e2e' });
	const started = Date.now();
	const ports = {
		n8n: portFromEnv('E2E_N8N_PORT', 5688),
		broker: portFromEnv('E2E_BROKER_PORT', 5689),
		simulators: portFromEnv('E2E_SIMULATOR_PORT', 0),
	};
	const runDir = path.resolve(process.env.E2E_DIR || path.join(REPO_DIR, '.e2e', 'test'));
	const screenshotDir = path.resolve(process.env.E2E_SCREENSHOTS || path.join(REPO_DIR, 'screenshots', 'e2e'));
	const outboundLog = path.join(runDir, 'outbound.log');
	fs.rmSync(outboundLog, { force: true });
	const selectedVendors = selection('E2E_VENDORS', vendors.map((vendor) => vendor.key));
	const parts = new Set(selection('E2E_PARTS', PARTS));
	const narrowed = selectedVendors.length < vendors.length || parts.size < PARTS.length;
	try {
		const { n8n, running } = await prepareStack({
			runDir,
			ports,
			step,
			outboundLog,
			vendors: vendors.filter((vendor) => selectedVendors.includes(vendor.key)),
		});
		await check('every node of the package is covered by e2e/vendors/', () => assertEveryNodeCovered(vendors));
		const plans = await step('seeded data read from the simulators', () =>
			Promise.all(running.map((entry) => planVendor(entry, n8n))),
		);
		const examples = plans.flatMap((plan) => plan.examples.map((example) => example.workflow));
		await step('workflows imported; examples published', async () => {
			await n8n.importWorkflows([...plans.flatMap((plan) => [plan.actions, plan.trigger].filter(Boolean)), ...examples]);
			for (const workflow of examples) await n8n.publish(workflow.id);
		});

		if (parts.has('actions')) for (const plan of plans) await testActions(plan);

		await step('n8n started', () => n8n.start());
		await step('owner account created', () => n8n.setupOwner());
		await registerExamplesInDashboards(plans);
		if (parts.has('triggers')) for (const plan of plans.filter((candidate) => candidate.trigger)) await testTrigger(plan);
		if (parts.has('examples')) for (const plan of plans) for (const example of plan.examples) await testExample(plan, example);
		const browserHome = path.join(runDir, 'chromium-home');
		const credentials = plans.map((plan) => plan.vendor.credential);
		if (parts.has('editor')) await checkEditor({ n8n, workflows: examples, credentials, screenshotDir, browserHome, check });
		if (parts.has('restart')) await testRestart(n8n, plans);
		await check('n8n tried to reach nothing beyond loopback', () => assertNothingOutbound(outboundLog));
		console.log(`[e2e] logs in ${runDir}, screenshots in ${screenshotDir}`);
	} catch (error) {
		if (!(error instanceof StopRun)) await check('e2e run', () => Promise.reject(error));
	} finally {
		await stopAll();
	}
	const { failed, line } = summary();
	console.log(`[e2e] finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (narrowed) console.log(`[e2e] narrowed run: vendors ${selectedVendors.join(', ')}; parts ${[...parts].join(', ')}`);
	console.log(line);
	process.exitCode = failed > 0 ? 1 : 0;
}

main();
