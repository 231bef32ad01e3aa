import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { deliveryGuard, eventKeysOf, rememberInStaticData } from './dedupe';
import type { DeliveryDialect } from './delivery';
import { guardScope, receiveDelivery } from './delivery';
import type { WebhookLifecycle } from './strategies';
import { byRegistrationMode } from './strategies';
import { safeEqual } from './signature';

/**
 * A vendor that checks its webhook URL with a GET before it delivers: the request carries a challenge
 * and the verify token the user set in the vendor's dashboard; the answer echoes the challenge.
 */
export interface Handshake {
	/** Query parameter names, in the vendor's words. */
	challengeParameter: string;
	tokenParameter: string;
}

export interface WebhookTriggerSpec {
	delivery: DeliveryDialect;
	/** One lifecycle per value of the node's `registration` option. */
	registration: Record<string, WebhookLifecycle>;
	defaultRegistration: string;
	/** The HTTP method deliveries arrive with; POST unless the vendor lets the user choose. */
	deliveryMethod?: 'POST' | 'PUT';
	handshake?: Handshake;
	/** The clock deliveries are checked and stamped with (milliseconds since the epoch). */
	now?: () => number;
}

export interface WebhookTrigger {
	webhooks: IWebhookDescription[];
	webhookMethods: { default: WebhookLifecycle };
	webhook(this: IWebhookFunctions): Promise<IWebhookResponseData>;
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/**
 * What the trigger node does inside the execution its delivery started: it hands its items on unchanged, as
 * n8n does for a webhook node without `execute`, and records their event keys in the node's static data.
 * In regular mode n8n 2.41.1 saves static data changed during an execution when the execution ends, over the
 * copy the execution read when it started, which may be from before the request's own save of these keys
 * landed: recording them again here keeps them in the window whichever save comes last.
 *
 * A queue worker of n8n 2.41.1 runs the execution over empty static data (the execution's stored workflow has
 * none) and its save replaces the workflow's whole static data: a write there would wipe the registration.
 * So the keys are written only into a copy that carries the mark activation leaves (`ACTIVATION_MARK`), that
 * is, a copy n8n read from its database. Nothing is written when every key is already there.
 */
export function recordExecutedEvents(ctx: IExecuteFunctions, now: () => number = Date.now): INodeExecutionData[][] {
	const items = ctx.getInputData();
	const state = ctx.getWorkflowStaticData('node');
	const keys = eventKeysOf(items);
	if (keys.length > 0 && state[ACTIVATION_MARK] === true) rememberInStaticData(state, keys, now());
	return [items];
}

/**
 * Left in the node's static data by activation (n8n saves it then), so that a copy of static data read from
 * n8n's database can be told from the empty one a queue worker starts from.
 */
export const ACTIVATION_MARK = 'activated';

function markActivated(ctx: IHookFunctions): void {
	const state = ctx.getWorkflowStaticData('node');
	if (state[ACTIVATION_MARK] !== true) state[ACTIVATION_MARK] = true;
}

function answerHandshake(ctx: IWebhookFunctions, handshake: Handshake): IWebhookResponseData {
	const query = ctx.getQueryData() as IDataObject;
	const expected = (ctx.getNodeParameter('options', {}) as IDataObject).verifyToken;
	const token = query[handshake.tokenParameter];
	const challenge = query[handshake.challengeParameter];
	const response = ctx.getResponseObject();
	if (typeof expected !== 'string' || expected === '' || typeof token !== 'string' || !safeEqual(expected, token) || typeof challenge !== 'string') {
		ctx.logger.warn(`${ctx.getNode().name}: verification request refused (verify token missing or wrong)`);
		response.status(403).json({ error: 'forbidden' });
		return { noWebhookResponse: true };
	}
	response.status(200).type('text/plain').send(challenge);
	return { noWebhookResponse: true };
}

/**
 * The wiring every webhook trigger shares: n8n's webhook descriptions (a GET for the vendor's handshake,
 * where it has one), the lifecycle of the chosen registration mode, and the delivery pipeline. Activation
 * and deactivation start the node's in-process de-duplication window afresh.
 */
export function webhookTrigger(spec: WebhookTriggerSpec): WebhookTrigger {
	const lifecycle = byRegistrationMode(spec.registration, spec.defaultRegistration);
	// 'noData': n8n answers an accepted delivery with an empty 200 (its default would send the text "firstEntryJson").
	const webhooks: IWebhookDescription[] = [
		{ name: 'default', httpMethod: spec.deliveryMethod ?? 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' },
	];
	if (spec.handshake) webhooks.push({ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' });
	const handshake = spec.handshake;
	return {
		webhooks,
		webhookMethods: {
			default: {
				async checkExists(this: IHookFunctions) {
					deliveryGuard.forget(guardScope(this));
					markActivated(this);
					return await lifecycle.checkExists.call(this);
				},
				async create(this: IHookFunctions) {
					return await lifecycle.create.call(this);
				},
				async delete(this: IHookFunctions) {
					deliveryGuard.forget(guardScope(this));
					return await lifecycle.delete.call(this);
				},
			},
		},
		async webhook(this: IWebhookFunctions) {
			if (handshake && this.getWebhookName() === 'setup') return answerHandshake(this, handshake);
			return receiveDelivery(this, spec.delivery, spec.now);
		},
		async execute(this: IExecuteFunctions) {
			return recordExecutedEvents(this, spec.now);
		},
	};
}
