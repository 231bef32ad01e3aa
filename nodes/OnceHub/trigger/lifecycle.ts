import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isPlainObject } from '../../shared/normalize';
import { webhookApiRegistration } from '../../shared/webhook/webhookApi';
import { listAll, ONCEHUB_PRODUCTION_HOST, onceHubClient } from '../transport';

/** OnceHub refuses a URL it cannot reach with a 400 whose details name the `url` parameter. */
function isUrlRefusal(error: unknown): boolean {
	const details = error instanceof NodeApiError ? error.errorResponse?.details : undefined;
	return error instanceof NodeApiError && error.httpCode === '400' && isPlainObject(details) && details.param === 'url';
}

/**
 * OnceHub's `/webhooks` API: the mark goes in `name`, followed by a short hash of the URL (OnceHub wants
 * names unique and answers a second one with 409, and a node's test and production URLs differ). OnceHub
 * has no webhook update: a registration that differs is deleted, then created anew.
 */
export const onceHubWebhookApi = webhookApiRegistration({
	vendorName: 'OnceHub',
	client: onceHubClient,
	productionHost: ONCEHUB_PRODUCTION_HOST,
	path: '/webhooks',
	list: async (client) => await listAll(client, '/webhooks', { returnAll: true }),
	labelField: 'name',
	label: (settings) => `${settings.mark} ${createHash('sha256').update(settings.url).digest('hex').slice(0, 8)}`,
	// The create response carries the secret; the documents disagree on its name, so both are read.
	secretOf: (webhook: IDataObject) => {
		const secret = webhook.secret ?? webhook.signing_secret;
		return typeof secret === 'string' && secret !== '' ? secret : undefined;
	},
	uniqueLabels: true,
	dashboardPlace: 'Account Integrations → APIs & Webhooks',
	isUrlRefusal,
	missingSecretHelp:
		'Create the webhook in OnceHub (Account Integrations → APIs & Webhooks) with this trigger’s URL, set Registration to Manual and paste the secret OnceHub shows into Options → Signing Secret.',
});
