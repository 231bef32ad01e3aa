/**
 * Local simulator of the OnceHub API v2 (REST under /v2, `API-Key` auth, cursor lists, signed webhooks),
 * following shared/vendors/oncehub.md. There are no conversation endpoints, as in the real API: conversations
 * are reached through bookings (`expand=conversation`) and arrive as webhook events. Where the document says
 * UNKNOWN, the choice made here is noted.
 */
import { createHmac, randomBytes } from 'crypto';
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

export const DEFAULT_API_KEY = 'oh_3f9c2a7e5b1d4c8a9e6f2b7d1c4a8e5f';
export const ACCOUNT_EMAIL = 'admin@example.com';
/** The secret of the signed fixture in the vendor document. */
export const EXAMPLE_WEBHOOK_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export const CONVERSATION_EVENTS = ['conversation.started', 'conversation.closed', 'conversation.abandoned'] as const;
const BOOKING_EVENTS = [
	'booking.scheduled',
	'booking.rescheduled',
	'booking.reassigned',
	'booking.canceled_then_rescheduled',
	'booking.canceled_reschedule_requested',
	'booking.canceled',
	'booking.completed',
	'booking.no_show',
];
/** The current spec's events only: the composite `booking`/`conversation` and `conversation.reached_out` are refused (our choice). */
const WEBHOOK_EVENTS: readonly string[] = [...BOOKING_EVENTS, ...CONVERSATION_EVENTS];

const CONVERSATION_STATUSES = ['started', 'closed', 'abandoned'] as const;
const BOOKING_STATUSES = ['requested', 'scheduled', 'rescheduled', 'completed', 'canceled', 'no_show'] as const;
const CONTACT_STATUSES = ['Qualified', 'Sales qualified', 'Marketing qualified', 'Disqualified'];
const FIELD_LIBRARY = ['resume', 'contact_second_number', 'lead_source'];
const MINUTE_MS = 60_000;
const PRNG_SEED = 0x0ce4b;

type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface CustomField {
	name: string;
	value: unknown;
}

export interface Contact {
	object: 'contact';
	id: string;
	creation_time: string;
	last_updated_time: string;
	last_interacted_time: string | null;
	source: string;
	owner: string;
	status: string | null;
	city: string | null;
	company_size: string | null;
	company: string | null;
	country: string | null;
	email: string | null;
	employees: number;
	first_name: string | null;
	has_consent: boolean;
	job_title: string | null;
	last_name: string | null;
	mobile_phone: string | null;
	phone: string | null;
	post_code: string | null;
	salutation: string | null;
	state: string | null;
	street_address: string | null;
	terms_of_sevice: boolean | null;
	timezone: string;
	custom_fields: CustomField[];
}

export interface User {
	object: 'user';
	id: string;
	first_name: string;
	last_name: string;
	email: string;
	status: 'active' | 'invited';
	role_name: 'Account Owner' | 'Administrator' | 'Member' | 'Team Manager';
	timezone: string;
	teams: string[];
}

export interface Named {
	id: string;
	object: 'bot' | 'website' | 'audience';
	name: string;
	url?: string;
}

export interface Answer {
	id: string;
	internal_label: string | null;
	question: string;
	value: string;
}

/** As stored: expandable fields hold ids. */
export interface Conversation {
	object: 'conversation';
	id: string;
	creation_time: string;
	initiated_by: 'bot' | 'contact';
	last_updated_time: string;
	last_interacted_time: string;
	contact: string;
	owner: string;
	status: ConversationStatus;
	bot: string;
	website: string;
	audience: string | null;
	answers: Answer[];
	bookings: string[];
}

/** As stored: expandable fields hold ids. */
export interface Booking {
	object: 'booking';
	id: string;
	tracking_id: string;
	subject: string;
	status: BookingStatus;
	in_trash: boolean;
	creation_time: string;
	starting_time: string;
	customer_timezone: string;
	last_updated_time: string;
	owner: string;
	duration_minutes: number;
	virtual_conferencing: { join_url: string } | null;
	location_description: string | null;
	attendees: string[];
	form_submission: { name: string; email: string; phone: string | null; mobile_phone: string | null; note: string | null; company: string | null; guests: string[]; custom_fields: CustomField[] };
	booking_page: string;
	master_page: string | null;
	event_type: string | null;
	conversation: string | null;
	utm_params: null;
	contact: string;
	custom_fields: CustomField[];
}

export interface Webhook {
	object: 'webhook';
	id: string;
	api_version: 'v2';
	name: string;
	url: string;
	events: string[];
	creation_time: string;
}
export type StoredWebhook = Webhook & { secret: string };

export interface OnceHubState {
	users: Map<string, User>;
	/** Deleted contacts stay, marked, so a direct read answers with the redacted object. */
	contacts: Map<string, Contact & { deleted?: true }>;
	bots: Map<string, Named>;
	websites: Map<string, Named>;
	audiences: Map<string, Named>;
	conversations: Map<string, Conversation>;
	bookings: Map<string, Booking>;
	webhooks: Map<string, StoredWebhook>;
}

export interface SignOptions {
	secret?: string;
	/** Unix seconds; default now. */
	timestamp?: number;
	/** `EVNT-…`; default a fresh one. */
	eventId?: string;
	/** The envelope's `creation_time`; default now. */
	creationTime?: string;
}

