'use strict';
/**
 * What both reproductions share: the probe package (probe/), its workflow, and the three deliveries with what
 * n8n saved after each. A process's user folder gets only the probe as a community package.
 */
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { sleep, waitFor } = require('../../lib/wait');

const PROBE_DIR = path.join(__dirname, 'probe');
const PROBE_PACKAGE = require(path.join(PROBE_DIR, 'package.json')).name;
const WORKFLOW_ID = 'staticDataProbe1';
const NODE = {
	id: '7d0f6c5e-2b8a-4c1e-9f3d-5a6b7c8d9e01',
	name: 'Probe',
	type: `${PROBE_PACKAGE}.staticDataProbe`,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	webhookId: 'b3c1e2d4-5f60-4718-8a9b-0c1d2e3f4a5b',
};
const WORKFLOW = { id: WORKFLOW_ID, name: 'Static data probe', nodes: [NODE], connections: {}, settings: { executionOrder: 'v1' } };

/** Replaces what an e2e user folder has installed (this package) with the probe alone. */
function installProbe(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(nodesDir, { recursive: true });
	for (const entry of fs.readdirSync(nodesDir)) fs.rmSync(path.join(nodesDir, entry), { recursive: true, force: true });
	fs.symlinkSync(PROBE_DIR, path.join(nodesDir, PROBE_PACKAGE), 'dir');
}

const probeUrl = (baseUrl) => `${baseUrl}/webhook/${NODE.webhookId}/probe`;

async function post(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, text: await response.text() };
}

/**
 * A, C and D start an execution, B is answered without one; D's webhook() answers the request itself. After each, what n8n saved is printed; then what it
 * kept of each write. Resolves with the marks n8n kept of each: `{ byWebhook, byExecute }`.
 *
 * @param {object} options
 * @param {string} options.url               the probe's production webhook URL
 * @param {() => Promise<number>} options.executionsEnded  how many executions of the probe have ended
 * @param {() => Promise<object>} options.savedStaticData  the workflow's static data as saved in the database
 * @param {(line: string) => void} options.log
 */
async function runDeliveries({ url, executionsEnded, savedStaticData, log }) {
	const deliveries = [
		{ mark: 'A', run: true },
		{ mark: 'B', run: false },
		{ mark: 'C', run: true },
		{ mark: 'D', run: true, answerFirst: true },
	];
	let executions = 0;
	for (const delivery of deliveries) {
		const answer = await waitFor(async () => {
			const result = await post(url, delivery);
			return result.status === 404 ? undefined : result;
		}, 30_000);
		assert.equal(answer.status, 200, `delivery ${delivery.mark} answered ${answer.status}: ${answer.text}`);
		if (delivery.run) {
			executions += 1;
			await waitFor(async () => (await executionsEnded()) >= executions, 30_000);
		}
		await sleep(500); // let n8n's save after the request or the execution land
		const what = delivery.run ? 'starts an execution' : 'answered without one';
		log(`delivery ${delivery.mark} (${what}) → saved: ${JSON.stringify(await savedStaticData())}`);
	}
	const state = (await savedStaticData())[`node:${NODE.name}`] ?? {};
	const byWebhook = state.writtenByWebhook ?? [];
	const byExecute = state.writtenByExecute ?? [];
	log(`webhook() wrote A, B, C, D; n8n saved: ${byWebhook.join(', ') || 'nothing'}`);
	log(`execute() wrote A, C; n8n saved: ${byExecute.join(', ') || 'nothing'}`);
	return { byWebhook, byExecute };
}

module.exports = { WORKFLOW, installProbe, probeUrl, runDeliveries };
