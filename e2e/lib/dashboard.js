'use strict';
/**
 * Manual registration, for vendors whose webhooks are set up only in their dashboard (an entry of e2e/vendors/
 * with `trigger.register`): the suite and the demo play the admin who saves n8n's URL there once the workflow is
 * active, and the vendor then checks the URL with its verification GET against the real n8n.
 */
const { waitFor } = require('./wait');

/** The trigger node of a workflow: the one n8n serves a webhook for. */
const webhookNode = (workflow) => workflow.nodes.find((node) => node.webhookId);

/**
 * Saves the webhook in the vendor's dashboard and resolves with the vendor's verification, once n8n answered it
 * with 200 and exactly the challenge. Right after activation n8n may answer 404 for a moment while it adds the
 * route: the admin saves again, for up to 10 s. Any other answer fails, with what n8n said.
 */
async function registerInDashboard(vendor, client, url, node) {
	const verification = await waitFor(async () => {
		const answer = await vendor.trigger.register(client, url, node);
		return answer.status === 404 ? undefined : answer;
	}, 10_000).catch(() => {
		throw new Error(`n8n answered 404 to the verification GET of ${url} for 10 s: is the workflow active?`);
	});
	const { status, body, challenge } = verification;
	if (status !== 200 || body !== challenge) {
		throw new Error(`the vendor's verification of ${url} failed: n8n answered ${status} "${String(body).slice(0, 200)}" to challenge ${challenge}`);
	}
	return verification;
}

module.exports = { registerInDashboard, webhookNode };