export interface SignedDelivery {
	headers: Record<string, string>;
	rawBody: string;
	body: Record<string, unknown>;
}

export interface DeliveryResult {
	status: number;
	body: string;
}

export interface DeliveryAttempt {
	webhookId: string | null;
	url: string;
	event: string;
	eventId: string;
	status: number;
	responseBody: string;
}

export interface OnceHubSimulatorOptions {
	port?: number;
	host?: string;
	apiKey?: string;
	/** Number of seeded contacts, each with a conversation (default 6); `false` seeds users only. */
	seed?: boolean | number;
	now?: () => Date;
	/** Enforce the per-account budget (429 `rate_limit_error`, no Retry-After: none is documented). Default: not enforced. */
	rateLimitPerSecond?: number;
	/**
	 * Whether `GET /bookings` expands `data.conversation` (UNKNOWN: the list's `expand` documentation omits it).
	 * `refuse` (default) answers 400 like any field that cannot be expanded; `ignore` leaves the id.
	 */
	listExpandsConversation?: 'expand' | 'refuse' | 'ignore';
	/** Where the create response carries the secret (UNKNOWN: `secret` per the schema, `signing_secret` per the overview). */
	secretField?: 'secret' | 'signing_secret' | 'none';
	/** Refuse webhook URLs that are not https, as the documentation says. Default false, for local n8n. */
	httpsOnly?: boolean;
}

export async function startOnceHubSimulator(options: OnceHubSimulatorOptions = {}): Promise<OnceHubSimulator> {
	const simulator = new OnceHubSimulator(options);
	await simulator.listen(options.port, options.host);
	return simulator;
}

type ErrorType = 'authentication_error' | 'invalid_request_error' | 'rate_limit_error' | 'api_error';

class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly type: ErrorType,
		message: string,
		readonly param?: string,
	) {
		super(message);
	}
}

const invalid = (message: string, param?: string) => new ApiError(400, 'invalid_request_error', message, param);
const noSuch = (what: string, id: string) => new ApiError(404, 'invalid_request_error', `No such ${what}: '${id}'`, 'id');

function errorBody(error: ApiError) {
	return { type: error.type, message: error.message, ...(error.param !== undefined && { param: error.param }) };
}

function bareErrorBody(status: number) {
	const type: ErrorType =
		status === 401 || status === 403 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
	const message = status === 429 ? 'Request rate limit exceeded' : status >= 500 ? 'An internal error occurred while processing your request' : `HTTP ${status}`;
	return { type, message };
}

const isoTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const newRequestId = () => `req_${randomBytes(8).toString('hex')}`;

/** A date filter: a date or a date-time (the document leaves the granularity UNKNOWN; both are accepted). */
function readTime(query: URLSearchParams, name: string): number | undefined {
	const raw = query.get(name);
	if (raw === null) return undefined;
	const valid = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/.test(raw);
	const time = Date.parse(raw);
	if (!valid || Number.isNaN(time)) throw invalid(`Invalid date: ${raw}`, name);
	return time;
}

function timeRange(query: URLSearchParams, field: string): (value: string) => boolean {
	const after = readTime(query, `${field}.gt`);
	const before = readTime(query, `${field}.lt`);
	if (after !== undefined && before !== undefined && after > before) {
		throw invalid(`${field}.gt cannot be later than ${field}.lt`, `${field}.gt`);
	}
	// Without a bound every time passes: no Date.parse of every item on every page (most of a page's time).
	if (after === undefined && before === undefined) return () => true;
	return (value) => {
		const time = Date.parse(value);
		return (after === undefined || time > after) && (before === undefined || time < before);
	};
}

/** `?expand=a,b` as a set; every entry must be one the endpoint allows. */
function readExpand(query: URLSearchParams, allowed: readonly string[]): Set<string> {
	const fields = (query.get('expand') ?? '').split(',').map((field) => field.trim()).filter(Boolean);
	for (const field of fields) {
		if (!allowed.includes(field)) throw invalid(`This property cannot be expanded: ${field}`, 'expand');
	}
	return new Set(fields);
}

function objectBody(request: SimRequest): Record<string, unknown> {
	const body = request.body;
	if (request.bodyIsMalformed || typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw invalid('The request body must be a JSON object.', 'body');
	}
	return body as Record<string, unknown>;
}

const isTimeZone = (value: unknown) => {
	if (typeof value !== 'string') return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return true;
	} catch {
		return false;
	}
};

