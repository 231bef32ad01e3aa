'use strict';
/**
 * A webhook trigger that records each delivery's `mark` in its node static data twice: in webhook(), where n8n
 * handles the request, and in execute(), which n8n runs for this node inside the execution the delivery started
 * (a node with both, like n8n's Wait node). A delivery with `"run": false` is answered without an execution.
 * What n8n saved of each write is then read from its database.
 */
class StaticDataProbe {
	constructor() {
		this.description = {
			displayName: 'Static Data Probe',
			name: 'staticDataProbe',
			icon: 'fa:flask',
			group: ['trigger'],
			version: 1,
			description: 'Records deliveries in static data from webhook() and from execute()',
			defaults: { name: 'Static Data Probe' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', path: 'probe', responseMode: 'onReceived', responseData: 'noData' }],
			properties: [],
		};
	}

	async webhook() {
		const { mark, run } = this.getBodyData();
		const state = this.getWorkflowStaticData('node');
		state.writtenByWebhook = [...(state.writtenByWebhook ?? []), mark];
		if (run === false) return { webhookResponse: { mark, execution: false } };
		return { workflowData: [[{ json: { mark } }]] };
	}

	async execute() {
		const items = this.getInputData();
		const state = this.getWorkflowStaticData('node');
		state.writtenByExecute = [...(state.writtenByExecute ?? []), ...items.map((item) => item.json.mark)];
		return [items];
	}
}

module.exports = { StaticDataProbe };
