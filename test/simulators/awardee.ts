/**
 * Local simulator of the Awardee Conversations API (REST under /v1 in snake_case; signed camelCase webhooks),
 * following shared/vendors/awardee.md. Where that document says UNKNOWN, the choice made here is noted.
 */
import { createHmac, randomBytes, randomUUID } from 'crypto';
import { URL } from 'url';
import {
	Fault,
	postJson,
	RequestLogEntry,
	Router,
	SeededRandom,
	SimRequest,
	SimResponse,
	SimServer,
	startSimServer,
} from './http-sim';

const STATUSES = ['open', 'bot_active', 'agent_requested', 'resolved', 'closed', 'archived'] as const;
const PATCHABLE_STATUSES: readonly string[] = STATUSES.filter((status) => status !== 'bot_active');
const PRIORITIES = ['low', 'medium', 'high'] as const;
type ConversationStatus = (typeof STATUSES)[number];
type Priority = (typeof PRIORITIES)[number];

const WEBHOOK_EVENTS: readonly string[] = [
	'conversation.created', 'conversation.updated', 'message.created', 'page.submission.created',
	'submission.updated', 'qr_code.scanned', 'qr_code.updated', 'qr_group.created', 'qr_group.updated',
	'qr_group.deleted', 'product.scanned', 'product.created', 'product.updated', 'product.deleted',
	'object.scanned', 'object.created', 'object.updated', 'object.deleted', 'chatbot.created',
	'chatbot.updated', 'chatbot.deleted', 'article.created', 'article.updated', 'article.deleted',
	'article.published', 'article.unpublished', 'article.indexed', 'article.indexing_failed',
	'article_category.created', 'article_category.updated', 'article_category.deleted', 'member.invited',
	'member.joined', 'member.removed', 'member.role_changed', 'invitation.revoked',
];
const CONVERSATION_EVENTS = ['conversation.created', 'conversation.updated', 'message.created'];

export const DEFAULT_API_KEY = 'aw_live_4f8a3c7e2d1b9a5c6f8e3d2c1b4a9f7e';
/** The example secret from the signing docs; `signDelivery` uses it when no secret is given. */
export const EXAMPLE_WEBHOOK_SECRET = 'whsec_4f8a3c7e2d1b9a5c6f8e3d2c1b4a9f7e8a5f3c7e2d1b9a5c6f8e3d2c1b4a9f7e';
const TAKEOVER_MARKER = 'A team member has joined the conversation.';
const RESOLVED_MARKER = 'This conversation has been resolved.';
const API_SOURCE = { source: 'api' };
const MINUTE_MS = 60_000;
/** Error codes for a bare status (injected faults, paths outside /v1). */
const ERROR_CODES_BY_STATUS: Record<number, string> = {
	400: 'invalid_payload',
	404: 'not_found',
	429: 'rate_limited',
};
const PRNG_SEED = 0x5eed;

export interface Conversation {
	object: 'conversation';
	id: string;
	chatbot_id: string | null;
	status: ConversationStatus;
	priority: Priority;
	title: string | null;
	summary: string | null;
	sentiment_score: number | null;
	contact_email: string | null;
	contact_name: string | null;
	contact_phone: string | null;
	assigned_to: string | null;
	last_message_preview: string | null;
	last_message_at: string | null;
	resolved_at: string | null;
	closed_at: string | null;
	created_at: string;
	qr_code_id: string | null;
	product_id: string | null;
	object_id: string | null;
}
/** REST has no `updated_at`; it is kept for the webhook body's `updatedAt` and stripped from REST answers. */
export type StoredConversation = Conversation & { updated_at: string };

type ToolFields = Record<'tool_name' | 'tool_call_id' | 'tool_input' | 'tool_output' | 'tool_error_text', null>;
export interface MessagePart extends ToolFields {
	object: 'message_part';
	id: string;
	order: number;
	text: string | null;
	file_url: string | null;
	file_media_type: string | null;
	file_filename: string | null;
	created_at: string;
}
export type MessageRole = 'user' | 'assistant' | 'system';
export interface Message {
	object: 'message';
	id: string;
	conversation_id: string;
	role: MessageRole;
	metadata: { source: string } | null;
	parts: MessagePart[];
	created_at: string;
}
export interface NewMessage {
	role?: MessageRole;
	text?: string;
	metadata?: Message['metadata'];
}
export interface ConversationNote {
	object: 'conversation_note';
	id: string;
	conversation_id: string;
	author_id: string | null;
	content: string;
	created_at: string;
}
export interface ConversationTag {
	object: 'conversation_tag';
	id: string;
	name: string;
	color: string | null;
	created_at: string;
}
export interface WebhookEndpoint {
	object: 'webhook_endpoint';
	id: string;
	url: string;
	description: string | null;
	events: string[];
	is_active: boolean;
	created_at: string;
	updated_at: string;
}
export type StoredWebhook = WebhookEndpoint & { secret: string };
export interface TeamMember {
	id: string;
	user_id: string;
	first_name: string;
	last_name: string;
	avatar_url: string | null;
	role_id: string;
	role: string;
	joined_at: string;
	updated_at: string;
}

export interface AwardeeState {
	org: { id: string; name: string; slug: string };
	apiKeyId: string;
	chatbotId: string;
	conversations: Map<string, StoredConversation>;
	/** By conversation id, oldest first. */
	messages: Map<string, Message[]>;
	/** By conversation id, oldest first. */
	notes: Map<string, ConversationNote[]>;
	/** The org's tag palette, by tag id. */
	tags: Map<string, ConversationTag>;
	/** Tag ids assigned to each conversation, by conversation id. */
	conversationTags: Map<string, string[]>;
	webhooks: Map<string, StoredWebhook>;
	members: TeamMember[];
}

/** A `conversation.updated` diff: camelCase field name to its old and new value. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface DeliveryAttempt {
	webhookId: string | null;
	url: string;
	event: string;
	deliveryId: string;
	payload: object;
	/** The receiver's status; 0 for a network error or timeout. */
	status: number;
	responseBody: string;
}

export interface DeliveryResult {
	status: number;
	body: string;
}

export interface SignOptions {
	secret?: string;
	timestamp?: number;
	deliveryId?: string;
}