const SEED_USERS: Array<Pick<User, 'first_name' | 'last_name' | 'role_name' | 'timezone'>> = [
	{ first_name: 'Andrea', last_name: 'Hartie', role_name: 'Account Owner', timezone: 'America/Chicago' },
	{ first_name: 'Ravi', last_name: 'Menon', role_name: 'Member', timezone: 'Europe/London' },
	{ first_name: 'Lena', last_name: 'Vogel', role_name: 'Team Manager', timezone: 'Europe/Berlin' },
];
const SEED_CONTACTS = [
	{ first_name: 'Dana', last_name: 'Lee', email: 'dana.lee@northwind.example', company: 'Northwind Traders', mobile_phone: null },
	{ first_name: 'Sam', last_name: 'Ortiz', email: 'sam.ortiz@contoso.example', company: null, mobile_phone: '+14155550143' },
	{ first_name: 'Mia', last_name: 'Chen', email: 'mia.chen@fabrikam.example', company: 'Fabrikam', mobile_phone: null },
	{ first_name: null, last_name: null, email: 'visitor@example.org', company: null, mobile_phone: null },
];
const SEED_QUESTIONS = [
	{ internal_label: 'full_name', question: "What's your name?" },
	{ internal_label: 'email', question: "What's your work email?" },
	{ internal_label: null, question: 'Which product are you interested in?' },
];

interface SortedList<T> {
	sorted: T[];
	positions: Map<string, number>;
}

/** A list as it was sorted: what went in (the items in their order, their ids and sort keys then) and what came out. */
interface HeldSort<T> extends SortedList<T> {
	items: T[];
	ids: string[];
	keys: string[];
}

export class OnceHubSimulator {
	readonly apiKey: string;
	/** Direct access for seeding and assertions; REST answers are built from it on every request. */
	readonly state: OnceHubState;
	readonly deliveries: DeliveryAttempt[] = [];
	/** Arrival time (ms) of every request, in order, for pacing checks. */
	readonly arrivals: number[] = [];
	private server!: SimServer;
	private random = new SeededRandom(PRNG_SEED);
	private readonly now: () => Date;
	private readonly router = this.buildRouter();
	/** The last sort of each list path (`newestFirst`). */
	private readonly sorts = new Map<string, HeldSort<{ id: string }>>();

	constructor(private readonly options: OnceHubSimulatorOptions) {
		this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
		this.now = options.now ?? (() => new Date());
		this.state = {
			users: new Map(),
			contacts: new Map(),
			bots: new Map(),
			websites: new Map(),
			audiences: new Map(),
			conversations: new Map(),
			bookings: new Map(),
			webhooks: new Map(),
		};
		this.seed();
	}

	/** `http://127.0.0.1:<port>/v2` */
	get baseUrl(): string {
		return this.server.baseUrl;
	}

	/** Paths in the log are relative to `baseUrl`, e.g. `/bookings`. */
	get requests(): RequestLogEntry[] {
		return this.server.requests;
	}

