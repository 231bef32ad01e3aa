import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ConversationEvent } from '../types';
import { utcIsoOf } from '../utcIso';
import { deliveryGuard, eventKey, rememberInStaticData, seenInStaticData } from './dedupe';
import type { SignatureFailureReason, SignatureScheme } from './signature';
import { verifySignature } from './signature';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/** One request as the pipeline sees it: the raw bytes (read once), the parsed body and the headers. */
export interface ReceivedDelivery {
	rawBody: Buffer | undefined;
	body: unknown;
	/** A request header by its lower-case name; the first value when it was sent twice. */
	header(name: string): string | undefined;
}

/** One event of a delivery; a POST may carry several. */
export interface VendorEvent {
	/** The vendor's event name, as the trigger's `events` option lists it. */
	type: string;
	body: IDataObject;
	/**
	 * The vendor's id of this event. Without one, the delivery id stands in for the only event of a delivery,
	 * else a hash of the event's type and body.
	 */
	id?: string;
}

/** Why a delivery was refused; logged, never sent to the caller. */
export type DeliveryRefusalReason =
	| SignatureFailureReason
	| 'body is not JSON'
	| 'body is not an event'
	| 'event header contradicts the signed body';

/** What a vendor's normalizer gets besides the event. */
export interface EventContext {
	eventId: string;
	/** The vendor's id of the whole delivery, when it sends one. */
	deliveryId: string | null;
	signatureVerified: boolean | null;
	receivedAt: string;
	includeRaw: boolean;
}

/**
 * What a vendor gives the shared pipeline: data (its signature scheme, where its secret comes from) and
 * small functions (split a body into events, find ids, recognise its own messages, normalize).
 */
export interface DeliveryDialect {
	signature: SignatureScheme;
	/**
	 * Which secret wins when both are known: the one kept in static data at registration (the vendor
	 * handed it out when the webhook was created) or the one pasted into Options → Signing Secret.
	 */
	preferredSecret: 'registered' | 'pasted';
	/** The id of the whole delivery when the vendor sends one the signature does not cover (a header). */
	deliveryId?(delivery: ReceivedDelivery): string | undefined;
	/** The events a delivery carries, or why it cannot be one (answered 400). */
	events(delivery: ReceivedDelivery): VendorEvent[] | { refuse: DeliveryRefusalReason };
	/** The loop guard: events the package itself caused, dropped while `ignoreOwnMessages` is on. */
	isOwnMessage?(event: VendorEvent): boolean;
	normalize(event: VendorEvent, context: EventContext): ConversationEvent;
}

/** The trigger's settings, read once per delivery. */
interface DeliveryOptions {
	events: string[];
	verifySignatures: boolean;
	signingSecret: string | undefined;
	replayWindowSeconds: number;
	includeRaw: boolean;
	ignoreOwnMessages: boolean;
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(containsExpression);
	return false;
}

/**
 * A parameter as n8n resolves it. n8n copies, resolves and validates a parameter on every read; most trigger
 * settings are plain values, which are read as they are (never changed here), and only an expression is
 * resolved.
 */
function readParameter<T>(ctx: IWebhookFunctions, name: string, fallback: T): T {
	const raw = ctx.getNodeParameter(name, fallback, { rawExpressions: true }) as T;
	return containsExpression(raw) ? (ctx.getNodeParameter(name, fallback) as T) : raw;
}

function readDeliveryOptions(ctx: IWebhookFunctions, dialect: DeliveryDialect): DeliveryOptions {
	const options = readParameter<IDataObject>(ctx, 'options', {});
	return {
		events: readParameter<string[]>(ctx, 'events', []),
		verifySignatures: options.verifySignatures !== false,
		signingSecret: typeof options.signingSecret === 'string' && options.signingSecret !== '' ? options.signingSecret : undefined,
		replayWindowSeconds: Number(options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS),
		includeRaw: options.includeRaw === true,
		ignoreOwnMessages: dialect.isOwnMessage !== undefined && readParameter<unknown>(ctx, 'ignoreOwnMessages', true) !== false,
	};
}

