import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RegistrationSettings, RegistrationState } from '../../shared/webhook/registration';
import {
	deleteRegistration,
	fetchRegistration,
	forgetRegistration,
	isPublicHttpsUrl,
	pointsAtHost,
	publicUrlRequiredError,
	readRegistrationSettings,
	removeRegistration,
	subscribesTo,
} from '../../shared/webhook/registration';
import type { ApiClient } from '../../shared/transport/client';
import type { WebhookLifecycle } from '../../shared/webhook/strategies';
import { AWARDEE_PRODUCTION_HOST, awardeeClient, listByCursor } from '../transport';
import { idempotencyKeyFor } from '../actions/writeOptions';

/** A webhook this node created: our mark and our URL. Anything else in the account is never touched. */
function isOwn(webhook: IDataObject, settings: RegistrationSettings): boolean {
	return webhook.description === settings.mark && webhook.url === settings.url;
}

async function findOwnWebhook(
	ctx: IHookFunctions,
	client: ApiClient,
	state: RegistrationState,
	settings: RegistrationSettings,
) {
	if (state.webhookId) {
		const registered = await fetchRegistration(ctx, client, `/webhooks/${state.webhookId}`);
		if (registered && isOwn(registered, settings)) return registered;
		forgetRegistration(state);
	}
	const webhooks = await listByCursor(client, '/webhooks', { returnAll: true });
	return webhooks.find((webhook) => isOwn(webhook, settings));
}

/**
 * Adopts this node's own webhook when it is there with the same URL and events and its secret is known;
 * otherwise `create` runs and fixes what differs.
 */
async function checkExists(this: IHookFunctions): Promise<boolean> {
	const settings = readRegistrationSettings(this);
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const own = await findOwnWebhook(this, awardeeClient(this), state, settings);
	if (!own) return false;
	state.webhookId = String(own.id);
	const secretKnown = Boolean(state.webhookSecret) || settings.secretProvided;
	return secretKnown && subscribesTo(own.events, settings.events) && own.is_active !== false;
}

function refusalToMessage(ctx: IHookFunctions, error: unknown, url: string): unknown {
	const apiError = error as NodeApiError;
	const text = `${apiError.message ?? ''} ${apiError.description ?? ''}`.toLowerCase();
	if (apiError instanceof NodeApiError && apiError.httpCode === '400' && text.includes('url')) {
		return publicUrlRequiredError(ctx, 'Awardee', url);
	}
	return error;
}

async function create(this: IHookFunctions): Promise<boolean> {
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const settings = readRegistrationSettings(this);
	const client = awardeeClient(this);
	if (!isPublicHttpsUrl(settings.url) && pointsAtHost(await client.baseUrl(), AWARDEE_PRODUCTION_HOST)) {
		throw publicUrlRequiredError(this, 'Awardee', settings.url);
	}

	// Our own webhook exists but differs: Awardee's PATCH keeps the secret, so update it in place when
	// the secret is known; otherwise replace it so the create call hands out a fresh secret.
	if (state.webhookId) {
		if (state.webhookSecret || settings.secretProvided) {
			await client.request({
				method: 'PATCH',
				path: `/webhooks/${state.webhookId}`,
				body: { events: settings.events, isActive: true },
			});
			return true;
		}
		await deleteRegistration(this, client, `/webhooks/${state.webhookId}`);
		delete state.webhookId;
	}

	let created: IDataObject;
	try {
		({ body: created } = await client.request({
			method: 'POST',
			path: '/webhooks',
			body: { url: settings.url, events: settings.events, description: settings.mark },
			idempotencyKey: idempotencyKeyFor(undefined),
		}));
	} catch (error) {
		throw refusalToMessage(this, error, settings.url);
	}
	state.webhookId = String(created.id);
	if (typeof created.secret === 'string' && created.secret !== '') {
		state.webhookSecret = created.secret;
	} else if (!settings.secretProvided) {
		await deleteRegistration(this, client, `/webhooks/${state.webhookId}`);
		delete state.webhookId;
		throw new NodeOperationError(this.getNode(), 'Awardee did not return the webhook’s signing secret', {
			description:
				'Create the webhook in the Awardee dashboard (Settings → Webhooks), copy its signing secret (whsec_…) into this trigger’s Signing Secret option and activate again.',
		});
	}
	return true;
}

/** Awardee's `/webhooks` API: create, adopt only this node's own, update in place, delete only its own. */
export const awardeeWebhookApi: WebhookLifecycle = {
	checkExists,
	create,
	/** Deletes only the webhook this node registered; the local record is cleared either way. */
	async delete(this: IHookFunctions) {
		return await removeRegistration(this, awardeeClient(this), (webhookId) => `/webhooks/${webhookId}`);
	},
};