	async listen(port?: number, host?: string): Promise<void> {
		this.server = await startSimServer({
			port,
			host,
			basePath: '/v2',
			handle: (request) => this.handle(request),
			errorBody: bareErrorBody,
		});
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

	/** Clears state, request log, arrivals, faults and deliveries, then seeds again. */
	reset(): void {
		this.server.requests.length = 0;
		this.server.clearFaults();
		this.arrivals.length = 0;
		this.deliveries.length = 0;
		this.random = new SeededRandom(PRNG_SEED);
		this.seed();
	}

	// ---- request pipeline: rate limit, auth, route, Request-Id ----

	private async handle(request: SimRequest): Promise<SimResponse> {
		const arrivedAt = Date.now();
		this.arrivals.push(arrivedAt);
		let response: SimResponse;
		try {
			if (this.overRateLimit(arrivedAt)) throw new ApiError(429, 'rate_limit_error', 'Request rate limit exceeded');
			if (request.headers['api-key'] !== this.apiKey) throw new ApiError(401, 'authentication_error', 'Invalid API key.');
			const routed = await this.router.dispatch(request);
			if (!routed) throw new ApiError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${request.path})`);
			response = routed;
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			response = { status: error.status, body: errorBody(error) };
		}
		return { ...response, headers: { ...response.headers, 'Request-Id': newRequestId() } };
	}

	private overRateLimit(arrivedAt: number): boolean {
		const perSecond = this.options.rateLimitPerSecond;
		if (perSecond === undefined) return false;
		const recent = this.arrivals.filter((time) => arrivedAt - time < 1000);
		return recent.length > perSecond;
	}

	private buildRouter(): Router {
		const ok = (body: unknown, headers?: Record<string, string>): SimResponse => ({ status: 200, body, headers });
		const byCreation = (item: { creation_time: string }) => item.creation_time;
		const list = <T extends { id: string }>(items: T[], r: SimRequest, render: (item: T) => unknown, key: (item: T) => string) => {
			const page = this.cursorPage(items, r, key);
			return ok({ object: 'list', data: page.items.map(render), has_more: page.hasMore }, page.link);
		};
		return new Router()
			.on('GET', '/test', () => ok({ message: `The API key is valid for account: ${ACCOUNT_EMAIL}` }))
			.on('GET', '/webhooks', (r) => list([...this.state.webhooks.values()], r, withoutSecret, byCreation))
			.on('POST', '/webhooks', (r) => ok(this.createWebhook(r)))
			.on('GET', '/webhooks/:id', (r) => ok(withoutSecret(this.webhook(r.params.id))))
			.on('DELETE', '/webhooks/:id', (r) => {
				this.state.webhooks.delete(this.webhook(r.params.id).id);
				return ok({ id: r.params.id, object: 'webhook', deleted: true });
			})
			.on('GET', '/bookings', (r) => {
				const expand = this.listExpand(r.query);
				return list(this.filterBookings(r.query), r, (b) => this.renderBooking(b, expand), byCreation);
			})
			.on('GET', '/bookings/:id', (r) => ok(this.renderBooking(this.booking(r.params.id), this.bookingExpand(r.query))))
			.on('GET', '/contacts', (r) => list(this.filterContacts(r.query), r, (c) => this.renderContact(c), byCreation))
			.on('POST', '/contacts', (r) => ({ status: 201, body: this.renderContact(this.createContact(r)) }))
			.on('GET', '/contacts/:id', (r) => ok(this.renderContact(this.contact(r.params.id, true))))
			.on('PATCH', '/contacts/:id', (r) => ok(this.renderContact(this.updateContact(r.params.id, r))))
			.on('DELETE', '/contacts/:id', (r) => {
				this.contact(r.params.id).deleted = true;
				return ok({ id: r.params.id, object: 'contact', deleted: true });
			})
			.on('GET', '/users', (r) => {
				const email = r.query.get('email')?.toLowerCase();
				const users = [...this.state.users.values()].filter((u) => !email || u.email.toLowerCase() === email);
				// Users carry no creation time; they are listed by id, descending.
				return list(users, r, (u) => u, () => '');
			})
			.on('GET', '/users/:id', (r) => ok(this.user(r.params.id)));
	}

	/**
	 * Newest first (by the sort key, then id); `after`/`before` take an object id of the list, `limit` 1–100
	 * (default 10). The `Link` header copies the documented example, which leaves out `/v2`.
	 */
	private cursorPage<T extends { id: string }>(items: T[], request: SimRequest, key: (item: T) => string) {
		const { query } = request;
		const rawLimit = query.get('limit');
		const limit = rawLimit === null ? 10 : Number(rawLimit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
			throw invalid(`Out of range value: ${rawLimit}. Please provide a number between 1 and 100.`, 'limit');
		}
		const after = query.get('after');
		const before = query.get('before');
		if (after !== null && before !== null) {
			throw invalid('Received both before and after parameters. Please provide only one.');
		}
		const { sorted, positions } = this.newestFirst(request.path, items, key);
		const cursor = after ?? before;
		const index = cursor === null ? -1 : (positions.get(cursor) ?? -1);
		if (cursor !== null && index === -1) throw invalid(`No such object: '${cursor}'`, after !== null ? 'after' : 'before');
		let page: T[];
		let hasMore: boolean;
		let start: number;
		if (before !== null) {
			start = Math.max(0, index - limit);
			page = sorted.slice(start, index);
			hasMore = index - limit > 0;
		} else {
			start = index + 1;
			page = sorted.slice(start, index + 1 + limit);
			hasMore = sorted.length > index + 1 + limit;
		}
		const origin = new URL(this.baseUrl).origin;
		const links: string[] = [];
		const linkTo = (param: string, id: string, rel: string) =>
			links.push(`<${origin}${request.path}?${param}=${id}&limit=${limit}>; rel="${rel}"`);
		if (hasMore && page.length > 0) linkTo('after', page[page.length - 1].id, 'next');
		if (page.length > 0 && start > 0) linkTo('before', page[0].id, 'previous');
		return { items: page, hasMore, link: links.length > 0 ? { Link: links.join(', ') } : undefined };
	}

	/**
	 * A list sorted newest first (by the sort key, then id, both descending), with each id's position. The last
	 * sort of each list path is kept with what it sorted (the items in their order, their ids and sort keys then),
	 * and reused only when all of that is the same again, checked item by item: paging through 10,000 contacts
	 * then costs a pass per page instead of a sort per page, and a change of any kind (a write, a test that edits
	 * the state directly) sorts again.
	 */
	private newestFirst<T extends { id: string }>(list: string, items: T[], key: (item: T) => string): SortedList<T> {
		const keys = items.map(key);
		const held = this.sorts.get(list) as HeldSort<T> | undefined;
		if (
			held !== undefined &&
			held.items.length === items.length &&
			items.every((item, index) => held.items[index] === item && held.ids[index] === item.id && held.keys[index] === keys[index])
		) {
			return held;
		}
		const order = items
			.map((_, index) => index)
			.sort((a, b) => (keys[a] === keys[b] ? (items[a].id < items[b].id ? 1 : -1) : keys[a] < keys[b] ? 1 : -1));
		const sorted = order.map((index) => items[index]);
		const positions = new Map(sorted.map((item, position) => [item.id, position]));
		const sort: HeldSort<T> = { items, ids: items.map((item) => item.id), keys, sorted, positions };
		this.sorts.set(list, sort as HeldSort<{ id: string }>);
		return sort;
	}

	// ---- bookings and conversations ----

	private booking(id: string): Booking {
		const booking = this.state.bookings.get(id);
		if (!booking) throw noSuch('booking', id);
		return booking;
	}

	private filterBookings(query: URLSearchParams): Booking[] {
		const status = query.get('status');
		if (status !== null && !BOOKING_STATUSES.includes(status as BookingStatus)) throw invalid(`Invalid status: ${status}`, 'status');
		const created = timeRange(query, 'creation_time');
		const starts = timeRange(query, 'starting_time');
		const updated = timeRange(query, 'last_updated_time');
		const owner = query.get('owner');
		const contact = query.get('contact');
		return [...this.state.bookings.values()].filter(
			(b) =>
				(status === null || b.status === status) &&
				(owner === null || b.owner === owner) &&
				(contact === null || b.contact === contact) &&
				created(b.creation_time) &&
				starts(b.starting_time) &&
				updated(b.last_updated_time),
		);
	}

	/** The list's documented expansions, plus `data.conversation` as `listExpandsConversation` says. */
	private listExpand(query: URLSearchParams): Set<string> {
		const mode = this.options.listExpandsConversation ?? 'refuse';
		const allowed = ['data.booking_page', 'data.master_page', 'data.event_type', 'data.owner'];
		if (mode !== 'refuse') allowed.push('data.conversation');
		const expand = readExpand(query, allowed);
		const fields = new Set([...expand].map((field) => field.slice('data.'.length)));
		if (mode === 'ignore') fields.delete('conversation');
		return fields;
	}

	/** Two levels at most: `conversation.contact` is allowed, as the expanding guide describes. */
	private bookingExpand(query: URLSearchParams): Set<string> {
		const nested = ['contact', 'owner', 'bot', 'website', 'audience'].map((field) => `conversation.${field}`);
		return readExpand(query, ['conversation', 'contact', 'owner', 'booking_page', 'master_page', 'event_type', ...nested]);
	}

	private renderBooking(booking: Booking, expand: Set<string>): Record<string, unknown> {
		const rendered: Record<string, unknown> = { ...booking };
		if (expand.has('contact')) rendered.contact = this.renderContact(this.contact(booking.contact, true));
		if (expand.has('owner')) rendered.owner = this.user(booking.owner);
		if (expand.has('booking_page')) rendered.booking_page = { object: 'booking_page', id: booking.booking_page, name: 'Intro call' };
		if (expand.has('conversation') && booking.conversation !== null) {
			const nested = new Set([...expand].filter((f) => f.startsWith('conversation.')).map((f) => f.slice('conversation.'.length)));
			rendered.conversation = this.renderConversation(this.conversation(booking.conversation), nested);
		}
		return rendered;
	}

	private conversation(id: string): Conversation {
		const conversation = this.state.conversations.get(id);
		if (!conversation) throw new Error(`No stored conversation ${id}`);
		return conversation;
	}

	renderConversation(conversation: Conversation, expand: Set<string>): Record<string, unknown> {
		const { contact, owner, bot, website, audience } = conversation;
		return {
			...conversation,
			contact: expand.has('contact') ? this.renderContact(this.contact(contact, true)) : contact,
			owner: expand.has('owner') ? this.user(owner) : owner,
			bot: expand.has('bot') ? this.state.bots.get(bot) : bot,
			website: expand.has('website') ? this.state.websites.get(website) : website,
			audience: audience !== null && expand.has('audience') ? this.state.audiences.get(audience) : audience,
			answers: conversation.answers.map((answer) => ({ ...answer })),
			bookings: [...conversation.bookings],
		};
	}

	/**
	 * A conversation as webhook events carry it: contact, owner, bot and website expanded, as the event schema
	 * says; `audience` is not mentioned there (UNKNOWN) and is expanded here too.
	 */
	conversationEventData(conversationId: string): Record<string, unknown> {
		return this.renderConversation(this.conversation(conversationId), new Set(['contact', 'owner', 'bot', 'website', 'audience']));
	}

	// ---- contacts and users ----

	/** A deleted contact reads as `{ id, object, deleted: true }` when asked for directly or expanded. */
	private contact(id: string, allowDeleted = false): Contact & { deleted?: true } {
		const contact = this.state.contacts.get(id);
		if (!contact || (contact.deleted && !allowDeleted)) throw noSuch('contact', id);
		return contact;
	}

	private renderContact(contact: Contact & { deleted?: true }): Record<string, unknown> {
		if (contact.deleted) return { id: contact.id, object: 'contact', deleted: true };
		return { ...contact, custom_fields: contact.custom_fields.map((field) => ({ ...field })) };
	}

	private filterContacts(query: URLSearchParams): Contact[] {
		const email = query.get('email')?.toLowerCase();
		const created = timeRange(query, 'creation_time');
		const updated = timeRange(query, 'last_updated_time');
		return [...this.state.contacts.values()].filter(
			(c) =>
				!c.deleted &&
				(email === undefined || c.email?.toLowerCase() === email) &&
				created(c.creation_time) &&
				updated(c.last_updated_time),
		);
	}

	private user(id: string): User {
		const user = this.state.users.get(id);
		if (!user) throw noSuch('user', id);
		return user;
	}

	private createContact(request: SimRequest): Contact {
		const body = objectBody(request);
		if (typeof body.first_name !== 'string' || body.first_name === '') throw invalid('Missing required param: first_name.', 'first_name');
		if (typeof body.last_name !== 'string' || body.last_name === '') throw invalid('Missing required param: last_name.', 'last_name');
		if (typeof body.email !== 'string' && typeof body.mobile_phone !== 'string') {
			throw invalid('Either email or mobile_phone is required.', 'email');
		}
		const { email = null, mobile_phone = null, ...rest } = body;
		const contact = this.addContact({ email: email as string | null, mobile_phone: mobile_phone as string | null, source: 'OHAPI' });
		this.applyContactFields(contact, rest);
		return contact;
	}

	/** PATCH: partial; the identifiers (email, mobile_phone) cannot change; at least one field. */
	private updateContact(id: string, request: SimRequest): Contact {
		const contact = this.contact(id);
		const body = objectBody(request);
		if (Object.keys(body).length === 0) throw invalid('At least one field must be provided to update.', 'body');
		for (const identifier of ['email', 'mobile_phone']) {
			if (identifier in body) throw invalid('Identifier fields (email, mobile_phone) cannot be updated via this endpoint', identifier);
		}
		this.applyContactFields(contact, body);
		contact.last_updated_time = isoTime(this.now());
		return contact;
	}

	private applyContactFields(contact: Contact, body: Record<string, unknown>): void {
		const text = ['first_name', 'last_name', 'city', 'company_size', 'company', 'country', 'job_title', 'post_code', 'salutation', 'state', 'street_address'];
		const flags = ['has_consent', 'terms_of_sevice'];
		const known = [...text, ...flags, 'owner', 'status', 'employees', 'phone', 'timezone', 'custom_fields'];
		const unknown = Object.keys(body).find((field) => !known.includes(field));
		if (unknown) throw invalid('Unsupported field', unknown);
		const fields = contact as unknown as Record<string, unknown>;
		for (const field of text) {
			if (field in body) {
				if (body[field] !== null && typeof body[field] !== 'string') throw invalid(`Invalid ${field}: must be a string`, field);
				fields[field] = body[field];
			}
		}
		for (const flag of flags) {
			if (flag in body) {
				if (typeof body[flag] !== 'boolean') throw invalid(`Invalid ${flag}: must be a boolean`, flag);
				fields[flag] = body[flag];
			}
		}
		if ('owner' in body) {
			if (typeof body.owner !== 'string' || !this.state.users.has(body.owner)) throw noSuch('user', String(body.owner));
			contact.owner = body.owner;
		}
		// Documented: any value outside the enum sets the status to null.
		if ('status' in body) contact.status = CONTACT_STATUSES.includes(body.status as string) ? (body.status as string) : null;
		if ('employees' in body) {
			if (!Number.isInteger(body.employees)) throw invalid('Invalid employees: must be an integer', 'employees');
			contact.employees = body.employees as number;
		}
		if ('phone' in body) {
			if (body.phone !== null && !/^\+[1-9]\d{1,14}$/.test(String(body.phone))) throw invalid(`Invalid phone format: '${String(body.phone)}'`, 'phone');
			contact.phone = body.phone as string | null;
		}
		if ('timezone' in body) {
			if (!isTimeZone(body.timezone)) throw invalid(`Invalid timezone: '${String(body.timezone)}'`, 'timezone');
			contact.timezone = body.timezone as string;
		}
		if ('custom_fields' in body) {
			if (!Array.isArray(body.custom_fields)) throw invalid('Invalid custom_fields: must be an array', 'custom_fields');
			for (const entry of body.custom_fields as CustomField[]) {
				if (!FIELD_LIBRARY.includes(entry?.name)) {
					throw invalid(`Custom field '${String(entry?.name)}' does not exist in field library`, 'custom_fields');
				}
				const existing = contact.custom_fields.find((field) => field.name === entry.name);
				if (existing) existing.value = entry.value ?? null;
				else contact.custom_fields.push({ name: entry.name, value: entry.value ?? null });
			}
		}
	}

	// ---- webhooks ----

	private webhook(id: string): StoredWebhook {
		const webhook = this.state.webhooks.get(id);
		if (!webhook) throw noSuch('webhook', id);
		return webhook;
	}

	/** 200 with the Webhook and its secret (only here: list and get leave it out, per the older object page). */
	private createWebhook(request: SimRequest): Record<string, unknown> {
		const { url, name, events } = objectBody(request);
		let parsed: URL | undefined;
		try {
			parsed = new URL(String(url));
		} catch {
			parsed = undefined;
		}
		const httpsOnly = this.options.httpsOnly ?? false;
		if (!parsed || !(httpsOnly ? parsed.protocol === 'https:' : /^https?:$/.test(parsed.protocol))) {
			throw invalid(`Invalid URL: ${String(url)}. Please provide a full ${httpsOnly ? 'https://' : 'http(s)://'} URL.`, 'url');
		}
		if (typeof name !== 'string' || !/[A-Za-z0-9]/.test(name)) {
			throw invalid('The name must contain at least one alphanumeric character.', 'name');
		}
		if (!Array.isArray(events) || events.length === 0) throw invalid('Provide at least one event.', 'events');
		const unknown = events.find((event) => !WEBHOOK_EVENTS.includes(event));
		if (unknown !== undefined) throw invalid(`Invalid event: '${String(unknown)}'`, 'events');
		if ([...this.state.webhooks.values()].some((webhook) => webhook.name === name)) {
			throw new ApiError(409, 'invalid_request_error', `A webhook subscription with this name already exists: '${name}'`, 'name');
		}
		const webhook = this.addWebhook({ url: parsed.toString(), name, events: [...new Set(events as string[])] });
		const { secret, ...rest } = webhook;
		const field = this.options.secretField ?? 'secret';
		return field === 'none' ? rest : { ...rest, [field]: secret };
	}

	/** A webhook as made in OnceHub's dashboard, or seeded for a test: no validation, no conflict check. */
	addWebhook(partial: Partial<StoredWebhook> & { url: string; name: string }): StoredWebhook {
		const webhook: StoredWebhook = {
			object: 'webhook',
			id: this.newId('WHK', 10),
			api_version: 'v2',
			events: [...CONVERSATION_EVENTS],
			creation_time: this.now().toISOString(),
			secret: this.random.hex(32),
			...partial,
		};
		this.state.webhooks.set(webhook.id, webhook);
		return webhook;
	}

	// ---- webhook deliveries ----

	/** The documented envelope, signed `t=<unix>,s=<hex HMAC-SHA256 of "t.rawBody">`. */
	signDelivery(event: string, data: object, options: SignOptions = {}): SignedDelivery {
		const secret = options.secret ?? EXAMPLE_WEBHOOK_SECRET;
		const timestamp = options.timestamp ?? Math.floor(this.now().getTime() / 1000);
		const body = {
			id: options.eventId ?? this.newId('EVNT', 10),
			object: 'event',
			creation_time: options.creationTime ?? this.now().toISOString(),
			type: event,
			api_version: 'v2',
			data,
		};
		const rawBody = JSON.stringify(body);
		const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
		// Headers other than the signature are UNKNOWN; JSON is assumed.
		return {
			headers: { 'Content-Type': 'application/json', 'Oncehub-Signature': `t=${timestamp},s=${signature}` },
			rawBody,
			body,
		};
	}

	private async send(webhook: StoredWebhook | undefined, url: string, event: string, data: object, options: SignOptions): Promise<DeliveryResult> {
		const delivery = this.signDelivery(event, data, options);
		const { status, body } = await postJson(url, delivery.rawBody, delivery.headers);
		const eventId = String(delivery.body.id);
		this.deliveries.push({ webhookId: webhook?.id ?? null, url, event, eventId, status, responseBody: body });
		return { status, body };
	}

	/** POSTs one signed event around `data` to a webhook, by id or URL (an unregistered URL is signed with `options.secret`). */
	async deliver(target: string, event: string, data: object, options: SignOptions = {}): Promise<DeliveryResult> {
		const webhooks = [...this.state.webhooks.values()];
		const webhook = webhooks.find((w) => w.id === target) ?? webhooks.find((w) => w.url === target);
		return await this.send(webhook, webhook?.url ?? target, event, data, { ...options, secret: options.secret ?? webhook?.secret });
	}

	/** POSTs one conversation event, with the same event id, to every webhook subscribed to it. */
	async emitConversationEvent(event: (typeof CONVERSATION_EVENTS)[number], conversationId: string): Promise<DeliveryAttempt[]> {
		const data = this.conversationEventData(conversationId);
		const eventId = this.newId('EVNT', 10);
		const first = this.deliveries.length;
		for (const webhook of this.state.webhooks.values()) {
			if (webhook.events.includes(event)) await this.send(webhook, webhook.url, event, data, { secret: webhook.secret, eventId });
		}
		return this.deliveries.slice(first);
	}

	// ---- seeding helpers: they write state directly ----

	private newId(prefix: string, length: number): string {
		const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
		return `${prefix}-${Array.from({ length }, () => alphabet[this.random.int(alphabet.length)]).join('')}`;
	}

	private minutesAgo(minutes: number): string {
		return isoTime(new Date(this.now().getTime() - minutes * MINUTE_MS));
	}

	addUser(partial: Partial<User> = {}): User {
		const user: User = {
			object: 'user',
			id: this.newId('USR', 10),
			first_name: 'Test',
			last_name: 'User',
			email: `user${this.state.users.size + 1}@example.com`,
			status: 'active',
			role_name: 'Member',
			timezone: 'UTC',
			teams: [],
			...partial,
		};
		this.state.users.set(user.id, user);
		return user;
	}

	addContact(partial: Partial<Contact> = {}): Contact {
		const created = partial.creation_time ?? this.minutesAgo(0);
		const contact: Contact = {
			object: 'contact', id: this.newId('CTC', 10), creation_time: created, last_updated_time: created,
			last_interacted_time: null, source: 'Chatbot', owner: [...this.state.users.keys()][0], status: null,
			city: null, company_size: null, company: null, country: null, email: null, employees: 1,
			first_name: null, has_consent: false, job_title: null, last_name: null, mobile_phone: null, phone: null,
			post_code: null, salutation: null, state: null, street_address: null, terms_of_sevice: false,
			timezone: 'Europe/London', custom_fields: FIELD_LIBRARY.map((name) => ({ name, value: null })),
			...partial,
		};
		this.state.contacts.set(contact.id, contact);
		return contact;
	}

	addConversation(partial: Partial<Conversation> & { contact: string }): Conversation {
		const created = partial.creation_time ?? this.minutesAgo(0);
		const conversation: Conversation = {
			object: 'conversation', id: this.newId('CVR', 10), creation_time: created, initiated_by: 'contact',
			last_updated_time: created, last_interacted_time: created, owner: [...this.state.users.keys()][0],
			status: 'started', bot: [...this.state.bots.keys()][0], website: [...this.state.websites.keys()][0],
			audience: null, answers: [], bookings: [],
			...partial,
		};
		this.state.conversations.set(conversation.id, conversation);
		return conversation;
	}

	/** A booking; with `conversation`, that conversation lists it in its `bookings`. */
	addBooking(partial: Partial<Booking> & { contact: string }): Booking {
		const contact = this.contact(partial.contact, true);
		const created = partial.creation_time ?? this.minutesAgo(0);
		const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ') || 'Website visitor';
		const booking: Booking = {
			object: 'booking', id: this.newId('BKNG', 12), tracking_id: this.random.hex(8).toUpperCase(),
			subject: 'Product demo', status: 'scheduled', in_trash: false, creation_time: created,
			starting_time: isoTime(new Date(this.now().getTime() + 2 * 24 * 60 * MINUTE_MS)),
			customer_timezone: contact.timezone, last_updated_time: created, owner: contact.owner, duration_minutes: 30,
			virtual_conferencing: { join_url: 'https://meet.example.com/abc-defg-hij' }, location_description: null,
			attendees: [contact.email ?? 'visitor@example.org'],
			form_submission: { name, email: contact.email ?? 'visitor@example.org', phone: contact.phone, mobile_phone: contact.mobile_phone, note: null, company: contact.company, guests: [], custom_fields: [] },
			booking_page: this.newId('BP', 10), master_page: null, event_type: null, conversation: null, utm_params: null,
			custom_fields: [],
			...partial,
		};
		this.state.bookings.set(booking.id, booking);
		if (booking.conversation) this.conversation(booking.conversation).bookings.push(booking.id);
		return booking;
	}

	/** Users, bots and a website always exist; each seeded contact has one conversation; closed ones led to a booking. */
	private seed(): void {
		for (const collection of Object.values(this.state) as Array<Map<string, unknown>>) collection.clear();
		const { random } = this;
		for (const [i, person] of SEED_USERS.entries()) {
			this.addUser({ ...person, email: `${person.first_name.toLowerCase()}.${person.last_name.toLowerCase()}@example.com`, teams: i === 0 ? [] : [this.newId('TM', 12)] });
		}
		for (const name of ['Website qualifier', 'Pricing assistant']) {
			const bot: Named = { id: this.newId('BOT', 10), object: 'bot', name };
			this.state.bots.set(bot.id, bot);
		}
		const website: Named = { id: this.newId('WEB', 10), object: 'website', name: 'Main site', url: 'https://www.example.com' };
		this.state.websites.set(website.id, website);
		const audience: Named = { id: this.newId('AUD', 9), object: 'audience', name: 'Returning visitors' };
		this.state.audiences.set(audience.id, audience);

		const seed = this.options.seed ?? true;
		const count = seed === true ? 6 : seed === false ? 0 : seed;
		const users = [...this.state.users.keys()];
		const bots = [...this.state.bots.keys()];
		for (let index = 0; index < count; index++) {
			const person = SEED_CONTACTS[index % SEED_CONTACTS.length];
			const startedMinutesAgo = (count - index) * 95 + random.int(30);
			const email = index < SEED_CONTACTS.length ? person.email : `visitor${index}@example.org`;
			const contact = this.addContact({
				...person,
				email,
				owner: users[index % users.length],
				creation_time: this.minutesAgo(startedMinutesAgo - 1),
				last_updated_time: this.minutesAgo(startedMinutesAgo - 5),
				last_interacted_time: this.minutesAgo(startedMinutesAgo - 6),
			});
			const status = CONVERSATION_STATUSES[index % CONVERSATION_STATUSES.length];
			const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || 'Anonymous';
			const conversation = this.addConversation({
				contact: contact.id,
				owner: contact.owner,
				status,
				initiated_by: random.int(2) === 0 ? 'bot' : 'contact',
				bot: bots[index % bots.length],
				audience: index % 2 === 0 ? audience.id : null,
				creation_time: this.minutesAgo(startedMinutesAgo),
				last_interacted_time: this.minutesAgo(startedMinutesAgo - 6),
				last_updated_time: this.minutesAgo(startedMinutesAgo - (status === 'abandoned' ? 16 : 7)),
				answers: SEED_QUESTIONS.map((q, i) => ({
					id: this.newId('INT', 10),
					...q,
					value: [name, email, 'Booking Calendars'][i],
				})),
			});
			if (status === 'closed') {
				this.addBooking({ contact: contact.id, conversation: conversation.id, creation_time: this.minutesAgo(startedMinutesAgo - 7), last_updated_time: this.minutesAgo(startedMinutesAgo - 7) });
			}
		}
		// Bookings made straight on a booking page, without a conversation.
		for (const contact of [...this.state.contacts.values()].slice(0, Math.min(2, count))) {
			this.addBooking({ contact: contact.id, subject: 'Intro call', creation_time: this.minutesAgo(20 + random.int(10)) });
		}
	}
}

function withoutSecret(webhook: StoredWebhook): Webhook {
	const { secret, ...rest } = webhook;
	return rest;
}
