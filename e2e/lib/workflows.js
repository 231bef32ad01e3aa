'use strict';
/**
 * Workflow JSON for the e2e runs, built from the vendor table: one action workflow per vendor (every operation
 * case as its own node) and one trigger workflow per vendor; plus the example workflows under examples/.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const { PACKAGE_NAME } = require('./n8n');

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
const COLUMN_WIDTH = 300;
const ROW_HEIGHT = 140;
const SETTINGS = { executionOrder: 'v1' };

/** Stable node ids, so a trigger's registration mark (`n8n <workflow>/<node>`) is known before the run. */
function stableUuid(...parts) {
	const hex = crypto.createHash('sha256').update(parts.join('/')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * n8n 2.41.1 saves a workflow's static data only when its id has at most 21 characters (`isWorkflowIdValid`), and
 * silently drops it otherwise: a trigger's saved de-duplication window would be lost. Every workflow these runs
 * import keeps to it.
 */
const MAX_WORKFLOW_ID_LENGTH = 21;

function checkedWorkflowId(id, where) {
	if (id.length > MAX_WORKFLOW_ID_LENGTH) {
		throw new Error(`${where}: workflow id "${id}" is longer than ${MAX_WORKFLOW_ID_LENGTH} characters; n8n 2.41.1 would never save its static data`);
	}
	return id;
}

function credentialReference(vendor) {
	const { type, id, name } = vendor.credential;
	return { [type]: { id, name } };
}

const locator = (value) => ({ __rl: true, mode: 'id', value });

/**
 * Start → every case, top to bottom in table order (n8n's v1 order runs sibling branches by position); a case
 * with `after` hangs off that case instead and gets its output as input. Every case node continues on error, so
 * one failing operation shows as its own failed check instead of stopping the others.
 */
function actionWorkflow(vendor, cases) {
	const id = checkedWorkflowId(`${vendor.key}Actions`, `${vendor.displayName}'s action workflow`);
	const start = {
		id: stableUuid(id, 'Start'),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const depth = (testCase) => (testCase.after ? depth(cases.find((c) => c.name === testCase.after)) + 1 : 1);
	const nodes = cases.map((testCase, row) => ({
		id: stableUuid(id, testCase.name),
		name: testCase.name,
		type: `${PACKAGE_NAME}.${vendor.nodes.action}`,
		typeVersion: 1,
		position: [depth(testCase) * COLUMN_WIDTH, row * ROW_HEIGHT],
		parameters: testCase.parameters,
		credentials: credentialReference(vendor),
		onError: 'continueRegularOutput',
	}));
	const connections = {};
	for (const testCase of cases) {
		const from = testCase.after ?? start.name;
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: testCase.name, type: 'main', index: 0 });
	}
	return { id, name: `e2e ${vendor.displayName} actions`, nodes: [start, ...nodes], connections, settings: SETTINGS };
}

/**
 * The trigger alone: its execution's only output is the event it emitted. A trigger that makes no request to the
 * vendor (`trigger.needsCredential: false`) gets no credential, as a user would leave it.
 */
function triggerWorkflow(vendor) {
	const id = checkedWorkflowId(`${vendor.key}Trigger`, `${vendor.displayName}'s trigger workflow`);
	const node = {
		id: stableUuid(id, 'trigger'),
		name: `${vendor.displayName} Trigger`,
		type: `${PACKAGE_NAME}.${vendor.nodes.trigger}`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: stableUuid(id, 'webhook'),
		parameters: vendor.trigger.parameters,
		...(vendor.trigger.needsCredential === false ? {} : { credentials: credentialReference(vendor) }),
	};
	return { id, name: `e2e ${vendor.displayName} trigger`, nodes: [node], connections: {}, settings: SETTINGS };
}

/** The URL n8n serves a production webhook at: `/webhook/<webhookId>/<path>` for a node with a webhookId. */
function productionWebhookUrl(baseUrl, node, webhookPath = 'webhook') {
	return `${baseUrl}/webhook/${node.webhookId}/${webhookPath}`;
}

/** Where an example workflow's trigger receives its deliveries. */
function exampleWebhookUrl(baseUrl, workflow) {
	return productionWebhookUrl(baseUrl, workflow.nodes.find((node) => node.webhookId));
}

function loadExample(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
	checkedWorkflowId(workflow.id, `examples/${file}`);
	return workflow;
}

module.exports = { actionWorkflow, triggerWorkflow, productionWebhookUrl, exampleWebhookUrl, loadExample, locator };