/** A request header by its lower-case name, from the headers n8n parsed; the first value when it was sent twice. */
function headerOf(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? (value[0] as string | undefined) : (value as string | undefined);
}

/** What a trigger remembers in the node's static data: its registration and the de-duplication window. */
export interface TriggerState extends IDataObject {
	webhookId?: string;
	webhookSecret?: string;
}

/** The in-process guard's scope: one trigger node of one workflow. */
export function guardScope(ctx: { getWorkflow(): { id?: string }; getNode(): { id: string } }): string {
	return `${ctx.getWorkflow().id ?? 'workflow'}/${nodeIdOf(ctx)}`;
}

/**
 * The node's id. `getNode()` deep-copies the whole node, parameters included, on every call: n8n-core's
 * execution contexts (NodeExecutionContext, n8n 1.x and 2.x) hold the node itself as `node`, which is read
 * instead where it is there; anything else is asked through `getNode()`.
 */
function nodeIdOf(ctx: { getNode(): { id: string } }): string {
	const held = (ctx as { node?: { id?: unknown } }).node;
	return typeof held === 'object' && held !== null && typeof held.id === 'string' ? held.id : ctx.getNode().id;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The last secrets' key prefixes: one hash per secret, not one per delivery. */
const secretPrefixes = new Map<string, string>();
const MAX_SECRET_PREFIXES = 64;

function keyPrefixOf(secret: string | undefined): string {
	if (!secret) return 'unsigned:';
	let prefix = secretPrefixes.get(secret);
	if (prefix === undefined) {
		if (secretPrefixes.size >= MAX_SECRET_PREFIXES) secretPrefixes.clear();
		prefix = `${sha256(secret).slice(0, 12)}:`;
		secretPrefixes.set(secret, prefix);
	}
	return prefix;
}

function refuse(ctx: IWebhookFunctions, status: 400 | 401, reason: DeliveryRefusalReason): IWebhookResponseData {
	ctx.logger.warn(`${ctx.getNode().name}: delivery refused (${reason})`);
	ctx.getResponseObject().status(status).json({ error: status === 401 ? 'unauthorized' : 'bad request' });
	return { noWebhookResponse: true };
}

/** Seconds a vendor is asked to wait before it sends a delivery again that arrived before the secret was saved. */
export const SECRET_PENDING_RETRY_AFTER_SECONDS = 5;

/**
 * No secret is known yet: n8n serves the webhook's URL before the registration's secret is saved in static
 * data (it saves it after every webhook of the workflow is registered), and in queue mode a webhook processor
 * reads it only from the database. The vendor may already deliver in that gap. A 401 would make a vendor that
 * takes 4xx as delivered (VoIPbin) drop the event; a 503 with Retry-After is retried by every vendor that signs.
 */
function answerSecretPending(ctx: IWebhookFunctions): IWebhookResponseData {
	ctx.logger.warn(`${ctx.getNode().name}: delivery answered 503 (no signing secret known yet; the vendor is asked to retry)`);
	const response = ctx.getResponseObject();
	response.setHeader('Retry-After', String(SECRET_PENDING_RETRY_AFTER_SECONDS));
	response.status(503).json({ error: 'not ready', retryAfterSeconds: SECRET_PENDING_RETRY_AFTER_SECONDS });
	return { noWebhookResponse: true };
}

/** Answers an accepted delivery that must start no execution (a repeat, an own message, an unselected event). */
export function acknowledgeWithoutRun(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

/** Whether a Content-Type names JSON as n8n's body parser reads it: the media type alone, parameters aside. */
function isJsonContentType(contentType: string | undefined): boolean {
	if (contentType === undefined) return false;
	const end = contentType.indexOf(';');
	return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === 'application/json';
}

/**
 * The delivery's body, read from the bytes the signature was checked over. For `application/json`, n8n's
 * body parser has parsed exactly these bytes already (it keeps them as `rawBody`, `middlewares/body-parser.ts`
 * in n8n 2.41.1): that parse is taken instead of a second copy of the body per delivery.
 */
function parseBody(ctx: IWebhookFunctions, rawBody: Buffer | undefined, contentType: string | undefined): { body: unknown } | undefined {
	if (rawBody === undefined) return { body: ctx.getBodyData() };
	if (rawBody.length > 0 && isJsonContentType(contentType)) {
		const parsed: unknown = ctx.getBodyData();
		if (typeof parsed === 'object' && parsed !== null) return { body: parsed };
	}
	try {
		return { body: JSON.parse(rawBody.toString('utf8')) as unknown };
	} catch {
		return undefined;
	}
}

interface VerifiedSignature {
	/** Null when the vendor does not sign or the user turned verification off. */
	signatureVerified: boolean | null;
	/** The secret the delivery was verified with. */
	secret?: string;
	/** What the signature covers, as a de-duplication key, when it covers a timestamp. */
	signedContentKey?: string;
}

function checkSignature(
	ctx: IWebhookFunctions,
	dialect: DeliveryDialect,
	options: DeliveryOptions,
	state: TriggerState,
	rawBody: Buffer | undefined,
	header: (name: string) => string | undefined,
	now: () => number,
): VerifiedSignature | { refusal: IWebhookResponseData } {
	if (dialect.signature.kind === 'none' || !options.verifySignatures) return { signatureVerified: null };
	const [first, second] =
		dialect.preferredSecret === 'registered' ? [state.webhookSecret, options.signingSecret] : [options.signingSecret, state.webhookSecret];
	const secret = first ?? second;
	if (!secret) return { refusal: answerSecretPending(ctx) };
	const check = verifySignature(dialect.signature, {
		rawBody,
		header,
		secret,
		toleranceSeconds: options.replayWindowSeconds,
		nowSeconds: Math.floor(now() / 1000),
	});
	if (!check.valid) return { refusal: refuse(ctx, 401, check.reason) };
	// The verified HMAC of "<t>.<raw body>" under this secret (keys are kept per secret): what the signature covers.
	const signedContentKey = check.timestamp !== undefined && check.digest !== undefined ? `signed:${check.digest}` : undefined;
	return { signatureVerified: true, secret, signedContentKey };
}

/**
 * The one delivery pipeline of every webhook trigger: raw body read once → signature → parse → split into
 * events → drop unselected events → de-duplicate → loop guard → normalize → emit one item per event.
 *
 * A delivery is a repeat when its delivery id was seen, or when what its signature covers was seen (a
 * signed timestamp with the body: a replay under a new unsigned id); an event is a repeat when its event id
 * was seen. The body alone never makes a repeat, since a vendor may send one body for two events.
 *
 * Where the keys are kept: in the process (the delivery guard, which also catches concurrent copies), and in
 * the workflow's static data, which n8n 2.41.1 saves when the request is answered. An accepted delivery is
 * therefore answered here (`answerThenRun`), before n8n starts its execution: left to n8n, the answer would
 * go out after WorkflowRunner had reset static data's "changed" flag, and the keys would be lost (see
 * dedupe.ts). The trigger's `execute()` records the keys again inside the execution (`recordExecutedEvents`),
 * for the save n8n makes when the execution ends in regular mode.
 */
export function receiveDelivery(ctx: IWebhookFunctions, dialect: DeliveryDialect, now: () => number = Date.now): IWebhookResponseData {
	const options = readDeliveryOptions(ctx, dialect);
	const state = ctx.getWorkflowStaticData('node') as TriggerState;
	const rawBody = ctx.getRequestObject().rawBody as Buffer | undefined;
	const headers = ctx.getHeaderData() as IDataObject;
	const header = (name: string) => headerOf(headers, name);

	const signature = checkSignature(ctx, dialect, options, state, rawBody, header, now);
	if ('refusal' in signature) return signature.refusal;
	const { signatureVerified, secret, signedContentKey } = signature;

	const parsed = parseBody(ctx, rawBody, header('content-type'));
	if (!parsed) return refuse(ctx, 400, 'body is not JSON');
	const delivery: ReceivedDelivery = { rawBody, body: parsed.body, header };
	const events = dialect.events(delivery);
	if ('refuse' in events) return refuse(ctx, 400, events.refuse);

	const selected = events.filter((event) => options.events.includes(event.type));
	if (selected.length === 0) {
		return acknowledgeWithoutRun(`event ${events.map((event) => event.type).join(', ') || 'none'} not selected`);
	}

	const receivedAtMs = now();
	// Keys are per secret in the process: a delivery signed under another secret belongs to another registration.
	const scope = guardScope(ctx);
	const keyPrefix = keyPrefixOf(secret);
	const deliveryId = dialect.deliveryId?.(delivery) || null;
	// The process's keys carry the secret's prefix; each is built once and used for the lookup and the write.
	const deliveryKeys: string[] = [];
	if (deliveryId) deliveryKeys.push(`${keyPrefix}delivery:${deliveryId}`);
	if (signedContentKey !== undefined) deliveryKeys.push(keyPrefix + signedContentKey);

	// Without an id of its own, an event is known by its type and content, however many events its POST carried.
	const eventIdOf = (event: VendorEvent) =>
		event.id || (events.length === 1 ? deliveryId : null) || `sha256:${sha256(`${event.type}\n${JSON.stringify(event.body)}`)}`;
	const identified = selected.map((event) => {
		const eventId = eventIdOf(event);
		const key = eventKey(eventId);
		return { event, eventId, key, processKey: keyPrefix + key };
	});
	const acknowledgeRepeat = (reason: string) => {
		rememberInStaticData(state, identified.map(({ key }) => key), receivedAtMs);
		return acknowledgeWithoutRun(reason);
	};
	if (deliveryKeys.some((key) => deliveryGuard.seen(scope, key))) return acknowledgeRepeat('delivery already received');
	const fresh = identified.filter(({ key, processKey }) => !deliveryGuard.seen(scope, processKey) && !seenInStaticData(state, key, receivedAtMs));
	if (fresh.length === 0) return acknowledgeRepeat('event already received');

	const kept = fresh.filter(({ event }) => !(options.ignoreOwnMessages && dialect.isOwnMessage!(event)));
	if (kept.length === 0) return acknowledgeWithoutRun('posted through the API');

	for (const { processKey } of kept) deliveryKeys.push(processKey);
	deliveryGuard.remember(scope, deliveryKeys);
	// `fresh` found none of them in the window.
	rememberInStaticData(state, kept.map(({ key }) => key), receivedAtMs, undefined, true);

	const receivedAt = utcIsoOf(receivedAtMs);
	const items: INodeExecutionData[] = kept.map(({ event, eventId }) => ({
		json: dialect.normalize(event, { eventId, deliveryId, signatureVerified, receivedAt, includeRaw: options.includeRaw }) as unknown as IDataObject,
	}));
	return answerThenRun(ctx, items);
}

/**
 * Answers an accepted delivery with an empty 200 (what n8n's `responseData: 'noData'` would send) and hands
 * n8n the items to run. n8n 2.41.1 saves the static data a request wrote when the request is answered, and
 * it checks whether anything changed at that moment: answered here, the check comes before n8n's
 * WorkflowRunner builds its second `Workflow` over the same static data, which resets the flag. So the
 * delivery's keys are saved, in regular and in queue mode, and a repeat at any process is caught once the
 * save has landed. The cost: the vendor has its 200 before n8n has stored or queued the execution, so a
 * failure of n8n's own in that moment (its database or Redis gone) loses the event instead of answering 500.
 */
function answerThenRun(ctx: IWebhookFunctions, items: INodeExecutionData[]): IWebhookResponseData {
	ctx.getResponseObject().status(200).end();
	return { noWebhookResponse: true, workflowData: [items] };
}
