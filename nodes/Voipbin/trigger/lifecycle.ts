import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/execute';
import type { TriggerState } from '../../shared/webhook/delivery';
import { isPublicHttpsUrl, pointsAtHost, publicUrlRequiredError } from '../../shared/webhook/registration';
import type { AccountWebhook, WebhookLifecycle } from '../../shared/webhook/strategies';
import { accountWebhookTakeover } from '../../shared/webhook/strategies';
import { VOIPBIN_PRODUCTION_HOST, voipbinClient } from '../transport';

/** The members `PUT /customer` requires, all of them: it replaces the customer's settings as a whole. */
const CUSTOMER_MEMBERS = ['name', 'detail', 'email', 'phone_number', 'address', 'webhook_method', 'webhook_uri'];

/** The method the trigger's webhook listens on, and so the one it sets. */
const DELIVERY_METHOD = 'POST';

const MISSING_SECRET_HELP =
	'VoIPbin signs deliveries only when the customer has a webhook secret. Paste the secret into Options → Signing Secret, or turn Verify Signatures off (anyone who knows the URL could then start the workflow).';

/** What the last `GET /customer` of one activation or deactivation read, so that the write sends it back. */
const lastRead = new WeakMap<IHookFunctions, IDataObject>();

async function readCustomer(ctx: IHookFunctions): Promise<IDataObject> {
	try {
		const { body } = await voipbinClient(ctx).request({ method: 'GET', path: '/customer' });
		lastRead.set(ctx, body);
		return body;
	} catch (error) {
		throw asNodeError(ctx.getNode(), error);
	}
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function accountWebhookOf(customer: IDataObject): AccountWebhook {
	const secret = text(customer.webhook_secret);
	return { url: text(customer.webhook_uri), method: text(customer.webhook_method), secret: secret === '' ? undefined : secret };
}

/**
 * `PUT /customer` with all seven members: the ones just read (a member VoIPbin left out because it is empty
 * is sent as ""), with the webhook URL and method replaced.
 */
async function writeAccountWebhook(ctx: IHookFunctions, target: { url: string; method: string }): Promise<void> {
	const customer = lastRead.get(ctx) ?? (await readCustomer(ctx));
	const body: IDataObject = {};
	for (const member of CUSTOMER_MEMBERS) body[member] = text(customer[member]);
	body.webhook_uri = target.url;
	body.webhook_method = target.method;
	try {
		await voipbinClient(ctx).request({ method: 'PUT', path: '/customer', body });
	} catch (error) {
		throw asNodeError(ctx.getNode(), error);
	}
}

async function againstProduction(ctx: IHookFunctions): Promise<boolean> {
	return pointsAtHost(await voipbinClient(ctx).baseUrl(), VOIPBIN_PRODUCTION_HOST);
}

/** VoIPbin never calls a private or loopback address: against its production API such a URL is refused at once. */
async function refuseUnreachableUrl(ctx: IHookFunctions): Promise<void> {
	const url = ctx.getNodeWebhookUrl('default') ?? '';
	if (!isPublicHttpsUrl(url) && (await againstProduction(ctx))) throw publicUrlRequiredError(ctx, 'VoIPbin', url);
}

const takeover = accountWebhookTakeover({
	vendorName: 'VoIPbin',
	method: DELIVERY_METHOD,
	signed: true,
	read: async (ctx) => accountWebhookOf(await readCustomer(ctx)),
	write: writeAccountWebhook,
	requiresPublicUrl: againstProduction,
	missingSecretHelp: MISSING_SECRET_HELP,
});

/**
 * Take over the account webhook: the shared take-over (previous URL and method kept and given back while the
 * customer still points here; refusal when another trigger of this n8n holds it), refusing an unreachable URL
 * before it reads anything.
 */
export const voipbinTakeover: WebhookLifecycle = {
	async checkExists(this: IHookFunctions) {
		await refuseUnreachableUrl(this);
		return await takeover.checkExists.call(this);
	},
	create: takeover.create,
	delete: takeover.delete,
};

interface SecretOptions {
	signingSecret?: string;
	verifySignatures?: boolean;
}

/**
 * Manual registration: the user sets the trigger's URL as the customer's webhook; activation writes nothing at
 * VoIPbin. Without a pasted secret it reads the customer's `webhook_secret` (a read changes nothing) and keeps
 * it in static data; with neither, it refuses unless verification is off.
 */
export const voipbinManual: WebhookLifecycle = {
	async checkExists(this: IHookFunctions) {
		const options = this.getNodeParameter('options', {}) as SecretOptions;
		const state = this.getWorkflowStaticData('node') as TriggerState;
		if (options.signingSecret || options.verifySignatures === false) return true;
		const { secret } = accountWebhookOf(await readCustomer(this));
		if (!secret) {
			throw new NodeOperationError(this.getNode(), 'VoIPbin gave no webhook secret for this account', { description: MISSING_SECRET_HELP });
		}
		state.webhookSecret = secret;
		return true;
	},
	async create() {
		return true;
	},
	async delete(this: IHookFunctions) {
		delete (this.getWorkflowStaticData('node') as TriggerState).webhookSecret;
		return true;
	},
};
