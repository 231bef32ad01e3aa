import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { webhookApiRegistration } from '../../shared/webhook/webhookApi';
import { idempotencyKeyFor } from '../actions/writeOptions';
import { AWARDEE_PRODUCTION_HOST, awardeeClient, listByCursor } from '../transport';

/** Awardee refuses a URL that is not public https with a 400 about `url`. */
function isUrlRefusal(error: unknown): boolean {
	const apiError = error as NodeApiError;
	const text = `${apiError.message ?? ''} ${apiError.description ?? ''}`.toLowerCase();
	return apiError instanceof NodeApiError && apiError.httpCode === '400' && text.includes('url');
}

/**
 * Awardee's `/webhooks` API: the mark goes in `description`; PATCH keeps the secret, so this node's own
 * webhook is updated in place when it differs; the create call hands out the secret.
 */
export const awardeeWebhookApi = webhookApiRegistration({
	vendorName: 'Awardee',
	client: awardeeClient,
	productionHost: AWARDEE_PRODUCTION_HOST,
	path: '/webhooks',
	list: async (client) => await listByCursor(client, '/webhooks', { returnAll: true }),
	labelField: 'description',
	createIdempotencyKey: () => idempotencyKeyFor(undefined),
	updateBody: (settings) => ({ url: settings.url, events: settings.events, isActive: true }),
	secretOf: (webhook: IDataObject) => (typeof webhook.secret === 'string' && webhook.secret !== '' ? webhook.secret : undefined),
	isPaused: (webhook) => webhook.is_active === false,
	dashboardPlace: 'Settings → Webhooks',
	isUrlRefusal,
	missingSecretHelp:
		'Create the webhook in the Awardee dashboard (Settings → Webhooks), copy its signing secret (whsec_…) into this trigger’s Signing Secret option and activate again.',
});
