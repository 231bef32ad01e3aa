'use strict';
/**
 * A webhook trigger that records each delivery's `mark` in its node static data twice: in webhook(), where n8n
 * handles the request, and in execute(), which n8n runs for this node inside the execution the delivery started
 * (a node with both, like n8n's Wait node). A delivery with `"run": false` is answered without an execution. A
 * delivery with `"answerFirst": true` starts one too, but webhook() writes the HTTP answer itself and tells n8n so
 * (`noWebhookResponse`), as this package's triggers do; its execute() writes nothing, so that what is saved of
 * it is what n8n saved for the request (an execution's save at its end writes the whole static data it read).
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
		const { mark, run, answerFirst } = this.getBodyData();
		const state = this.getWorkflowStaticData('node');
		state.writtenByWebhook = [...(state.writtenByWebhook ?? []), mark];
		if (run === false) return { webhookResponse: { mark, execution: false } };
		if (answerFirst === true) {
			this.getResponseObject().status(200).end();
			return { noWebhookResponse: true, workflowData: [[{ json: { mark, answerFirst } }]] };
		}
		return { workflowData: [[{ json: { mark } }]] };
	}

	async execute() {
		const items = this.getInputData();
		const marks = items.filter((item) => item.json.answerFirst !== true).map((item) => item.json.mark);
		if (marks.length === 0) return [items];
		const state = this.getWorkflowStaticData('node');
		state.writtenByExecute = [...(state.writtenByExecute ?? []), ...marks];
		return [items];
	}
}

module.exports = { StaticDataProbe };
