import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../transport/client';
import type { RegistrationSettings, RegistrationState } from './registration';
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
} from './registration';
import type { WebhookLifecycle } from './strategies';

/** How a vendor with a webhook API (create, read, list, delete; maybe update) is driven. */
export interface WebhookApi {
	vendorName: string;
	client(ctx: IHookFunctions): ApiClient;
	/** The vendor's production API host: there a URL that is not public https is refused before any request. */
	productionHost: string;
	/** The collection path (`/webhooks`); a webhook lives at `<path>/<id>`. */
	path: string;
	list(client: ApiClient): Promise<IDataObject[]>;
	/** The vendor's name/description field that carries the registration's label. */
	labelField: string;
	/** The label for this node and URL; by default the node's mark. */
	label?(settings: RegistrationSettings): string;
	/** The create body besides url, events and label (some vendors take more). */
	createBody?(settings: RegistrationSettings): IDataObject;
	/** An idempotency key for the create call, where the vendor supports one. */
	createIdempotencyKey?(): string;
	/** The body of an update that keeps the secret; without it, a registration that differs is replaced. */
	updateBody?(settings: RegistrationSettings): IDataObject;
	/** The secret of a webhook as the vendor answers it (create, and where it shows it, read and list). */
	secretOf(webhook: IDataObject): string | undefined;
	/** Whether a webhook is paused, where the vendor can pause one. */
	isPaused?(webhook: IDataObject): boolean;
	/** The vendor wants labels unique and answers a second one with 409. */
	uniqueLabels?: boolean;
	/** Whether an error of the create call is the vendor refusing the URL. */
	isUrlRefusal(error: unknown): boolean;
	/** Where users manage webhooks in the vendor's dashboard, named in messages. */
	dashboardPlace?: string;
	/** Said when the vendor returns no secret and none was pasted. */
	missingSecretHelp: string;
}

/**
 * Registration through a vendor's webhook API, for every vendor that has one. Activation adopts only a
 * webhook with this node's label and URL (a hand-made one is never touched), updates or replaces its own
 * when it differs, and creates one otherwise; deactivation deletes only the webhook this node registered.
 */
export function webhookApiRegistration(api: WebhookApi): WebhookLifecycle {
	const labelOf = (settings: RegistrationSettings) => api.label?.(settings) ?? settings.mark;
	/** Created by this node, for this URL or an earlier one. */
	const carriesMark = (webhook: IDataObject, settings: RegistrationSettings) => {
		const label = webhook[api.labelField];
		return typeof label === 'string' && (label === settings.mark || label.startsWith(`${settings.mark} `));
	};
	const isOwn = (webhook: IDataObject, settings: RegistrationSettings) =>
		webhook[api.labelField] === labelOf(settings) && webhook.url === settings.url;
	const itemPath = (id: string) => `${api.path}/${id}`;

	/** Takes over this node's own webhook; it serves as it is when events match, it runs and a secret is known. */
	function adopt(state: RegistrationState, webhook: IDataObject, settings: RegistrationSettings): boolean {
		state.webhookId = String(webhook.id);
		const secret = api.secretOf(webhook);
		if (secret) state.webhookSecret = secret;
		const secretKnown = Boolean(state.webhookSecret) || settings.secretProvided;
		return secretKnown && subscribesTo(webhook.events, settings.events) && !api.isPaused?.(webhook);
	}

	async function post(client: ApiClient, settings: RegistrationSettings): Promise<IDataObject> {
		const { body } = await client.request({
			method: 'POST',
			path: api.path,
			body: { url: settings.url, events: settings.events, [api.labelField]: labelOf(settings), ...api.createBody?.(settings) },
			idempotencyKey: api.createIdempotencyKey?.(),
		});
		return body;
	}

	/** A webhook already has this node's label: adopted when it is its own and usable, replaced when it is its own. */
	async function resolveLabelConflict(ctx: IHookFunctions, client: ApiClient, settings: RegistrationSettings): Promise<IDataObject> {
		const label = labelOf(settings);
		const holder = (await api.list(client)).find((webhook) => webhook[api.labelField] === label);
		if (holder && holder.url !== settings.url) {
			throw new NodeOperationError(ctx.getNode(), `A ${api.vendorName} webhook named "${label}" already exists for another URL`, {
				description: `It sends to ${String(holder.url)}, so this trigger leaves it alone. Delete it in ${api.vendorName}${api.dashboardPlace ? ` (${api.dashboardPlace})` : ''} if it is no longer needed, then activate again.`,
			});
		}
		if (holder && subscribesTo(holder.events, settings.events) && (api.secretOf(holder) || settings.secretProvided)) return holder;
		if (holder) await deleteRegistration(ctx, client, itemPath(String(holder.id)));
		return await post(client, settings);
	}

	async function register(ctx: IHookFunctions, client: ApiClient, settings: RegistrationSettings): Promise<IDataObject> {
		try {
			return await post(client, settings);
		} catch (error) {
			if (api.uniqueLabels && error instanceof NodeApiError && error.httpCode === '409') {
				return await resolveLabelConflict(ctx, client, settings);
			}
			throw api.isUrlRefusal(error) ? publicUrlRequiredError(ctx, api.vendorName, settings.url) : error;
		}
	}

	return {
		async checkExists(this: IHookFunctions) {
			const settings = readRegistrationSettings(this);
			const state = this.getWorkflowStaticData('node') as RegistrationState;
			const client = api.client(this);
			if (state.webhookId) {
				const stored = await fetchRegistration(this, client, itemPath(state.webhookId));
				if (stored && carriesMark(stored, settings)) {
					// Its own for another URL (n8n's address changed) stays recorded, so that `create` replaces it.
					return isOwn(stored, settings) ? adopt(state, stored, settings) : false;
				}
				forgetRegistration(state);
			}
			const own = (await api.list(client)).find((webhook) => isOwn(webhook, settings));
			return own ? adopt(state, own, settings) : false;
		},

		async create(this: IHookFunctions) {
			const settings = readRegistrationSettings(this);
			const state = this.getWorkflowStaticData('node') as RegistrationState;
			const client = api.client(this);
			if (!isPublicHttpsUrl(settings.url) && pointsAtHost(await client.baseUrl(), api.productionHost)) {
				throw publicUrlRequiredError(this, api.vendorName, settings.url);
			}
			if (state.webhookId) {
				// An update keeps the secret, so it is used when the secret is known; otherwise a new webhook
				// hands out a fresh one.
				if (api.updateBody && (state.webhookSecret || settings.secretProvided)) {
					try {
						await client.request({ method: 'PATCH', path: itemPath(state.webhookId), body: api.updateBody(settings) });
					} catch (error) {
						throw api.isUrlRefusal(error) ? publicUrlRequiredError(this, api.vendorName, settings.url) : error;
					}
					return true;
				}
				await deleteRegistration(this, client, itemPath(state.webhookId));
				forgetRegistration(state);
			}
			const webhook = await register(this, client, settings);
			state.webhookId = String(webhook.id);
			const secret = api.secretOf(webhook);
			if (secret) {
				state.webhookSecret = secret;
			} else if (!settings.secretProvided) {
				await deleteRegistration(this, client, itemPath(state.webhookId));
				forgetRegistration(state);
				throw new NodeOperationError(this.getNode(), `${api.vendorName} did not return the webhook’s signing secret`, {
					description: api.missingSecretHelp,
				});
			}
			return true;
		},

		/** Deletes only the webhook this node registered; the local record is cleared either way. */
		async delete(this: IHookFunctions) {
			return await removeRegistration(this, api.client(this), itemPath);
		},
	};
}
