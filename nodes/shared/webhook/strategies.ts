import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../execute';
import type { TriggerState } from './delivery';
import { isPublicHttpsUrl, publicUrlRequiredError } from './registration';

/** What n8n calls on activation (`checkExists`, then `create` when it said false) and deactivation. */
export interface WebhookLifecycle {
	checkExists(this: IHookFunctions): Promise<boolean>;
	create(this: IHookFunctions): Promise<boolean>;
	delete(this: IHookFunctions): Promise<boolean>;
}

interface SecretOptions {
	signingSecret?: string;
	verifySignatures?: boolean;
}

function readSecretOptions(ctx: IHookFunctions): SecretOptions {
	return ctx.getNodeParameter('options', {}) as SecretOptions;
}

/**
 * Manual registration: the user sets the URL up in the vendor's dashboard, so nothing is registered or
 * removed. For a vendor that signs, activation needs the pasted secret (or verification turned off
 * explicitly): a trigger never silently accepts unsigned deliveries.
 */
export function manualRegistration(spec: { signed: boolean; whereToFindSecret?: string }): WebhookLifecycle {
	return {
		async checkExists(this: IHookFunctions) {
			const options = readSecretOptions(this);
			if (spec.signed && !options.signingSecret && options.verifySignatures !== false) {
				throw new NodeOperationError(this.getNode(), 'Manual registration needs the webhook’s signing secret', {
					description: `${spec.whereToFindSecret ?? ''} Paste it into Options → Signing Secret.`.trim(),
				});
			}
			return true;
		},
		async create() {
			return true;
		},
		async delete() {
			return true;
		},
	};
}

/** The one webhook an account has: where it sends to, with what method, and (where the vendor says) its secret. */
export interface AccountWebhook {
	url: string;
	method: string;
	secret?: string;
}

/** How a vendor with one account-wide webhook reads and writes it. */
export interface AccountWebhookApi {
	vendorName: string;
	read(ctx: IHookFunctions): Promise<AccountWebhook>;
	/** Writes the account's webhook URL and method, leaving everything else on the account as it was. */
	write(ctx: IHookFunctions, target: { url: string; method: string }): Promise<void>;
	/** The HTTP method the trigger's webhook listens on. */
	method: string;
	/** Whether deliveries are signed: then a secret must be known before anything is written. */
	signed: boolean;
	/** Whether the vendor only delivers to public https URLs, when the credential points at production. */
	requiresPublicUrl?(ctx: IHookFunctions): Promise<boolean>;
	/** Said when the account gives no secret and none was pasted. */
	missingSecretHelp?: string;
}

/** What a take-over remembers in the node's static data, to give the account back on deactivation. */
interface TakeoverState extends TriggerState {
	previousUrl?: string;
	previousMethod?: string;
	takenOver?: boolean;
}

/**
 * The n8n production URL prefix of this trigger (`https://n8n.example.com/webhook/`): another trigger of
 * the same n8n has a URL with the same origin and prefix.
 */
function webhookPrefix(ctx: IHookFunctions, url: string): string | undefined {
	const webhookId = ctx.getNode().webhookId;
	const at = webhookId ? url.indexOf(`/${webhookId}`) : -1;
	return at > 0 ? url.slice(0, at + 1) : undefined;
}

/**
 * Account-webhook take-over, for a vendor with one webhook URL per account. Activation reads the account's
 * webhook, keeps the previous URL and method in static data and writes the trigger's own; a second
 * activation writes nothing. Activation refuses, writing nothing, when the account points at another
 * trigger of this n8n. Deactivation restores the previous webhook only while the account still points at
 * this trigger: a change someone made meanwhile is left alone.
 */
export function accountWebhookTakeover(api: AccountWebhookApi): WebhookLifecycle {
	return {
		async checkExists(this: IHookFunctions) {
			const url = this.getNodeWebhookUrl('default') ?? '';
			const state = this.getWorkflowStaticData('node') as TakeoverState;
			const current = await api.read(this);
			if (current.url === url) {
				if (current.secret) state.webhookSecret = current.secret;
				return state.takenOver === true && (!api.signed || Boolean(state.webhookSecret) || hasOwnSecret(this));
			}
			const prefix = webhookPrefix(this, url);
			if (prefix && current.url.startsWith(prefix)) {
				throw new NodeOperationError(this.getNode(), `The ${api.vendorName} account webhook already points at another n8n trigger`, {
					description: `It sends to ${current.url}. Deactivate the workflow of that trigger (or set its Registration to Manual) first, then activate this one again; this trigger changes nothing meanwhile.`,
				});
			}
			return false;
		},
		async create(this: IHookFunctions) {
			const url = this.getNodeWebhookUrl('default') ?? '';
			const state = this.getWorkflowStaticData('node') as TakeoverState;
			if (!isPublicHttpsUrl(url) && (await api.requiresPublicUrl?.(this))) {
				throw publicUrlRequiredError(this, api.vendorName, url);
			}
			const current = await api.read(this);
			if (api.signed && !current.secret && !hasOwnSecret(this)) {
				throw new NodeOperationError(this.getNode(), `${api.vendorName} gave no webhook secret for this account`, {
					description: api.missingSecretHelp ?? 'Paste the signing secret into Options → Signing Secret, then activate again.',
				});
			}
			if (current.url !== url) {
				state.previousUrl = current.url;
				state.previousMethod = current.method;
				await api.write(this, { url, method: api.method });
			}
			if (current.secret) state.webhookSecret = current.secret;
			state.takenOver = true;
			return true;
		},
		async delete(this: IHookFunctions) {
			const url = this.getNodeWebhookUrl('default') ?? '';
			const state = this.getWorkflowStaticData('node') as TakeoverState;
			if (!state.takenOver) return true;
			try {
				const current = await api.read(this);
				if (current.url === url) {
					await api.write(this, { url: state.previousUrl ?? '', method: state.previousMethod ?? '' });
				}
				return true;
			} catch (error) {
				this.logger.warn(`${this.getNode().name}: could not give the ${api.vendorName} account webhook back: ${asNodeError(this.getNode(), error).message}`);
				return false;
			} finally {
				delete state.previousUrl;
				delete state.previousMethod;
				delete state.takenOver;
				delete state.webhookSecret;
			}
		},
	};
}

function hasOwnSecret(ctx: IHookFunctions): boolean {
	const options = readSecretOptions(ctx);
	return Boolean(options.signingSecret) || options.verifySignatures === false;
}

/** Picks the lifecycle of the node's `registration` option. */
export function byRegistrationMode(modes: Record<string, WebhookLifecycle>, defaultMode: string): WebhookLifecycle {
	const pick = (ctx: IHookFunctions) => {
		const mode = ctx.getNodeParameter('registration', defaultMode) as string;
		const lifecycle = modes[mode];
		if (!lifecycle) throw new NodeOperationError(ctx.getNode(), `Unknown registration mode "${mode}"`);
		return lifecycle;
	};
	return {
		async checkExists(this: IHookFunctions) {
			return await pick(this).checkExists.call(this);
		},
		async create(this: IHookFunctions) {
			return await pick(this).create.call(this);
		},
		async delete(this: IHookFunctions) {
			return await pick(this).delete.call(this);
		},
	};
}

