import { createHash } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isPlainObject } from '../../shared/normalize';
import type { ApiClient } from '../../shared/transport/client';
import type { WebhookLifecycle } from '../../shared/webhook/strategies';
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
import { listAll, ONCEHUB_PRODUCTION_HOST, onceHubClient } from '../transport';

interface Settings extends RegistrationSettings {
	/** The mark plus a short hash of the URL: OnceHub wants names unique, and a node's test and production URLs differ. */
	name: string;
}

function readSettings(ctx: IHookFunctions): Settings {
	const settings = readRegistrationSettings(ctx);
	return { ...settings, name: `${settings.mark} ${createHash('sha256').update(settings.url).digest('hex').slice(0, 8)}` };
}

/** Created by this node (for this URL or an earlier one). Anything else in the account is never touched. */
function carriesMark(webhook: IDataObject, settings: Settings): boolean {
	return typeof webhook.name === 'string' && (webhook.name === settings.mark || webhook.name.startsWith(`${settings.mark} `));
}

/** This node's registration for its current URL. */
function isOwn(webhook: IDataObject, settings: Settings): boolean {
	return webhook.name === settings.name && webhook.url === settings.url;
}

/** The create response carries the secret; the documents disagree on its name, so both are read. */
function secretOf(webhook: IDataObject): string | undefined {
	const secret = webhook.secret ?? webhook.signing_secret;
	return typeof secret === 'string' && secret !== '' ? secret : undefined;
}

function hasStatus(error: unknown, httpCode: string): boolean {
	return error instanceof NodeApiError && error.httpCode === httpCode;
}

/** Takes over this node's own registration; it can serve as it is when the events match and a secret is known. */
function adopt(state: RegistrationState, webhook: IDataObject, settings: Settings): boolean {
	state.webhookId = String(webhook.id);
	const secret = secretOf(webhook);
	if (secret) state.webhookSecret = secret;
	return subscribesTo(webhook.events, settings.events) && (Boolean(state.webhookSecret) || settings.secretProvided);
}

/** Adopts this node's own webhook for the same URL and events when its secret is known; otherwise `create` replaces it. */
async function checkExists(this: IHookFunctions): Promise<boolean> {
	const settings = readSettings(this);
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const client = onceHubClient(this);
	if (state.webhookId) {
		const remote = await fetchRegistration(this, client, `/webhooks/${state.webhookId}`);
		if (remote && carriesMark(remote, settings)) {
			// Ours for another URL (n8n's address changed) stays recorded, so that `create` deletes it.
			return isOwn(remote, settings) ? adopt(state, remote, settings) : false;
		}
		forgetRegistration(state);
	}
	const webhooks = await listAll(client, '/webhooks', { returnAll: true });
	const own = webhooks.find((webhook) => isOwn(webhook, settings));
	return own ? adopt(state, own, settings) : false;
}

async function postWebhook(client: ApiClient, settings: Settings): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'POST',
		path: '/webhooks',
		body: { url: settings.url, name: settings.name, events: settings.events },
	});
	return body;
}

/**
 * OnceHub answered 409: a webhook already has this node's name. It is adopted when it is this node's own
 * (same URL) and usable as it is, replaced when it is its own but not usable, and never touched otherwise.
 */
async function resolveNameConflict(ctx: IHookFunctions, client: ApiClient, settings: Settings): Promise<IDataObject> {
	const webhooks = await listAll(client, '/webhooks', { returnAll: true });
	const holder = webhooks.find((webhook) => webhook.name === settings.name);
	if (holder && holder.url !== settings.url) {
		throw new NodeOperationError(ctx.getNode(), `A OnceHub webhook named "${settings.name}" already exists for another URL`, {
			description: `It sends to ${String(holder.url)}, so this trigger leaves it alone. Delete it in OnceHub (Account Integrations → APIs & Webhooks) if it is no longer needed, then activate again.`,
		});
	}
	if (holder && subscribesTo(holder.events, settings.events) && (secretOf(holder) || settings.secretProvided)) return holder;
	if (holder) await deleteRegistration(ctx, client, `/webhooks/${String(holder.id)}`);
	return await postWebhook(client, settings);
}

function refusalToMessage(ctx: IHookFunctions, error: unknown, url: string): unknown {
	const details = error instanceof NodeApiError ? error.errorResponse?.details : undefined;
	if (hasStatus(error, '400') && isPlainObject(details) && details.param === 'url') {
		return publicUrlRequiredError(ctx, 'OnceHub', url);
	}
	return error;
}

async function register(ctx: IHookFunctions, client: ApiClient, settings: Settings): Promise<IDataObject> {
	try {
		return await postWebhook(client, settings);
	} catch (error) {
		if (hasStatus(error, '409')) return await resolveNameConflict(ctx, client, settings);
		throw refusalToMessage(ctx, error, settings.url);
	}
}

/** OnceHub has no webhook update: a registration that differs is deleted first, then created anew. */
async function create(this: IHookFunctions): Promise<boolean> {
	const settings = readSettings(this);
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const client = onceHubClient(this);
	if (!isPublicHttpsUrl(settings.url) && pointsAtHost(await client.baseUrl(), ONCEHUB_PRODUCTION_HOST)) {
		throw publicUrlRequiredError(this, 'OnceHub', settings.url);
	}
	if (state.webhookId) {
		await deleteRegistration(this, client, `/webhooks/${state.webhookId}`);
		forgetRegistration(state);
	}
	const webhook = await register(this, client, settings);
	state.webhookId = String(webhook.id);
	const secret = secretOf(webhook);
	if (secret) {
		state.webhookSecret = secret;
	} else if (!settings.secretProvided) {
		await deleteRegistration(this, client, `/webhooks/${state.webhookId}`);
		forgetRegistration(state);
		throw new NodeOperationError(this.getNode(), 'OnceHub did not return the webhook’s signing secret', {
			description:
				'Create the webhook in OnceHub (Account Integrations → APIs & Webhooks) with this trigger’s URL, set Registration to Manual and paste the secret OnceHub shows into Options → Signing Secret.',
		});
	}
	return true;
}

/** OnceHub's `/webhooks` API: create, adopt only this node's own, replace what differs, delete only its own. */
export const onceHubWebhookApi: WebhookLifecycle = {
	checkExists,
	create,
	/** Deletes only the webhook this node registered; the local record is cleared either way. */
	async delete(this: IHookFunctions) {
		return await removeRegistration(this, onceHubClient(this), (webhookId) => `/webhooks/${webhookId}`);
	},
};