export interface SignedDelivery {
	headers: Record<string, string>;
	rawBody: string;
	body: object;
}

export interface AwardeeSimulatorOptions {
	port?: number;
	host?: string;
	apiKey?: string;
	/** Number of seeded conversations (default 5); `false` seeds no conversations and no tags. */
	seed?: boolean | number;
	now?: () => Date;
	/** Refuse webhook URLs that are not public https, as the real API does. Default false. */
	publicUrlsOnly?: boolean;
	/** Enforce a per-minute request budget (429 `rate_limited`). Default: not enforced. */
	rateLimitPerMinute?: number;
}

export function startAwardeeSimulator(options: AwardeeSimulatorOptions = {}): Promise<AwardeeSimulator> {
	return AwardeeSimulator.start(options);
}

class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: object,
	) {
		super(message);
	}
}

const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found.`);
const formError = (message: string) =>
	new ApiError(400, 'invalid_payload', message, { formErrors: [message], fieldErrors: {} });

/** Collects per-field problems and raises them as one 400 with the documented `details` shape. */
class FieldErrors {
	private readonly errors: Record<string, string[]> = {};

	constructor(private readonly code: 'invalid_payload' | 'invalid_query') {}

	add(field: string, problem: string): this {
		(this.errors[field] ??= []).push(problem);
		return this;
	}

	toError(): ApiError {
		const [field, [problem]] = Object.entries(this.errors)[0];
		const what = this.code === 'invalid_payload' ? 'Invalid request body' : 'Invalid query';
		const details = { formErrors: [], fieldErrors: this.errors };
		return new ApiError(400, this.code, `${what}: ${field} ${problem}`, details);
	}

	throwIfAny(): void {
		if (Object.keys(this.errors).length > 0) throw this.toError();
	}
}

/** The JSON object body, refusing fields the endpoint does not know (our choice: strict everywhere). */
function objectBody(request: SimRequest, allowedFields: string[]): Record<string, unknown> {
	const body = request.body;
	if (request.bodyIsMalformed || typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw formError('The request body must be a JSON object.');
	}
	const errors = new FieldErrors('invalid_payload');
	for (const field of Object.keys(body)) {
		if (!allowedFields.includes(field)) errors.add(field, 'is not a known field.');
	}
	errors.throwIfAny();
	return body as Record<string, unknown>;
}

const isNullableString = (value: unknown) => value === null || typeof value === 'string';
const restTime = (date: Date) => date.toISOString().replace(/Z$/, '+00:00');
const webhookTime = (value: string | null) => value && value.replace(/\+00:00$/, 'Z');
const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function readInteger(
	query: URLSearchParams,
	name: string,
	range: { min: number; max: number; fallback: number },
	errors: FieldErrors,
): number {
	const raw = query.get(name);
	if (raw === null) return range.fallback;
	const value = Number(raw);
	if (Number.isInteger(value) && value >= range.min && value <= range.max) return value;
	errors.add(name, `must be an integer from ${range.min} to ${range.max}.`);
	return range.fallback;
}

/** A comma-separated filter; `undefined` when absent. */
function readList(query: URLSearchParams, name: string, errors: FieldErrors, allowed?: readonly string[]) {
	const values = query.get(name)?.split(',').filter(Boolean);
	for (const value of values ?? []) {
		if (allowed && !allowed.includes(value)) errors.add(name, `has an unknown value "${value}".`);
	}
	return values?.length ? values : undefined;
}

interface CursorPosition {
	key: string;
	id: string;
}

function decodeCursor(cursor: string): CursorPosition {
	try {
		const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (typeof position.key === 'string' && typeof position.id === 'string') return position;
	} catch {
		// Not base64url JSON: refused below like any other foreign cursor.
	}
	throw new FieldErrors('invalid_query').add('cursor', 'is not a valid cursor.').toError();
}

type Order = 'newestFirst' | 'oldestFirst';

/** The listing order of positions: by sort key, then id, newest or oldest first. */
function positionOrder(order: Order): (a: CursorPosition, b: CursorPosition) => number {
	const direction = order === 'newestFirst' ? -1 : 1;
	return (a, b) => direction * (compareText(a.key, b.key) || compareText(a.id, b.id));
}

/** A cursor page's `limit` and the position its `cursor` names (none on the first page). */
function readCursorQuery(query: URLSearchParams): { limit: number; after: CursorPosition | undefined } {
	const errors = new FieldErrors('invalid_query');
	const limit = readInteger(query, 'limit', { min: 1, max: 100, fallback: 25 }, errors);
	errors.throwIfAny();
	const cursor = query.get('cursor');
	return { limit, after: cursor === null ? undefined : decodeCursor(cursor) };
}

interface Positioned<T> {
	item: T;
	position: CursorPosition;
}

/** The list body of a page: at most `limit` of `head` (in order), with a cursor after the last when more follow. */
function cursorListBody<T, R>(head: Array<Positioned<T>>, limit: number, hasMore: boolean, present: (item: T) => R) {
	const page = head.slice(0, limit);
	const lastPosition = page[page.length - 1]?.position;
	return {
		object: 'list',
		has_more: hasMore,
		next_cursor: hasMore ? Buffer.from(JSON.stringify(lastPosition)).toString('base64url') : null,
		data: page.map((entry) => present(entry.item)),
	};
}

/**
 * Cursor paging keyed on (sort key, id): items added or removed elsewhere never shift a later page. `present`
 * turns a stored item into what the API shows, for the page's items only.
 */
function cursorPage<T extends { id: string }, R = T>(
	items: T[],
	sortKey: (item: T) => string,
	order: Order,
	query: URLSearchParams,
	present: (item: T) => R = (item) => item as unknown as R,
) {
	const { limit, after } = readCursorQuery(query);
	const compare = positionOrder(order);
	// The first `limit + 1` items after the cursor, in order, kept sorted in one pass: a listing of n items in
	// pages of 100 then costs n per page, not a sort of all n (positions are distinct: ids are unique).
	const head: Array<Positioned<T>> = [];
	let remaining = 0;
	for (const item of items) {
		const position = { key: sortKey(item), id: item.id };
		if (after && compare(position, after) <= 0) continue;
		remaining += 1;
		if (head.length > limit && compare(position, head[limit].position) >= 0) continue;
		let at = head.length;
		while (at > 0 && compare(position, head[at - 1].position) < 0) at -= 1;
		head.splice(at, 0, { item, position });
		if (head.length > limit + 1) head.pop();
	}
	return cursorListBody(head, limit, remaining > limit, present);
}

/**
 * The same paging over items already in listing order (`positionOrder(order)`), as the conversations' index
 * holds them: the cursor is found by binary search, and the scan stops once `limit + 1` items matched.
 */
function indexedCursorPage<T, R>(
	ordered: Array<Positioned<T>>,
	order: Order,
	matches: (item: T) => boolean,
	query: URLSearchParams,
	present: (item: T) => R,
) {
	const { limit, after } = readCursorQuery(query);
	const compare = positionOrder(order);
	let low = 0;
	let high = ordered.length;
	while (after && low < high) {
		const middle = (low + high) >>> 1;
		if (compare(ordered[middle].position, after) <= 0) low = middle + 1;
		else high = middle;
	}
	const head: Array<Positioned<T>> = [];
	for (let index = low; index < ordered.length && head.length <= limit; index++) {
		if (matches(ordered[index].item)) head.push(ordered[index]);
	}
	return cursorListBody(head, limit, head.length > limit, present);
}

function offsetPage<T>(items: T[], query: URLSearchParams) {
	const errors = new FieldErrors('invalid_query');
	const page = readInteger(query, 'page', { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: 1 }, errors);
	const pageSize = readInteger(query, 'page_size', { min: 1, max: 100, fallback: 25 }, errors);
	errors.throwIfAny();
	const start = (page - 1) * pageSize;
	const data = items.slice(start, start + pageSize);
	return { object: 'list', total: items.length, page, page_size: pageSize, data };
}

function urlProblem(value: unknown, publicHttpsOnly: boolean): string | undefined {
	let url: URL;
	try {
		url = new URL(String(value));
	} catch {
		return 'must be a valid URL.';
	}
	if (!publicHttpsOnly) return /^https?:$/.test(url.protocol) ? undefined : 'must be an http(s) URL.';
	const host = url.hostname;
	const isIpAddress = /^[\d.]+$/.test(host) || host.startsWith('[');
	const isPrivateName = !host.includes('.') || /(^|\.)(localhost|local|internal|lan|home\.arpa)$/.test(host);
	if (url.protocol === 'https:' && !isIpAddress && !isPrivateName) return undefined;
	return 'must be a public https:// URL (no localhost, IP addresses or private host names).';
}

/** The conversation as webhook bodies carry it: every field camelCased, `Z` timestamps, plus `orgId`. */
function conversationWebhookFields(conversation: StoredConversation, orgId: string): Record<string, unknown> {
	const fields: Record<string, unknown> = { orgId };
	for (const [name, value] of Object.entries(conversation)) {
		if (name === 'object') continue;
		fields[camelCase(name)] = name.endsWith('_at') ? webhookTime(value as string | null) : value;
	}
	return fields;
}

function messageWebhookFields(message: Message): Record<string, unknown> {
	return {
		id: message.id,
		conversationId: message.conversation_id,
		role: message.role,
		metadata: message.metadata,
		parts: message.parts.map((part) => ({
			id: part.id,
			order: part.order,
			text: part.text,
			createdAt: webhookTime(part.created_at),
		})),
		createdAt: webhookTime(message.created_at),
	};
}

function toRestConversation(stored: StoredConversation): Conversation {
	const { updated_at, ...conversation } = stored;
	return conversation;
}

function toRestWebhook(stored: StoredWebhook): WebhookEndpoint {
	const { secret, ...webhook } = stored;
	return webhook;
}

function sortByName(tags: ConversationTag[]): ConversationTag[] {
	return [...tags].sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()));
}

const newRequestId = () => `req_${randomBytes(9).toString('base64url')}`;

function errorResponse(error: unknown, requestId: string): SimResponse {
	if (!(error instanceof ApiError)) throw error;
	const { code, message, details } = error;
	return { status: error.status, body: { error: code, message, request_id: requestId, ...(details && { details }) } };
}

/** Counts requests in a fixed window (a minute or an hour) for the X-RateLimit-* headers. */
class RequestWindow {
	private index = -1;
	private count = 0;

	constructor(private readonly lengthMs: number) {}

	hit(nowMs: number, limit: number) {
		const index = Math.floor(nowMs / this.lengthMs);
		if (index !== this.index) [this.index, this.count] = [index, 0];
		this.count += 1;
		const resetsAt = ((index + 1) * this.lengthMs) / 1000;
		return { limit, remaining: Math.max(0, limit - this.count), resetsAt, exceeded: this.count > limit };
	}
}

const SEED_TOPICS = [
	{ title: 'Refund question', user: 'I was charged twice.', bot: 'Sorry! Let me check.', tags: ['refund', 'billing'] },
	{ title: 'Delivery date', user: 'When will my parcel arrive?', bot: 'Within 3 working days.', tags: [] },
	{ title: 'Invoice copy', user: 'Can I get my invoice?', bot: 'See your account page.', tags: ['billing'] },
	{ title: 'Opening hours', user: 'Are you open on Sundays?', bot: 'We open Monday to Saturday.', tags: [] },
	{ title: 'Damaged item', user: 'My order arrived broken.', bot: 'Could you send a photo?', tags: ['refund', 'vip'] },
];
const SEED_CONTACTS = [
	{ contact_name: 'Ada Lovelace', contact_email: 'ada@example.com', contact_phone: '+1 415 555 0143' },
	{ contact_name: null, contact_email: null, contact_phone: null },
	{ contact_name: 'Grace Hopper', contact_email: 'grace@example.com', contact_phone: null },
	{ contact_name: 'Alan Turing', contact_email: null, contact_phone: '+44 20 7946 0321' },
];
const SEED_STATUSES: ConversationStatus[] = ['agent_requested', 'open', 'bot_active', 'resolved', 'closed', 'archived'];
const SEED_MEMBERS = [
	{ first_name: 'Sam', last_name: 'Rivera', role: 'owner' },
	{ first_name: 'Priya', last_name: 'Natarajan', role: 'agent' },
	{ first_name: 'Jonas', last_name: 'Berg', role: 'agent' },
];
const SEED_TAGS: Array<[name: string, color: string | null]> = [
	['vip', '#7c3aed'],
	['billing', '#0ea5e9'],
	['refund', null],
];

export class AwardeeSimulator {
	readonly apiKey: string;
	/** Direct access for seeding and assertions; REST answers are built from it on every request. */
	readonly state: AwardeeState;
	readonly deliveries: DeliveryAttempt[] = [];
	private server!: SimServer;
	private random = new SeededRandom(PRNG_SEED);
	private readonly now: () => Date;
	private readonly router = this.buildRouter();
	private readonly idempotencyCache = new Map<string, { rawBody: string; response: SimResponse }>();
	private pendingDeliveries: Promise<unknown> = Promise.resolve();
	private lastWriteMs = 0;
	private minuteWindow = new RequestWindow(MINUTE_MS);
	private hourWindow = new RequestWindow(60 * MINUTE_MS);
	/** Counts writes; the conversations' listing index belongs to one count (`conversationsInOrder`). */
	private stateVersion = 0;
	private conversationIndex?: { version: number; entries: Array<Positioned<StoredConversation>> };

	static async start(options: AwardeeSimulatorOptions): Promise<AwardeeSimulator> {
		const simulator = new AwardeeSimulator(options);
		simulator.server = await startSimServer({
			port: options.port,
			host: options.host,
			basePath: '/v1',
			handle: (request) => simulator.handle(request),
			errorBody: (status) => ({
				error: ERROR_CODES_BY_STATUS[status] ?? 'internal_error',
				message: `HTTP ${status}`,
				request_id: newRequestId(),
			}),
		});
		return simulator;
	}

	private constructor(private readonly options: AwardeeSimulatorOptions) {
		this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
		this.now = options.now ?? (() => new Date());
		this.state = {
			org: { id: '', name: 'Acme Support', slug: 'acme-support' },
			apiKeyId: '',
			chatbotId: '',
			conversations: new Map(),
			messages: new Map(),
			notes: new Map(),
			tags: new Map(),
			conversationTags: new Map(),
			webhooks: new Map(),
			members: [],
		};
		this.seed();
	}

	/** `http://127.0.0.1:<port>/v1` */
	get baseUrl(): string {
		return this.server.baseUrl;
	}

	/** Paths in the log are relative to `baseUrl`, e.g. `/conversations`. */
	get requests(): RequestLogEntry[] {
		return this.server.requests;
	}

	close(): Promise<void> {
		return this.server.close();
	}

	injectFault(fault: Fault): void {
		this.server.injectFault(fault);
	}

	clearFaults(): void {
		this.server.clearFaults();
	}

	/** Clears state, request log, faults, deliveries, rate-limit counters and idempotency cache, then seeds again. */
	reset(): void {
		this.server.requests.length = 0;
		this.server.clearFaults();
		this.deliveries.length = 0;
		this.idempotencyCache.clear();
		this.minuteWindow = new RequestWindow(MINUTE_MS);
		this.hourWindow = new RequestWindow(60 * MINUTE_MS);
		this.random = new SeededRandom(PRNG_SEED);
		this.lastWriteMs = 0;
		this.seed();
		this.changed();
	}

	/** Write times never repeat, so ordering by time keeps the order of writes even with a frozen `now`. */
	private timestamp(): string {
		this.lastWriteMs = Math.max(this.now().getTime(), this.lastWriteMs + 1);
		return restTime(new Date(this.lastWriteMs));
	}

	// ---- request pipeline: rate limit, auth, idempotency, route, standard headers ----

	private async handle(request: SimRequest): Promise<SimResponse> {
		const requestId = newRequestId();
		const rateLimit = this.countRequest();
		let response: SimResponse;
		try {
			if (rateLimit.limited) throw new ApiError(429, 'rate_limited', 'Rate limit exceeded.');
			this.authenticate(request);
			const isPost = request.method === 'POST';
			// Every write is a request other than GET; the index is dropped when it starts and when it is done.
			if (request.method !== 'GET') this.changed();
			response = isPost ? await this.idempotent(request, requestId) : await this.route(request, requestId);
		} catch (error) {
			response = errorResponse(error, requestId);
		} finally {
			if (request.method !== 'GET') this.changed();
		}
		return { ...response, headers: { ...response.headers, ...rateLimit.headers, 'X-Request-Id': requestId } };
	}

	/**
	 * Without `rateLimitPerMinute` nothing is enforced and the documented defaults (60/min, 1000/h) are only reported,
 * with the whole budget remaining.
	 * With it, the hourly budget is sized so that only the minute window ever binds.
	 */
	private countRequest(): { headers: Record<string, string>; limited: boolean } {
		const nowMs = this.now().getTime();
		const perMinute = this.options.rateLimitPerMinute;
		const minute = this.minuteWindow.hit(nowMs, perMinute ?? 60);
		const hour = this.hourWindow.hit(nowMs, perMinute === undefined ? 1000 : perMinute * 60);
		const headers: Record<string, string> = {};
		for (const [name, window] of [['Minute', minute], ['Hour', hour]] as const) {
			headers[`X-RateLimit-Limit-${name}`] = String(window.limit);
			// A budget that is not enforced never runs out: a client pacing by these headers is not held up.
			headers[`X-RateLimit-Remaining-${name}`] = String(perMinute === undefined ? window.limit : window.remaining);
			headers[`X-RateLimit-Reset-${name}`] = String(window.resetsAt);
		}
		const limited = perMinute !== undefined && minute.exceeded;
		if (limited) headers['Retry-After'] = String(Math.max(1, Math.ceil(minute.resetsAt - nowMs / 1000)));
		return { headers, limited };
	}

	private authenticate(request: SimRequest): void {
		const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
		if (!bearer) throw new ApiError(401, 'missing_api_key', 'Missing API key: send "Authorization: Bearer <key>".');
		if (bearer[1] !== this.apiKey) throw new ApiError(401, 'invalid_api_key', 'Invalid API key.');
	}

	/** Replays the committed answer for a repeated Idempotency-Key, including answers the client never received. */
	private async idempotent(request: SimRequest, requestId: string): Promise<SimResponse> {
		const key = request.headers['idempotency-key'];
		if (typeof key !== 'string') return this.route(request, requestId);
		if (key.length > 255) throw formError('Idempotency-Key must be at most 255 characters.');
		const cacheKey = JSON.stringify([this.apiKey, request.method, request.path, key]);
		const cached = this.idempotencyCache.get(cacheKey);
		if (cached && cached.rawBody !== request.rawBody) {
			throw new ApiError(409, 'idempotency_conflict', 'This Idempotency-Key was used with another request body.');
		}
		if (cached) {
			return { ...cached.response, headers: { ...cached.response.headers, 'Idempotent-Replayed': 'true' } };
		}
		const response = await this.route(request, requestId);
		if (response.status < 500) this.idempotencyCache.set(cacheKey, { rawBody: request.rawBody, response });
		return response;
	}

	private async route(request: SimRequest, requestId: string): Promise<SimResponse> {
		try {
			const response = await this.router.dispatch(request);
			if (!response) throw notFound('Route');
			return response;
		} catch (error) {
			return errorResponse(error, requestId);
		}
	}

	private buildRouter(): Router {
		const ok = (body: unknown): SimResponse => ({ status: 200, body });
		const created = (body: unknown): SimResponse => ({ status: 201, body });
		const noContent = (): SimResponse => ({ status: 204 });
		const byCreation = (item: { created_at: string }) => item.created_at;
		const webhooks = () => [...this.state.webhooks.values()].map(toRestWebhook);
		return new Router()
			.on('GET', '/me', () => ok(this.me()))
			.on('GET', '/conversations', (r) => ok(this.listConversations(r.query)))
			.on('GET', '/conversations/:id', (r) => ok(toRestConversation(this.conversation(r.params.id))))
			.on('PATCH', '/conversations/:id', (r) => ok(this.updateConversation(r.params.id, r)))
			.on('GET', '/conversations/:id/messages', (r) =>
				ok(cursorPage(this.messagesOf(r.params.id), byCreation, 'oldestFirst', r.query)),
			)
			.on('POST', '/conversations/:id/messages', (r) => created(this.postReply(r.params.id, r)))
			.on('GET', '/conversations/:id/notes', (r) =>
				ok(cursorPage(this.notesOf(r.params.id), byCreation, 'oldestFirst', r.query)),
			)
			.on('POST', '/conversations/:id/notes', (r) => created(this.addNote(r.params.id, r)))
			.on('GET', '/conversations/:id/tags', (r) => ok(offsetPage(this.tagsOf(r.params.id), r.query)))
			.on('PUT', '/conversations/:id/tags', (r) => ok(offsetPage(this.replaceTags(r.params.id, r), r.query)))
			.on('GET', '/conversation-tags', (r) => ok(offsetPage(sortByName([...this.state.tags.values()]), r.query)))
			.on('POST', '/conversation-tags', (r) => created(this.createTag(r)))
			.on('DELETE', '/conversation-tags/:id', (r) => {
				this.deleteTag(r.params.id);
				return noContent();
			})
			.on('GET', '/team/members', () => ok({ object: 'list', data: this.state.members }))
			.on('GET', '/webhooks', (r) => ok(cursorPage(webhooks(), byCreation, 'oldestFirst', r.query)))
			.on('POST', '/webhooks', (r) => created(this.createWebhook(r)))
			.on('GET', '/webhooks/:id', (r) => ok(toRestWebhook(this.webhook(r.params.id))))
			.on('PATCH', '/webhooks/:id', (r) => ok(this.updateWebhook(r.params.id, r)))
			.on('DELETE', '/webhooks/:id', (r) => {
				this.state.webhooks.delete(this.webhook(r.params.id).id);
				return noContent();
			});
	}

	// ---- conversations and messages ----

	private me() {
		const { org, apiKeyId } = this.state;
		const apiKey = { id: apiKeyId, name: 'Simulator key' };
		const label = `${org.name} (${apiKey.name})`;
		const auth = { type: 'api_key' };
		return { object: 'me', connection_label: label, org_name: org.name, auth, org, api_key: apiKey };
	}

	private conversation(id: string): StoredConversation {
		const conversation = this.state.conversations.get(id);
		if (!conversation) throw notFound('Conversation');
		return conversation;
	}

	private listConversations(query: URLSearchParams) {
		const errors = new FieldErrors('invalid_query');
		const statuses = readList(query, 'status', errors, STATUSES);
		const priorities = readList(query, 'priority', errors, PRIORITIES);
		const assignees = readList(query, 'assigned_to', errors);
		const includeUnassigned = query.get('include_unassigned');
		if (includeUnassigned !== null && includeUnassigned !== 'true' && includeUnassigned !== 'false') {
			errors.add('include_unassigned', 'must be true or false.');
		}
		errors.throwIfAny();
		const chatbotId = query.get('chatbot_id');
		const assigneeMatches = (assignee: string | null) => {
			// Our choice: without assigned_to, include_unassigned=false alone means "assigned to anyone".
			if (assignee === null) return assignees ? includeUnassigned === 'true' : includeUnassigned !== 'false';
			return !assignees || assignees.includes(assignee);
		};
		const matches = (c: StoredConversation) =>
			(!statuses || statuses.includes(c.status)) &&
			(!priorities || priorities.includes(c.priority)) &&
			(!chatbotId || c.chatbot_id === chatbotId) &&
			assigneeMatches(c.assigned_to);
		return indexedCursorPage(this.conversationsInOrder(), 'newestFirst', matches, query, toRestConversation);
	}

	/**
	 * Every conversation in listing order (latest activity first, then id), kept between requests and built
	 * again after any write (`changed`): a listing of n conversations in pages of 100 does not scan all n per page.
	 */
	private conversationsInOrder(): Array<Positioned<StoredConversation>> {
		if (this.conversationIndex?.version !== this.stateVersion) {
			const compare = positionOrder('newestFirst');
			const entries = [...this.state.conversations.values()].map((item) => ({
				item,
				position: { key: item.last_message_at ?? item.created_at, id: item.id },
			}));
			entries.sort((a, b) => compare(a.position, b.position));
			this.conversationIndex = { version: this.stateVersion, entries };
		}
		return this.conversationIndex.entries;
	}

	/** Anything that may change a conversation's place in the listing order or its fields drops the index. */
	private changed(): void {
		this.stateVersion += 1;
	}

	private updateConversation(id: string, request: SimRequest): Conversation {
		const conversation = this.conversation(id);
		const patch = this.parseConversationPatch(request);
		const before = { ...conversation };
		const now = this.timestamp();
		Object.assign(conversation, patch);
		if (patch.status === 'resolved' && before.status !== 'resolved') {
			conversation.resolved_at = now;
			this.emitMessage(this.storeMessage(conversation, { role: 'system', text: RESOLVED_MARKER }));
		}
		if (patch.status === 'closed' && before.status !== 'closed') conversation.closed_at = now;
		const changes: Changes = {};
		for (const field of Object.keys(patch) as Array<keyof Conversation>) {
			const [from, to] = [before[field], conversation[field]];
			if (from !== to) changes[camelCase(field)] = { from, to };
		}
		if (Object.keys(changes).length > 0) {
			conversation.updated_at = now;
			this.emit('conversation.updated', this.conversationPayload(id, changes));
		}
		return toRestConversation(conversation);
	}

	/** PATCH field names are UNVERIFIED in the document; the object's own names are assumed. */
	private parseConversationPatch(request: SimRequest): Partial<Conversation> {
		const textFields = ['title', 'contact_email', 'contact_name', 'contact_phone'];
		const body = objectBody(request, ['status', 'priority', 'assigned_to', ...textFields]);
		const errors = new FieldErrors('invalid_payload');
		if ('status' in body && !PATCHABLE_STATUSES.includes(body.status as string)) {
			errors.add('status', `must be one of ${PATCHABLE_STATUSES.join(', ')}.`);
		}
		if ('priority' in body && !PRIORITIES.includes(body.priority as Priority)) {
			errors.add('priority', `must be one of ${PRIORITIES.join(', ')}.`);
		}
		for (const field of textFields) {
			if (field in body && !isNullableString(body[field])) errors.add(field, 'must be a string or null.');
		}
		if (typeof body.contact_email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.contact_email)) {
			errors.add('contact_email', 'must be an email address.');
		}
		const assignee = body.assigned_to;
		if (assignee !== undefined && assignee !== null && !this.state.members.some((m) => m.user_id === assignee)) {
			errors.add('assigned_to', "must be a team member's user_id, or null to unassign.");
		}
		errors.throwIfAny();
		return body as Partial<Conversation>;
	}

	private messagesOf(conversationId: string): Message[] {
		this.conversation(conversationId);
		return this.state.messages.get(conversationId) ?? [];
	}

	private postReply(conversationId: string, request: SimRequest): Message {
		const conversation = this.conversation(conversationId);
		const { text = '', attachments = [] } = objectBody(request, ['text', 'attachments']);
		const errors = new FieldErrors('invalid_payload');
		if (typeof text !== 'string') errors.add('text', 'must be a string.');
		const attachmentUrls = Array.isArray(attachments) ? attachments.map((a: { url?: unknown } | null) => a?.url) : [];
		if (!Array.isArray(attachments) || attachmentUrls.some((url) => urlProblem(url, false))) {
			errors.add('attachments', 'must be an array of {url} with http(s) URLs.');
		}
		if (text === '' && attachmentUrls.length === 0) errors.add('text', 'is required without attachments.');
		errors.throwIfAny();
		// The document leaves the 400 code for a disallowed status UNKNOWN; `invalid_state` is our choice.
		if (conversation.status !== 'open' && conversation.status !== 'agent_requested') {
			const message = `Cannot reply to a conversation in status ${conversation.status}; PATCH it to open first.`;
			throw new ApiError(400, 'invalid_state', message);
		}
		if (conversation.status === 'agent_requested') this.takeOver(conversation);
		const reply = this.storeMessage(conversation, {
			role: 'assistant',
			metadata: API_SOURCE,
			text: text as string,
			attachmentUrls: attachmentUrls as string[],
		});
		this.emitMessage(reply);
		return reply;
	}

	/** Webhook order from the lifecycle docs: marker message, status change, then (by the caller) the reply. */
	private takeOver(conversation: StoredConversation): void {
		this.emitMessage(this.storeMessage(conversation, { role: 'system', text: TAKEOVER_MARKER }));
		conversation.status = 'open';
		conversation.updated_at = this.timestamp();
		const changes = { status: { from: 'agent_requested', to: 'open' } };
		this.emit('conversation.updated', this.conversationPayload(conversation.id, changes));
	}

	private storeMessage(
		conversation: StoredConversation,
		message: NewMessage & { attachmentUrls?: string[]; at?: Date },
	): Message {
		const { role = 'user', metadata = null, text = '', attachmentUrls = [], at } = message;
		const createdAt = at ? restTime(at) : this.timestamp();
		const part = (fields: Partial<MessagePart>): MessagePart => ({
			object: 'message_part', id: this.random.uuid(), order: 0, text: null,
			tool_name: null, tool_call_id: null, tool_input: null, tool_output: null, tool_error_text: null,
			file_url: null, file_media_type: null, file_filename: null, created_at: createdAt,
			...fields,
		});
		const fileName = (url: string) => new URL(url).pathname.split('/').pop() || null;
		const parts = [
			...(text ? [part({ text })] : []),
			...attachmentUrls.map((url) => part({ file_url: url, file_filename: fileName(url) })),
		].map((p, order) => ({ ...p, order }));
		const stored: Message = {
			object: 'message',
			id: this.random.uuid(),
			conversation_id: conversation.id,
			role,
			metadata,
			parts,
			created_at: createdAt,
		};
		this.state.messages.set(conversation.id, [...this.messagesOf(conversation.id), stored]);
		conversation.last_message_at = createdAt;
		conversation.last_message_preview = text || attachmentUrls[0];
		conversation.updated_at = createdAt;
		this.changed();
		return stored;
	}

	// ---- notes and tags ----

	private notesOf(conversationId: string): ConversationNote[] {
		this.conversation(conversationId);
		return this.state.notes.get(conversationId) ?? [];
	}

	private addNote(conversationId: string, request: SimRequest): ConversationNote {
		const notes = this.notesOf(conversationId);
		const { content } = objectBody(request, ['content']);
		if (typeof content !== 'string' || content.length < 1) {
			throw new FieldErrors('invalid_payload').add('content', 'must be a non-empty string.').toError();
		}
		const note: ConversationNote = {
			object: 'conversation_note',
			id: this.random.uuid(),
			conversation_id: conversationId,
			author_id: null,
			content,
			created_at: this.timestamp(),
		};
		this.state.notes.set(conversationId, [...notes, note]);
		return note;
	}

	private tagsOf(conversationId: string): ConversationTag[] {
		this.conversation(conversationId);
		const tagIds = this.state.conversationTags.get(conversationId) ?? [];
		return sortByName(tagIds.flatMap((id) => this.state.tags.get(id) ?? []));
	}

	private replaceTags(conversationId: string, request: SimRequest): ConversationTag[] {
		this.conversation(conversationId);
		const { tag_ids: tagIds } = objectBody(request, ['tag_ids']);
		const errors = new FieldErrors('invalid_payload');
		if (!Array.isArray(tagIds)) errors.add('tag_ids', 'must be an array of tag ids.');
		for (const id of Array.isArray(tagIds) ? tagIds : []) {
			if (!this.state.tags.has(id)) errors.add('tag_ids', `contains an unknown tag id: ${String(id)}.`);
		}
		errors.throwIfAny();
		this.state.conversationTags.set(conversationId, [...new Set(tagIds as string[])]);
		return this.tagsOf(conversationId);
	}

	private createTag(request: SimRequest): ConversationTag {
		const { name, color = null } = objectBody(request, ['name', 'color']);
		const errors = new FieldErrors('invalid_payload');
		if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
			errors.add('name', 'must be 1 to 100 characters.');
		}
		if (color !== null && !/^#[0-9a-fA-F]{6}$/.test(String(color))) errors.add('color', 'must be #RRGGBB or null.');
		errors.throwIfAny();
		const tagName = name as string;
		if ([...this.state.tags.values()].some((tag) => tag.name.toLowerCase() === tagName.toLowerCase())) {
			throw new ApiError(409, 'conflict', `A tag named "${tagName}" already exists.`);
		}
		return this.addTag(tagName, color as string | null);
	}

	/** Hard delete; the tag also disappears from every conversation that had it. */
	private deleteTag(tagId: string): void {
		if (!this.state.tags.delete(tagId)) throw notFound('Conversation tag');
		for (const [conversationId, tagIds] of this.state.conversationTags) {
			this.state.conversationTags.set(conversationId, tagIds.filter((id) => id !== tagId));
		}
	}

	// ---- webhook endpoints ----

	private webhook(id: string): StoredWebhook {
		const webhook = this.state.webhooks.get(id);
		if (!webhook) throw notFound('Webhook');
		return webhook;
	}

	/** Answers with the secret, on create only (the document's working assumption). */
	private createWebhook(request: SimRequest): StoredWebhook {
		const fields = this.parseWebhookFields(request, 'create');
		return this.addWebhook({ ...fields, url: fields.url as string });
	}

	private updateWebhook(id: string, request: SimRequest): WebhookEndpoint {
		const webhook = this.webhook(id);
		Object.assign(webhook, this.parseWebhookFields(request, 'update'), { updated_at: this.timestamp() });
		return toRestWebhook(webhook);
	}

	/** Requests use `isActive` (camelCase, as the PATCH docs show); the stored object uses `is_active`. */
	private parseWebhookFields(request: SimRequest, mode: 'create' | 'update'): Partial<WebhookEndpoint> {
		const body = objectBody(request, ['url', 'events', 'description', 'isActive']);
		const { url, events, description, isActive } = body;
		const required = mode === 'create';
		const errors = new FieldErrors('invalid_payload');
		const publicHttpsOnly = this.options.publicUrlsOnly ?? false;
		const urlIssue = required || url !== undefined ? urlProblem(url, publicHttpsOnly) : undefined;
		if (urlIssue) errors.add('url', urlIssue);
		const eventCountOk = Array.isArray(events) && events.length >= 1 && events.length <= 36;
		const validEvents = eventCountOk && events.every((event) => WEBHOOK_EVENTS.includes(event));
		if ((required || events !== undefined) && !validEvents) {
			errors.add('events', 'must list 1 to 36 known event types.');
		}
		const validDescription = description === null || (typeof description === 'string' && description.length <= 500);
		if (description !== undefined && !validDescription) {
			errors.add('description', 'must be at most 500 characters, or null.');
		}
		if (isActive !== undefined && typeof isActive !== 'boolean') errors.add('isActive', 'must be a boolean.');
		errors.throwIfAny();
		const fields = { url, events, description, is_active: isActive };
		return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
	}

	// ---- webhook deliveries ----

	private emitMessage(message: Message): void {
		this.emit('message.created', { message: messageWebhookFields(message) });
	}

	/** Deliveries go out one at a time, in the order the events happened (the real service only tries to). */
	private emit(event: string, payload: object): void {
		for (const webhook of this.state.webhooks.values()) {
			if (!webhook.is_active || !webhook.events.includes(event)) continue;
			const { id, url, secret } = webhook;
			this.pendingDeliveries = this.pendingDeliveries.then(() => this.send(id, url, event, payload, { secret }));
		}
	}

	private async send(
		webhookId: string | null,
		url: string,
		event: string,
		payload: object,
		options: SignOptions,
	): Promise<DeliveryResult> {
		const delivery = this.signDelivery(event, payload, options);
		const response = await postJson(url, delivery.rawBody, delivery.headers);
		const deliveryId = delivery.headers['X-Awardee-Delivery'];
		const { status, body: responseBody } = response;
		this.deliveries.push({ webhookId, url, event, deliveryId, payload, status, responseBody });
		return response;
	}

	/** Waits until every delivery fired by API calls so far has been answered. */
	async flushDeliveries(): Promise<void> {
		await this.pendingDeliveries;
	}

	signDelivery(event: string, payload: object, options: SignOptions = {}): SignedDelivery {
		const secret = options.secret ?? EXAMPLE_WEBHOOK_SECRET;
		const timestamp = options.timestamp ?? Math.floor(this.now().getTime() / 1000);
		const rawBody = JSON.stringify(payload);
		const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
		return {
			headers: {
				'Content-Type': 'application/json',
				'X-Awardee-Event': event,
				'X-Awardee-Delivery': options.deliveryId ?? randomUUID(),
				'X-Awardee-Timestamp': String(timestamp),
				'X-Awardee-Signature': `t=${timestamp},v1=${signature}`,
			},
			rawBody,
			body: payload,
		};
	}

	/** POSTs a signed delivery to a webhook, by id or URL (an unregistered URL is signed with `options.secret`). */
	deliver(target: string, event: string, payload: object, options: SignOptions = {}): Promise<DeliveryResult> {
		const webhooks = [...this.state.webhooks.values()];
		const webhook = webhooks.find((w) => w.id === target) ?? webhooks.find((w) => w.url === target);
		const signing = { ...options, secret: options.secret ?? webhook?.secret };
		return this.send(webhook?.id ?? null, webhook?.url ?? target, event, payload, signing);
	}

	conversationPayload(conversationId: string, changes?: Changes): object {
		const conversation = conversationWebhookFields(this.conversation(conversationId), this.state.org.id);
		return changes ? { conversation, changes } : { conversation };
	}

	messagePayload(messageId: string): object {
		const message = [...this.state.messages.values()].flat().find((m) => m.id === messageId);
		if (!message) throw new Error(`No stored message ${messageId}`);
		return { message: messageWebhookFields(message) };
	}

	// ---- seeding helpers: they write state directly and fire no webhooks ----

	addConversation(partial: Partial<StoredConversation> = {}): StoredConversation {
		const createdAt = this.timestamp();
		const conversation: StoredConversation = {
			object: 'conversation', id: this.random.uuid(), chatbot_id: this.state.chatbotId,
			status: 'bot_active', priority: 'medium', title: null, summary: null, sentiment_score: null,
			contact_email: null, contact_name: null, contact_phone: null, assigned_to: null,
			last_message_preview: null, last_message_at: null, resolved_at: null, closed_at: null,
			created_at: createdAt, qr_code_id: null, product_id: null, object_id: null, updated_at: createdAt,
			...partial,
		};
		this.state.conversations.set(conversation.id, conversation);
		this.changed();
		return conversation;
	}

	addMessage(conversationId: string, partial: NewMessage = {}): Message {
		return this.storeMessage(this.conversation(conversationId), { text: 'Hello!', ...partial });
	}

	addTag(name: string, color: string | null = null): ConversationTag {
		const id = this.random.uuid();
		const tag: ConversationTag = { object: 'conversation_tag', id, name, color, created_at: this.timestamp() };
		this.state.tags.set(tag.id, tag);
		return tag;
	}

	/** A webhook "made by hand in the dashboard": no URL rules apply. */
	addWebhook(partial: Partial<StoredWebhook> & { url: string }): StoredWebhook {
		const now = this.timestamp();
		const webhook: StoredWebhook = {
			object: 'webhook_endpoint',
			id: this.random.uuid(),
			description: null,
			events: [...CONVERSATION_EVENTS],
			is_active: true,
			created_at: now,
			updated_at: now,
			secret: `whsec_${this.random.hex(64)}`,
			...partial,
		};
		this.state.webhooks.set(webhook.id, webhook);
		return webhook;
	}

	/** Team members always exist; conversations and tags only when seeding. Times count back from `now()`. */
	private seed(): void {
		const { state, random } = this;
		const { conversations, messages, notes, tags, conversationTags, webhooks } = state;
		for (const collection of [conversations, messages, notes, tags, conversationTags, webhooks]) collection.clear();
		state.org.id = random.uuid();
		state.apiKeyId = random.uuid();
		state.chatbotId = random.uuid();
		const joinedAt = restTime(new Date(this.now().getTime() - 90 * 24 * 60 * MINUTE_MS));
		state.members = SEED_MEMBERS.map((person) => ({
			id: random.uuid(),
			user_id: random.uuid(),
			avatar_url: null,
			role_id: random.uuid(),
			joined_at: joinedAt,
			updated_at: joinedAt,
			...person,
		}));
		const seed = this.options.seed ?? true;
		const count = seed === true ? 5 : seed === false ? 0 : seed;
		if (count === 0) return;
		const tagIds = new Map(SEED_TAGS.map(([name, color]) => [name, this.addTag(name, color).id]));
		for (let index = 0; index < count; index++) this.seedConversation(index, tagIds);
	}

	private seedConversation(index: number, tagIds: Map<string, string>): void {
		const { random } = this;
		const topic = SEED_TOPICS[index % SEED_TOPICS.length];
		const status = SEED_STATUSES[index % SEED_STATUSES.length];
		const agents = this.state.members.filter((member) => member.role === 'agent');
		const waitsForAgent = status === 'agent_requested' || status === 'bot_active';
		const startMs = this.now().getTime() - (index + 1) * 47 * MINUTE_MS - random.int(10) * MINUTE_MS;
		const script: NewMessage[] = [{ text: topic.user }, { role: 'assistant', text: topic.bot }];
		if (status === 'agent_requested') script.push({ text: 'Can I talk to a person, please?' });
		if (status === 'open') {
			script.push({ role: 'system', text: TAKEOVER_MARKER });
			script.push({ role: 'assistant', metadata: API_SOURCE, text: 'I am on it.' });
		}
		if (status === 'resolved') script.push({ role: 'system', text: RESOLVED_MARKER });
		const minutesLater = (minutes: number) => new Date(startMs + minutes * MINUTE_MS);
		const endedAt = restTime(minutesLater(script.length));
		const conversation = this.addConversation({
			...SEED_CONTACTS[index % SEED_CONTACTS.length],
			status,
			priority: PRIORITIES[(index + 2) % PRIORITIES.length],
			title: topic.title,
			assigned_to: waitsForAgent ? null : agents[index % agents.length].user_id,
			created_at: restTime(minutesLater(0)),
			qr_code_id: random.int(2) === 1 ? random.uuid() : null,
			resolved_at: status === 'resolved' ? endedAt : null,
			closed_at: status === 'closed' ? endedAt : null,
			summary: status === 'resolved' ? `The visitor asked: ${topic.user}` : null,
			sentiment_score: status === 'resolved' ? 40 + random.int(60) : null,
		});
		script.forEach((message, i) => this.storeMessage(conversation, { ...message, at: minutesLater(i + 1) }));
		this.state.conversationTags.set(conversation.id, topic.tags.map((name) => tagIds.get(name) as string));
	}
}
