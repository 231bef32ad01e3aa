/**
 * Local simulator of the SocialBoards External Chat API and the Ticket API it depends on: a refresh-token
 * exchange at `/token` (form-urlencoded), camelCase REST answers in the `{data, errorCode, errorText}` envelope,
 * and dashboard-configured webhooks (a GET verification handshake, unsigned PascalCase POST deliveries), following
 * shared/vendors/socialboards.md. Where that document is silent, the simulator does what its working assumptions
 * say; each one is marked `A<n>` where it is encoded, and the knobs for the shakiest ones are options.
 */
import { createHmac, randomBytes, randomInt, randomUUID } from 'crypto';
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

export const DEFAULT_CLIENT_ID = '9f1c2e7a-4b3d-4e8f-a6c5-2d7b9e0f1a34';
export const DEFAULT_REFRESH_TOKEN = 'sbrt_8d4f2a9c7e1b6d3f5a0c9e8b7d6f4a2c1e3b5d7f9a0c2e4b';
export const DEFAULT_COMMUNITY = 'exampleshop';

/** A9: the four statuses the docs show. */
export const TICKET_STATUSES = ['open', 'pending', 'completed', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** A19: the one value seen, its mirror and the creation-time pair; the first is the default. */
export const TICKET_ORDERS = [
	'last_thread_activity_desc',
	'last_thread_activity_asc',
	'creation_time_desc',
	'creation_time_asc',
] as const;
const MESSAGE_ORDERS = ['creation_time_desc', 'creation_time_asc'] as const;
export const CHAT_EVENTS = [
	'conversation_created',
	'conversation_message_added',
	'conversation_takeover_state_changed',
	'conversation_closed',
] as const;
/** The only ticket event the docs show; the rest of that list is UNKNOWN. */
export const TICKET_EVENTS = ['ticket_status_change'] as const;
export type EventType = (typeof CHAT_EVENTS)[number] | (typeof TICKET_EVENTS)[number];

export const LIMITS = {
	/** Tickets per `POST /tickets/list` page: at most 50, default 25. */
	ticketTake: 50,
	ticketTakeDefault: 25,
	/** Messages per `GET chat/conversations/{id}/messages` page, and on `GET chat/conversations/{id}`. */
	messageTake: 100,
	/** A message's `creationTime` may be at most this far ahead of the server's clock. */
	futureMessageMs: 30_000,
	accessTokenLifetimeSeconds: 3599,
};

/**
 * A3: the docs show only `-1` (success); these failure codes are ours. `errorCode` is never `-1` on a failure.
 */
export const ERROR_CODES = {
	validation: 1,
	notFound: 2,
	unauthorized: 3,
	forbidden: 4,
	conflict: 5,
	rateLimited: 6,
	unsupportedMediaType: 7,
	internal: 99,
} as const;
const ERROR_CODE_BY_STATUS: Record<number, number> = {
	400: ERROR_CODES.validation,
	401: ERROR_CODES.unauthorized,
	403: ERROR_CODES.forbidden,
	404: ERROR_CODES.notFound,
	409: ERROR_CODES.conflict,
	415: ERROR_CODES.unsupportedMediaType,
	429: ERROR_CODES.rateLimited,
};
const MINUTE_MS = 60_000;
const PRNG_SEED = 0x50c1a1;

// ---- times: the server keeps instants with .NET's sub-millisecond ticks and prints them with an offset ----

/** An instant: milliseconds, plus the four sub-millisecond digits .NET prints (0–9999). */
export interface Stamp {
	ms: number;
	ticks: number;
}

export interface TimeStyle {
	offsetMinutes: number;
	/** Fraction digits printed, 0–7; below 3 the milliseconds are truncated. */
	digits: number;
}

/** Offsets and precisions as the documented examples show them (`+01:00`, `+03:00`, `+00:00`; 7 and 2 digits). */
export const TIME_STYLES = {
	ticket: { offsetMinutes: 60, digits: 7 },
	conversation: { offsetMinutes: 180, digits: 7 },
	event: { offsetMinutes: 60, digits: 7 },
} satisfies Record<string, TimeStyle>;
/** Message times are UTC (`+00:00`) with 2 to 7 fraction digits, varying by message id so every width occurs. */
const messageTimeStyle = (messageId: number): TimeStyle => ({ offsetMinutes: 0, digits: 2 + (messageId % 6) });

export function renderTime(stamp: Stamp, style: TimeStyle): string {
	const local = new Date(stamp.ms + style.offsetMinutes * MINUTE_MS).toISOString();
	const fraction = `${local.slice(20, 23)}${String(stamp.ticks).padStart(4, '0')}`.slice(0, style.digits);
	const sign = style.offsetMinutes < 0 ? '-' : '+';
	const minutes = Math.abs(style.offsetMinutes);
	const offset = `${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
	return `${local.slice(0, 19)}${fraction ? `.${fraction}` : ''}${offset}`;
}

const pad2 = (value: number) => String(value).padStart(2, '0');
/** A DateTime with an explicit offset (or `Z`), as the docs' filters and message inputs show. */
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$/;

function parseStamp(value: string): Stamp | undefined {
	if (!OFFSET_TIME.test(value) || Number.isNaN(Date.parse(value))) return undefined;
	const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
	return { ms: Date.parse(value), ticks: Number(fraction.slice(3).padEnd(4, '0')) };
}

// ---- stored state ----

export interface User {
	id: string;
	name: string | null;
	email: string | null;
	/** Stored trimmed and lowercased, as the User value page says. */
	customIdentifier: string | null;
	image: string | null;
	isBot: boolean;
	/** `client` or `team` (the two values seen). The system bot is `team` with `isBot: true` (our choice). */
	status: 'client' | 'team';
}

/** `agent` and `vendor` are ours: the docs show `admin` and `read_only_user`, and name vendors as unassignable. */
export type TeammateRole = 'admin' | 'agent' | 'read_only_user' | 'vendor';
const ASSIGNABLE_ROLES: readonly TeammateRole[] = ['admin', 'agent'];

export interface Teammate {
	userId: string;
	role: TeammateRole;
	groupIds: number[];
}

export interface Tag {
	id: number;
	name: string;
}

export interface Category {
	id: number;
	name: string;
}

export interface CustomFieldValue {
	key: number;
	value: string;
}

export interface ChatState {
	initialPageUrl: string | null;
	latestPageUrl: string | null;
	isClosed: boolean;
	feedback: { isPositive: boolean; text: string } | null;
	lastModified: Stamp;
	/** `-1` = not queued, an agent is handling it. */
	queuePosition: number;
	waitTime: number | null;
}

export interface StoredTicket {
	id: number;
	title: string | null;
	/** The opening text; a chat's is its first message. */
	message: string;
	authorId: string;
	categoryId: number | null;
	created: Stamp;
	lastThreadElement: Stamp;
	lockedById: string | null;
	status: TicketStatus;
	/** The status before the last change, for `ticket_status_change`; null when it never changed. */
	previousStatus: TicketStatus | null;
	tagIds: number[];
	sentiment: string;
	source: string;
	detailedSource: string;
	isAssignedToBot: boolean;
	customFields: CustomFieldValue[];
	/** Null for a ticket that is not a chat (an email): the Chat API answers 404 for it. */
	chat: ChatState | null;
}

export interface StoredMessage {
	id: number;
	ticketId: number;
	authorId: string;
	text: string;
	created: Stamp;
	lastModified: Stamp;
}

export interface RefreshToken {
	token: string;
	name: string;
	revoked: boolean;
}

export interface IssuedAccessToken {
	accessToken: string;
	/** The refresh token it was exchanged for; null for one issued directly by `issueAccessToken`. */
	refreshToken: string | null;
	expiresAtMs: number;
}

/** A webhook as an admin configures it in the dashboard (there is no registration API). */
export interface ConfiguredWebhook {
	id: number;
	url: string;
	verifyToken: string;
	events: EventType[];
	/** Whether the last verification handshake was answered correctly; only verified webhooks get deliveries. */
	verified: boolean;
}

export interface SocialBoardsState {
	community: { name: string; id: string };
	users: Map<string, User>;
	/** By user id. */
	teammates: Map<string, Teammate>;
	groups: Map<number, string>;
	categories: Map<number, Category>;
	tags: Map<number, Tag>;
	tickets: Map<number, StoredTicket>;
	/** By ticket id, oldest first. */
	messages: Map<number, StoredMessage[]>;
	refreshTokens: Map<string, RefreshToken>;
	accessTokens: Map<string, IssuedAccessToken>;
	webhooks: Map<number, ConfiguredWebhook>;
	botUserId: string;
}

export interface Verification {
	webhookId: number | null;
	url: string;
	challenge: string;
	verifyToken: string;
	/** The receiver's status; 0 for a network error or timeout. */
	status: number;
	body: string;
	/** A15: a 200 whose whole body is the challenge. */
	passed: boolean;
}

export interface DeliveryBody {
	CommunityName: string;
	EventType: string;
	Events: object[];
	TicketId?: number;
}

export interface DeliveryAttempt {
	webhookId: number | null;
	url: string;
	eventType: string | null;
	ticketId: number | null;
	eventCount: number;
	rawBody: string;
	/** The receiver's status; 0 for a network error or timeout. */
	status: number;
	responseBody: string;
}

export interface DeliveryResult {
	status: number;
	body: string;
}

/** Who writes a message in the seeding and event helpers: the ticket's contact, a teammate (user id), or the bot. */
export type MessageAuthor = 'contact' | 'bot' | { userId: string };

export interface SocialBoardsSimulatorOptions {
	port?: number;
	host?: string;
	/** Prefix every path lives under; default none (A1: the API root is the host, as for `/token`). */
	basePath?: string;
	/** The token endpoint below `basePath`; default `/token`. */
	tokenPath?: string;
	clientId?: string;
	/** The refresh token seeded under the name "n8n"; more with `addRefreshToken`. */
	refreshToken?: string;
	communityName?: string;
	/** `false` seeds teammates, tags and categories but no tickets. Default true. */
	seed?: boolean;
	now?: () => Date;
	/** `expires_in` of exchanged access tokens; default 3599. */
	accessTokenLifetimeSeconds?: number;
	/** A2 says refresh tokens do not rotate (default false); true answers a new one and revokes the one sent. */
	rotateRefreshTokens?: boolean;
	/** A12: a `take` above the maximum is capped silently (default), or refused with 400. */
	oversizedTake?: 'cap' | 'refuse';
	/** A3 variant: answer validation, 404 and 409 failures with HTTP 200 and the error code. Default false. */
	errorsInside2xx?: boolean;
	/** A18: a fixed-window budget over every request (the token endpoint too); over it, 429 with Retry-After. */
	rateLimit?: { requests: number; perSeconds: number };
	/**
	 * A careless server: every error text repeats the secret the request carried (the Authorization header, or the
	 * refresh token sent to the token endpoint), so that tests can check a client redacts what it is echoed.
	 */
	echoSecretsInErrors?: boolean;
}

export function startSocialBoardsSimulator(options: SocialBoardsSimulatorOptions = {}): Promise<SocialBoardsSimulator> {
	return SocialBoardsSimulator.start(options);
}

class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: number,
		message: string,
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}

const invalid = (message: string) => new ApiError(400, ERROR_CODES.validation, message);
const notFound = (message: string) => new ApiError(404, ERROR_CODES.notFound, message);
const unauthorized = (message: string, error: 'invalid_request' | 'invalid_token') =>
	new ApiError(401, ERROR_CODES.unauthorized, message, {
		'WWW-Authenticate': `Bearer error="${error}", error_description="${message}"`,
	});

/** The success envelope every documented answer shows. */
const ok = (data: unknown): SimResponse => ({ status: 200, body: { data, errorCode: -1, errorText: null } });

export function envelopeError(errorCode: number, errorText: string) {
	return { data: null, errorCode, errorText };
}

/** A2: OAuth-style failures of the token endpoint, not enveloped. */
const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): SimResponse => ({
	status,
	headers: { 'Cache-Control': 'no-store', ...headers },
	body: { error, error_description: description },
});

function requireJson(request: SimRequest): unknown {
	if (request.rawBody === '') return undefined;
	const contentType = String(request.headers['content-type'] ?? '');
	if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
		throw new ApiError(415, ERROR_CODES.unsupportedMediaType, 'The request body must be application/json.');
	}
	if (request.bodyIsMalformed) throw invalid('The request body is not valid JSON.');
	return request.body;
}

/** A JSON object body; unknown fields are refused (our choice: strict, so a misspelt field fails loudly). */
function objectBody(request: SimRequest, allowed: readonly string[], { optional = false } = {}): Record<string, unknown> {
	const body = requireJson(request);
	if (body === undefined && optional) return {};
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
	const unknown = Object.keys(body).find((field) => !allowed.includes(field));
	if (unknown) throw invalid(`Unknown field "${unknown}".`);
	return body as Record<string, unknown>;
}

function positiveId(raw: string, what: string): number {
	const id = Number(raw);
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1) throw invalid(`The ${what} id must be a positive integer.`);
	return id;
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isGuid = (value: unknown): value is string =>
	typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const isUrl = (value: unknown) => {
	try {
		return /^https?:$/.test(new URL(String(value)).protocol);
	} catch {
		return false;
	}
};

function readQueryInteger(query: URLSearchParams, name: string, min: number, fallback: number): number {
	const raw = query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!/^-?\d+$/.test(raw) || value < min) throw invalid(`"${name}" must be an integer of at least ${min}.`);
	return value;
}

function readQueryBoolean(query: URLSearchParams, name: string): boolean {
	const raw = query.get(name);
	if (raw === null || raw === '') return false;
	if (/^true$/i.test(raw)) return true;
	if (/^false$/i.test(raw)) return false;
	throw invalid(`"${name}" must be true or false.`);
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
	if (value === undefined || value === null || value === '') return fallback;
	if (!allowed.includes(value as T)) throw invalid(`"${name}" must be one of ${allowed.join(', ')}.`);
	return value as T;
}

/** Webhook bodies use PascalCase for the same fields REST spells in camelCase. */
export function pascalCase(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(pascalCase);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, field]) => [`${key[0].toUpperCase()}${key.slice(1)}`, pascalCase(field)]),
	);
}

const byStamp = (a: Stamp, b: Stamp) => a.ms - b.ms || a.ticks - b.ticks;

/** Sends the verification GET as SocialBoards does; network errors answer status 0. */
async function getText(url: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
	try {
		const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
		return { status: response.status, body: await response.text() };
	} catch (error) {
		return { status: 0, body: String(error) };
	}
}

// ---- seed data ----

const SEED_GROUPS: Array<[number, string]> = [
	[1, 'Support'],
	[2, 'Sales'],
];
const SEED_TEAM: Array<{ name: string; email: string; role: TeammateRole; groupIds: number[] }> = [
	{ name: 'Ola Agent', email: 'agent.ola@example.no', role: 'admin', groupIds: [1] },
	{ name: 'Ingrid Berg', email: 'ingrid.berg@example.no', role: 'agent', groupIds: [1, 2] },
	{ name: 'Jonas Dahl', email: 'jonas.dahl@example.no', role: 'agent', groupIds: [2] },
	{ name: 'Lars Lesen', email: 'lars.lesen@example.no', role: 'read_only_user', groupIds: [] },
];
const SEED_CLIENTS: Array<Pick<User, 'name' | 'email' | 'customIdentifier'>> = [
	{ name: 'Kari Nordmann', email: 'kari.nordmann@example.no', customIdentifier: 'cus-12345' },
	{ name: 'Per Hansen', email: 'per.hansen@example.no', customIdentifier: null },
	{ name: 'Sofie Lind', email: 'sofie.lind@example.se', customIdentifier: null },
	{ name: null, email: null, customIdentifier: 'visitor-7f3a' },
	{ name: 'Erik Holm', email: 'erik.holm@example.dk', customIdentifier: null },
];
const SEED_TAGS = ['vip', 'billing', 'Delivery', 'refund'];
const SEED_CATEGORIES = ['Orders', 'Returns'];

type SeedLine = [author: 'contact' | 'bot' | 'team', text: string];
interface SeedTicket {
	title: string;
	client: number;
	status: TicketStatus;
	previousStatus: TicketStatus | null;
	/** Index into SEED_TEAM of the assignee (`lockedBy`), or null. */
	assignee: number | null;
	bot: boolean;
	tags: string[];
	category: number | null;
	customFields?: CustomFieldValue[];
	feedback?: ChatState['feedback'];
	/** Null for an email ticket. */
	lines: SeedLine[] | null;
}
const SEED_TICKETS: SeedTicket[] = [
	{
		title: 'Delivery question', client: 1, status: 'open', previousStatus: null, assignee: null, bot: true,
		tags: [], category: null,
		lines: [['contact', 'Can I change my delivery address?'], ['bot', 'Yes: open your order and choose "Change address".']],
	},
	{
		title: 'Chat API Client Problems', client: 0, status: 'open', previousStatus: 'pending', assignee: 0, bot: false,
		tags: ['vip'], category: 0, customFields: [{ key: 18464, value: 'Option 2' }],
		lines: [
			['contact', 'Hi, my order has not arrived yet'],
			['bot', 'Let me find a colleague for you.'],
			['team', 'Your parcel left our warehouse yesterday; tracking number sent by email.'],
			['contact', 'Thanks, got it.'],
		],
	},
	{
		title: 'Refund for a damaged item', client: 2, status: 'pending', previousStatus: 'open', assignee: 1, bot: false,
		tags: ['refund', 'billing'], category: 1,
		lines: [
			['contact', 'The vase arrived broken.'],
			['team', 'Sorry to hear that! Could you send a photo?'],
			['contact', 'Sent it by email.'],
		],
	},
	{
		title: 'Opening hours', client: 3, status: 'completed', previousStatus: 'open', assignee: null, bot: true,
		tags: [], category: null, feedback: { isPositive: true, text: 'Quick answer, thanks!' },
		lines: [['contact', 'Are you open on Sundays?'], ['bot', 'We are open Monday to Saturday, 9 to 18.']],
	},
	{
		title: 'Invoice copy', client: 0, status: 'closed', previousStatus: 'pending', assignee: 2, bot: false,
		tags: ['billing'], category: 0, feedback: { isPositive: false, text: 'Took a while.' },
		lines: [['contact', 'Can I get a copy of my invoice?'], ['team', 'Sent to your email address.']],
	},
	{
		title: 'Invoice address change', client: 4, status: 'open', previousStatus: null, assignee: null, bot: false,
		tags: ['Delivery'], category: 0, lines: null,
	},
	{
		title: 'Long chat', client: 1, status: 'open', previousStatus: null, assignee: 1, bot: false,
		tags: [], category: null,
		lines: Array.from({ length: 105 }, (_, i): SeedLine =>
			i % 2 === 0 ? ['contact', `Question ${i / 2 + 1}`] : ['team', `Answer ${(i + 1) / 2}`],
		),
	},
];
const EMAIL_TICKET_TEXT = 'Please send future invoices to our new address: Storgata 1, 0155 Oslo.';

export class SocialBoardsSimulator {
	readonly clientId: string;
	readonly refreshToken: string;
	/** Direct access for seeding and assertions; REST answers are built from it on every request. */
	readonly state: SocialBoardsState;
	readonly deliveries: DeliveryAttempt[] = [];
	readonly verifications: Verification[] = [];
	private server!: SimServer;
	private random = new SeededRandom(PRNG_SEED);
	private readonly now: () => Date;
	private readonly tokenPath: string;
	private readonly router = this.buildRouter();
	private readonly signingKey = randomBytes(32);
	private pendingDeliveries: Promise<unknown> = Promise.resolve();
	private lastWriteMs = 0;
	private lastMessageId = 0;
	private exchanges = 0;
	private expireCountdown: number | undefined;
	private rateWindow = { index: -1, count: 0 };

	static async start(options: SocialBoardsSimulatorOptions): Promise<SocialBoardsSimulator> {
		const simulator = new SocialBoardsSimulator(options);
		simulator.server = await startSimServer({
			port: options.port,
			host: options.host,
			basePath: options.basePath ?? '',
			handle: (request) => simulator.handle(request),
			errorBody: (status) => envelopeError(ERROR_CODE_BY_STATUS[status] ?? ERROR_CODES.internal, `HTTP ${status}`),
		});
		return simulator;
	}

	private constructor(private readonly options: SocialBoardsSimulatorOptions) {
		this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
		this.refreshToken = options.refreshToken ?? DEFAULT_REFRESH_TOKEN;
		this.tokenPath = options.tokenPath ?? '/token';
		this.now = options.now ?? (() => new Date());
		this.state = {
			community: { name: options.communityName ?? DEFAULT_COMMUNITY, id: '' },
			users: new Map(),
			teammates: new Map(),
			groups: new Map(),
			categories: new Map(),
			tags: new Map(),
			tickets: new Map(),
			messages: new Map(),
			refreshTokens: new Map(),
			accessTokens: new Map(),
			webhooks: new Map(),
			botUserId: '',
		};
		this.seed();
	}

	/** The credential's `baseUrl`: `http://127.0.0.1:<port>` plus `basePath`. */
	get baseUrl(): string {
		return this.server.baseUrl;
	}

	/** The credential's `tokenUrl`. */
	get tokenUrl(): string {
		return `${this.server.baseUrl}${this.tokenPath}`;
	}

	/** Every request, token exchanges included; paths are relative to `baseUrl`, as sent (case kept). */
	get requests(): RequestLogEntry[] {
		return this.server.requests;
	}

	/** Requests to the token endpoint, whatever their answer. */
	get tokenRequests(): RequestLogEntry[] {
		return this.requests.filter((entry) => this.isTokenPath(entry.path));
	}

	/** Requests to the API, i.e. everything but the token endpoint. */
	get apiRequests(): RequestLogEntry[] {
		return this.requests.filter((entry) => !this.isTokenPath(entry.path));
	}

	/** Access tokens the token endpoint has issued (successful exchanges). */
	get tokenExchanges(): number {
		return this.exchanges;
	}

	close(): Promise<void> {
		return this.server.close();
	}

	injectFault(fault: Fault): void {
		this.server.injectFault(fault);
	}

	/** A3: the next matching request(s) answer HTTP 200 with a failure code inside the envelope. */
	injectEnvelopeError(fault: Omit<Fault, 'status' | 'body'> & { errorCode?: number; errorText?: string }): void {
		const { errorCode = ERROR_CODES.internal, errorText = 'The request could not be processed.', ...rest } = fault;
		this.server.injectFault({ ...rest, status: 200, body: envelopeError(errorCode, errorText) });
	}

	clearFaults(): void {
		this.server.clearFaults();
	}

	/** Clears state, request log, faults, tokens, webhooks, deliveries, verifications and counters, then seeds again. */
	reset(): void {
		this.server.requests.length = 0;
		this.server.clearFaults();
		this.deliveries.length = 0;
		this.verifications.length = 0;
		this.random = new SeededRandom(PRNG_SEED);
		this.lastWriteMs = 0;
		this.exchanges = 0;
		this.expireCountdown = undefined;
		this.rateWindow = { index: -1, count: 0 };
		this.pendingDeliveries = Promise.resolve();
		this.seed();
	}

	private isTokenPath(path: string): boolean {
		return path.toLowerCase() === this.tokenPath.toLowerCase();
	}

	/** Write times never repeat and differ by 10 ms or more, so even 2-digit fractions keep the order of writes. */
	private stamp(): Stamp {
		this.lastWriteMs = Math.max(this.now().getTime(), this.lastWriteMs + 10);
		return { ms: this.lastWriteMs, ticks: this.random.int(10_000) };
	}

	private stampAt(ms: number): Stamp {
		return { ms, ticks: this.random.int(10_000) };
	}

	// ---- tokens (A2) ----

	/** Creates another refresh token, as an admin does under Settings → Installation → Public API. */
	addRefreshToken(name: string, token = `sbrt_${randomBytes(24).toString('hex')}`): RefreshToken {
		const refreshToken: RefreshToken = { token, name, revoked: false };
		this.state.refreshTokens.set(token, refreshToken);
		return refreshToken;
	}

	/**
	 * Deletes a refresh token in the dashboard: later exchanges with it fail with `invalid_grant`. Access tokens it
	 * already gave stay valid until they expire (they are self-contained JWTs; our choice), unless `alsoAccessTokens`.
	 */
	revokeRefreshToken(token = this.refreshToken, { alsoAccessTokens = false } = {}): void {
		const stored = this.state.refreshTokens.get(token);
		if (!stored) throw new Error('No such refresh token');
		stored.revoked = true;
		if (!alsoAccessTokens) return;
		for (const issued of this.state.accessTokens.values()) {
			if (issued.refreshToken === token) issued.expiresAtMs = 0;
		}
	}

	/** Every access token issued so far expires now: the next call with one gets 401. */
	expireAccessTokens(): void {
		for (const issued of this.state.accessTokens.values()) issued.expiresAtMs = 0;
		this.expireCountdown = undefined;
	}

	/**
	 * The next `requests` authenticated API calls succeed; then every access token issued until then expires. This
	 * lets a token expire in the middle of one node run; tokens exchanged later work normally.
	 */
	expireAccessTokensAfter(requests: number): void {
		if (requests <= 0) return this.expireAccessTokens();
		this.expireCountdown = requests;
	}

	/** An access token made without the token endpoint (not counted as an exchange), for clients outside n8n. */
	issueAccessToken(lifetimeSeconds = LIMITS.accessTokenLifetimeSeconds): string {
		return this.mintAccessToken(null, lifetimeSeconds);
	}

	private mintAccessToken(refreshToken: string | null, lifetimeSeconds: number): string {
		const nowMs = this.now().getTime();
		const seconds = Math.floor(nowMs / 1000);
		const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const header = base64url({ alg: 'HS512', typ: 'JWT' });
		const claims = {
			cid: this.state.community.id,
			type: 'Community',
			nbf: seconds,
			exp: seconds + lifetimeSeconds,
			iss: 'socialboards.com',
			aud: this.clientId,
			jti: randomUUID(),
		};
		const unsigned = `${header}.${base64url(claims)}`;
		const accessToken = `${unsigned}.${createHmac('sha512', this.signingKey).update(unsigned).digest('base64url')}`;
		this.state.accessTokens.set(accessToken, { accessToken, refreshToken, expiresAtMs: nowMs + lifetimeSeconds * 1000 });
		return accessToken;
	}

	private exchangeToken(request: SimRequest): SimResponse {
		if (request.method !== 'POST') return { status: 405, headers: { Allow: 'POST' } };
		const contentType = String(request.headers['content-type'] ?? '');
		if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
			return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
		}
		const form = new URLSearchParams(request.rawBody);
		const grantType = form.get('grant_type');
		const refreshToken = form.get('refresh_token');
		const clientId = form.get('client_id');
		if (!grantType || !refreshToken || !clientId) {
			return oauthError(400, 'invalid_request', 'grant_type, refresh_token and client_id are required.');
		}
		if (grantType !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
		if (clientId !== this.clientId) return oauthError(400, 'invalid_client', 'Unknown client_id.');
		const stored = this.state.refreshTokens.get(refreshToken);
		if (!stored || stored.revoked) {
			const echo = this.options.echoSecretsInErrors ? ` (refresh_token=${refreshToken})` : '';
			return oauthError(400, 'invalid_grant', `The refresh token is invalid or was revoked.${echo}`);
		}
		const lifetime = this.options.accessTokenLifetimeSeconds ?? LIMITS.accessTokenLifetimeSeconds;
		const accessToken = this.mintAccessToken(refreshToken, lifetime);
		let answeredRefreshToken = refreshToken;
		if (this.options.rotateRefreshTokens) {
			stored.revoked = true;
			answeredRefreshToken = this.addRefreshToken(stored.name).token;
		}
		this.exchanges += 1;
		return {
			status: 200,
			headers: { 'Cache-Control': 'no-store' },
			body: { access_token: accessToken, token_type: 'bearer', expires_in: lifetime, refresh_token: answeredRefreshToken },
		};
	}

	private authenticate(request: SimRequest): void {
		const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
		if (!bearer) throw unauthorized('Missing access token: send "Authorization: Bearer <access_token>".', 'invalid_request');
		const issued = this.state.accessTokens.get(bearer[1]);
		if (!issued) throw unauthorized('The access token is invalid.', 'invalid_token');
		if (this.now().getTime() >= issued.expiresAtMs) throw unauthorized('The access token has expired.', 'invalid_token');
		if (this.expireCountdown !== undefined && --this.expireCountdown === 0) this.expireAccessTokens();
	}

	// ---- request pipeline: rate limit, token endpoint or auth, route (case-insensitive), envelope ----

	private async handle(request: SimRequest): Promise<SimResponse> {
		const isToken = this.isTokenPath(request.path);
		const retryAfter = this.overRateLimit();
		if (retryAfter !== undefined) {
			const headers = { 'Retry-After': String(retryAfter) };
			const message = `Too many requests; retry after ${retryAfter} s.`;
			if (isToken) return oauthError(429, 'rate_limited', message, headers);
			return { status: 429, headers, body: envelopeError(ERROR_CODES.rateLimited, message) };
		}
		if (isToken) return this.exchangeToken(request);
		try {
			this.authenticate(request);
			// A1: ASP.NET routes ignore case (`/Teammates`, `/tickets/{id}/Assignee`).
			const routed = await this.router.dispatch({ ...request, path: request.path.toLowerCase() });
			if (!routed) throw notFound(`No endpoint ${request.method} ${request.path}.`);
			return routed;
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			const inside2xx = this.options.errorsInside2xx && ![401, 415, 429].includes(error.status);
			const echo = this.options.echoSecretsInErrors ? ` (Authorization: ${request.headers.authorization ?? 'none'})` : '';
			return {
				status: inside2xx ? 200 : error.status,
				headers: error.headers,
				body: envelopeError(error.errorCode, `${error.message}${echo}`),
			};
		}
	}

	/** Seconds to wait when over the budget, else undefined. */
	private overRateLimit(): number | undefined {
		const limit = this.options.rateLimit;
		if (!limit) return undefined;
		const nowMs = this.now().getTime();
		const windowMs = limit.perSeconds * 1000;
		const index = Math.floor(nowMs / windowMs);
		if (index !== this.rateWindow.index) this.rateWindow = { index, count: 0 };
		this.rateWindow.count += 1;
		if (this.rateWindow.count <= limit.requests) return undefined;
		return Math.max(1, Math.ceil(((index + 1) * windowMs - nowMs) / 1000));
	}

	/**
	 * Patterns are lower case: the pipeline lower-cases the path before dispatch. Close (A4), get ticket (A6), status
	 * (A5), tags (A7, A8) and the teammates' ids (A10) are assumptions; the other routes are documented.
	 */
	private buildRouter(): Router {
		const ticketId = (r: SimRequest) => positiveId(r.params.id, 'ticket');
		return new Router()
			.on('POST', '/chat/conversations', (r) => ok(this.createConversation(r)))
			.on('GET', '/chat/conversations/:id', (r) => ok(this.getConversation(ticketId(r), r.query)))
			.on('GET', '/chat/conversations/:id/messages', (r) => ok(this.listMessages(ticketId(r), r.query)))
			.on('POST', '/chat/conversations/:id/messages', (r) => ok(this.addMessages(ticketId(r), r)))
			.on('GET', '/chat/conversations/:id/takeover', (r) => ok(this.takeover(ticketId(r))))
			.on('PATCH', '/chat/conversations/:id/takeover', (r) => ok(this.changeTakeover(ticketId(r), r)))
			.on('PATCH', '/chat/conversations/:id/close', (r) => ok(this.closeConversation(ticketId(r))))
			.on('PATCH', '/chat/conversations/:id/feedback', (r) => ok(this.updateFeedback(ticketId(r), r)))
			.on('POST', '/tickets/list', (r) => ok(this.listTickets(r)))
			.on('GET', '/tickets/:id', (r) => ok(this.renderTicket(this.ticket(ticketId(r)))))
			.on('PATCH', '/tickets/:id/assignee', (r) => ok(this.updateAssignee(ticketId(r), r)))
			.on('PATCH', '/tickets/:id/status', (r) => ok(this.updateStatus(ticketId(r), r)))
			.on('PUT', '/tickets/:id/tags', (r) => ok(this.replaceTags(ticketId(r), r)))
			.on('GET', '/tags', () => ok(this.palette()))
			.on('GET', '/teammates', (r) => ok(this.listTeammates(r.query)));
	}

	// ---- lookups and rendering (REST: camelCase, fields in the docs' order) ----

	private ticket(id: number): StoredTicket {
		const ticket = this.state.tickets.get(id);
		if (!ticket) throw notFound(`Ticket ${id} was not found.`);
		return ticket;
	}

	/** A chat conversation is a ticket with chat state; any other ticket is not found by the Chat API. */
	private chat(id: number): StoredTicket & { chat: ChatState } {
		const ticket = this.state.tickets.get(id);
		if (!ticket?.chat) throw notFound(`Conversation ${id} was not found.`);
		return ticket as StoredTicket & { chat: ChatState };
	}

	private user(id: string): User {
		const user = this.state.users.get(id);
		if (!user) throw new Error(`No stored user ${id}`);
		return user;
	}

	renderUser(id: string): Record<string, unknown> {
		const { customIdentifier, email, image, isBot, name, status } = this.user(id);
		return { customIdentifier, email, id, image, isBot, name, status };
	}

	messagesOf(ticketId: number): StoredMessage[] {
		return this.state.messages.get(ticketId) ?? [];
	}

	private renderMessage(message: StoredMessage): Record<string, unknown> {
		const style = messageTimeStyle(message.id);
		return {
			author: this.renderUser(message.authorId),
			creationTime: renderTime(message.created, style),
			id: message.id,
			lastModifiedTime: renderTime(message.lastModified, style),
			message: message.text,
		};
	}

	renderConversation(ticket: StoredTicket, messages: StoredMessage[] = []): Record<string, unknown> {
		const chat = this.chat(ticket.id).chat;
		return {
			author: this.renderUser(ticket.authorId),
			creationTime: renderTime(ticket.created, TIME_STYLES.conversation),
			feedback: chat.feedback && { ...chat.feedback },
			fields: ticket.customFields.map((field) => ({ ...field })),
			id: ticket.id,
			initialPageUrl: chat.initialPageUrl,
			isClosed: chat.isClosed,
			// The inverse of the takeover object's `isAssignedToBot` (the document's reading of the two pages).
			isTakeoverEnabled: !ticket.isAssignedToBot,
			lastModifiedTime: renderTime(chat.lastModified, TIME_STYLES.conversation),
			latestPageUrl: chat.latestPageUrl,
			messages: messages.map((message) => this.renderMessage(message)),
			queuePositionInfo: { position: chat.queuePosition, waitTime: chat.waitTime },
			totalMessagesCount: this.messagesOf(ticket.id).length,
		};
	}

	renderTicket(ticket: StoredTicket): Record<string, unknown> {
		const category = ticket.categoryId === null ? null : this.state.categories.get(ticket.categoryId);
		const style = TIME_STYLES.ticket;
		const text = ticket.chat ? (this.messagesOf(ticket.id)[0]?.text ?? '') : ticket.message;
		return {
			id: ticket.id,
			title: ticket.title,
			message: text,
			htmlMessage: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
			attachments: [],
			author: this.renderUser(ticket.authorId),
			category: category ? { ...category } : null,
			creationTime: renderTime(ticket.created, style),
			customFields: ticket.customFields.map((field) => ({ ...field })),
			lastThreadElementCreationTime: renderTime(ticket.lastThreadElement, style),
			lockedBy: ticket.lockedById === null ? null : this.renderUser(ticket.lockedById),
			originalLink: null,
			properties: {
				isAnonymized: false,
				isMuted: false,
				hasAttachments: false,
				hasDraft: false,
				isAssignedToBot: ticket.isAssignedToBot,
				isDeleted: false,
				isExpired: false,
				isHidden: false,
				isLocked: ticket.lockedById !== null,
				isSpam: false,
				isSensitive: false,
			},
			replyCount: Math.max(0, this.messagesOf(ticket.id).length - 1),
			isMuted: false,
			sentiment: ticket.sentiment,
			source: ticket.source,
			detailedSource: ticket.detailedSource,
			sourceName: null,
			status: ticket.status,
			tags: this.tagsOf(ticket),
		};
	}

	private tagsOf(ticket: StoredTicket): Tag[] {
		return ticket.tagIds.flatMap((id) => {
			const tag = this.state.tags.get(id);
			return tag ? [{ ...tag }] : [];
		});
	}

	private palette(): Tag[] {
		return [...this.state.tags.values()]
			.map((tag) => ({ ...tag }))
			.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
	}

	inboxLink(ticketId: number): string {
		return `https://inbox.socialboards.com/${this.state.community.name}/tickets?ticketId=${ticketId}`;
	}

	// ---- Chat API ----

	private getConversation(id: number, query: URLSearchParams) {
		const ticket = this.chat(id);
		if (!readQueryBoolean(query, 'includeMessages')) return this.renderConversation(ticket);
		// The docs spell the parameter `orderyBy` (probably a typo): both spellings are accepted, `orderyBy` first.
		const order = readEnum(query.get('orderyBy') ?? query.get('orderBy'), MESSAGE_ORDERS, 'orderyBy', 'creation_time_desc');
		return this.renderConversation(ticket, this.orderedMessages(id, order).slice(0, LIMITS.messageTake));
	}

	private orderedMessages(ticketId: number, order: (typeof MESSAGE_ORDERS)[number]): StoredMessage[] {
		const sorted = [...this.messagesOf(ticketId)].sort((a, b) => byStamp(a.created, b.created) || a.id - b.id);
		return order === 'creation_time_desc' ? sorted.reverse() : sorted;
	}

	private listMessages(id: number, query: URLSearchParams) {
		this.chat(id);
		const order = readEnum(query.get('orderBy'), MESSAGE_ORDERS, 'orderBy', 'creation_time_desc');
		const skip = readQueryInteger(query, 'skip', 0, 0);
		const take = this.cappedTake(readQueryInteger(query, 'take', 1, LIMITS.messageTake), LIMITS.messageTake);
		return this.orderedMessages(id, order)
			.slice(skip, skip + take)
			.map((message) => this.renderMessage(message));
	}

	/** A12: a `take` above the maximum is capped silently, unless the option says to refuse it. */
	private cappedTake(take: number, max: number): number {
		if (take <= max) return take;
		if (this.options.oversizedTake === 'refuse') throw invalid(`"take" must be at most ${max}.`);
		return max;
	}

	/**
	 * Resolves a User value (id > email > customIdentifier); `isBot: true` is the system bot whatever else is given.
	 * An unknown client is created; `create: false` refuses one instead.
	 */
	private resolveAuthor(value: unknown, where: string, { create = true } = {}): { user: User; created?: User } {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where}: "author" must be an object.`);
		const author = value as Record<string, unknown>;
		const allowed = ['customIdentifier', 'email', 'id', 'image', 'isBot', 'name'];
		const unknown = Object.keys(author).find((field) => !allowed.includes(field));
		if (unknown) throw invalid(`${where}: unknown author field "${unknown}".`);
		if (author.isBot === true) return { user: this.user(this.state.botUserId) };
		if (author.image !== undefined && author.image !== null && !isUrl(author.image)) {
			throw invalid(`${where}: the author's "image" must be a well-formed URL.`);
		}
		const text = (field: string) => {
			const value = author[field];
			return typeof value === 'string' && value.trim() !== '' ? value : undefined;
		};
		const id = text('id');
		const email = text('email');
		const customIdentifier = text('customIdentifier')?.trim().toLowerCase();
		if (!id && !email && !customIdentifier) {
			throw invalid(`${where}: a non-bot author needs at least one of "id", "email" or "customIdentifier".`);
		}
		const users = [...this.state.users.values()].filter((user) => !user.isBot);
		if (id) {
			const user = this.state.users.get(id);
			if (!user || user.isBot) throw invalid(`${where}: no user has the id ${id}.`);
			return { user };
		}
		const byEmail = email && users.find((user) => user.email?.toLowerCase() === email.toLowerCase());
		if (byEmail) {
			if (customIdentifier && byEmail.customIdentifier === null) byEmail.customIdentifier = customIdentifier;
			return { user: byEmail };
		}
		const byIdentifier = customIdentifier && users.find((user) => user.customIdentifier === customIdentifier);
		if (byIdentifier) return { user: byIdentifier };
		if (!create) throw invalid(`${where}: no user matches the author.`);
		const created: User = {
			id: this.random.uuid(),
			name: typeof author.name === 'string' ? author.name : null,
			email: email ?? null,
			customIdentifier: customIdentifier ?? null,
			image: typeof author.image === 'string' ? author.image : null,
			isBot: false,
			status: 'client',
		};
		return { user: created, created };
	}

	private isTeammate(user: User, roles?: readonly TeammateRole[]): boolean {
		const teammate = this.state.teammates.get(user.id);
		return teammate !== undefined && (!roles || roles.includes(teammate.role));
	}

	/** A13: every item is checked before any is stored, so a refused request writes nothing. */
	private addMessages(id: number, request: SimRequest) {
		const ticket = this.chat(id);
		const body = requireJson(request);
		if (!Array.isArray(body) || body.length === 0) throw invalid('The request body must be a non-empty JSON array of messages.');
		const nowMs = this.now().getTime();
		const checked = body.map((item: unknown, index) => {
			const where = `Message ${index}`;
			if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(`${where} must be an object.`);
			const { author, creationTime = null, isByTeam = null, message, ...rest } = item as Record<string, unknown>;
			const unknown = Object.keys(rest)[0];
			if (unknown) throw invalid(`${where}: unknown field "${unknown}".`);
			if (typeof message !== 'string' || message.trim() === '') throw invalid(`${where}: "message" must be a non-empty string.`);
			if (isByTeam !== null && typeof isByTeam !== 'boolean') throw invalid(`${where}: "isByTeam" must be true, false or null.`);
			let at: Stamp | undefined;
			if (creationTime !== null) {
				at = typeof creationTime === 'string' ? parseStamp(creationTime) : undefined;
				if (!at) throw invalid(`${where}: "creationTime" must be a date-time with an offset, or null.`);
				if (at.ms > nowMs + LIMITS.futureMessageMs) {
					throw invalid(`${where}: "creationTime" may be at most 30 seconds in the future.`);
				}
			}
			const { user, created } = this.resolveAuthor(author, where, { create: isByTeam !== true });
			const byTeam = user.isBot || (isByTeam ?? this.isTeammate(user));
			if (byTeam && !user.isBot && !this.isTeammate(user, ['admin', 'agent'])) {
				throw invalid(`${where}: the author of a team message must be a team member (admin or agent).`);
			}
			if (!byTeam && this.isTeammate(user)) throw invalid(`${where}: a client message cannot have a team member as its author.`);
			return { user, created, at, text: message };
		});
		const stored = checked.map(({ user, created, at, text }) => {
			if (created) this.state.users.set(created.id, created);
			return this.storeMessage(ticket, user.id, text, at);
		});
		this.emitMessages(ticket.id, stored);
		return stored.map((message) => this.renderMessage(message));
	}

	/**
	 * `written` is when the server stored it; `at` the message's own `creationTime` when the caller gave one. Nothing
	 * marks a message posted through the API: it looks like one an agent wrote in the inbox (A17).
	 */
	private storeMessage(ticket: StoredTicket, authorId: string, text: string, at?: Stamp, written = this.stamp()): StoredMessage {
		const created = at ?? written;
		const message: StoredMessage = { id: this.nextMessageId(), ticketId: ticket.id, authorId, text, created, lastModified: created };
		const messages = [...this.messagesOf(ticket.id), message].sort((a, b) => byStamp(a.created, b.created) || a.id - b.id);
		this.state.messages.set(ticket.id, messages);
		if (byStamp(created, ticket.lastThreadElement) > 0) ticket.lastThreadElement = created;
		if (ticket.chat && byStamp(written, ticket.chat.lastModified) > 0) ticket.chat.lastModified = written;
		return message;
	}

	/** Increasing, with gaps, as ids shared with other tickets' messages are. */
	private nextMessageId(): number {
		this.lastMessageId += 1 + this.random.int(3);
		return this.lastMessageId;
	}

	private takeover(id: number) {
		return { isAssignedToBot: this.chat(id).isAssignedToBot };
	}

	private changeTakeover(id: number, request: SimRequest) {
		const ticket = this.chat(id);
		const { assigneeId = null, isAssignedToBot } = objectBody(request, ['assigneeId', 'isAssignedToBot']);
		if (typeof isAssignedToBot !== 'boolean') throw invalid('"isAssignedToBot" must be true or false.');
		if (assigneeId !== null) this.assignableTeammate(assigneeId, 'assigneeId');
		const changed = ticket.isAssignedToBot !== isAssignedToBot;
		ticket.isAssignedToBot = isAssignedToBot;
		if (!isAssignedToBot && assigneeId !== null) ticket.lockedById = assigneeId as string;
		if (!isAssignedToBot) ticket.chat.queuePosition = -1;
		ticket.chat.lastModified = this.stamp();
		if (changed) this.emitChatEvent('conversation_takeover_state_changed', ticket.id);
		return { isAssignedToBot };
	}

	private assignableTeammate(value: unknown, field: string): string {
		const user = typeof value === 'string' ? this.state.users.get(value) : undefined;
		if (!isGuid(value) || !user) throw invalid(`"${field}" must be the id of a team member.`);
		if (!this.isTeammate(user, ASSIGNABLE_ROLES)) {
			throw invalid(`"${field}": clients, vendors and read-only users cannot be assigned.`);
		}
		return value;
	}

	/** A4: `PATCH chat/conversations/{id}/close`, no body; the ticket becomes `closed`. Closing twice changes nothing. */
	private closeConversation(id: number) {
		const ticket = this.chat(id);
		if (!ticket.chat.isClosed || ticket.status !== 'closed') this.changeStatus(ticket, 'closed');
		return this.renderConversation(ticket);
	}

	private updateFeedback(id: number, request: SimRequest) {
		const ticket = this.chat(id);
		const { isPositive, text = '' } = objectBody(request, ['isPositive', 'text']);
		if (typeof isPositive !== 'boolean') throw invalid('"isPositive" must be true or false.');
		if (typeof text !== 'string') throw invalid('"text" must be a string.');
		ticket.chat.feedback = { isPositive, text };
		ticket.chat.lastModified = this.stamp();
		return { ...ticket.chat.feedback };
	}

	private createConversation(request: SimRequest) {
		const body = objectBody(request, ['author', 'categoryId', 'fields', 'isBotEnabled', 'sentiment', 'title', 'url']);
		const { categoryId = null, fields = [], isBotEnabled = false, sentiment = 'question', title = null, url = null } = body;
		const { user, created } = this.resolveAuthor(body.author, 'Conversation');
		if (this.isTeammate(user) || user.isBot) throw invalid('A conversation is started by a client, not a team member or the bot.');
		if (categoryId !== null && !(isInteger(categoryId) && this.state.categories.has(categoryId))) {
			throw invalid('"categoryId" must be the id of a category, or null.');
		}
		const customFields = this.readCustomFields(fields, 'fields');
		if (typeof isBotEnabled !== 'boolean') throw invalid('"isBotEnabled" must be true or false.');
		if (typeof sentiment !== 'string') throw invalid('"sentiment" must be a Sentiment value.');
		if (title !== null && typeof title !== 'string') throw invalid('"title" must be a string or null.');
		if (url !== null && !isUrl(url)) throw invalid('"url" must be a URL or null.');
		if (created) this.state.users.set(created.id, created);
		const queued = [...this.state.tickets.values()].filter((t) => t.chat && t.chat.queuePosition > 0).length;
		const ticket = this.addTicket({
			authorId: user.id,
			title: title as string | null,
			categoryId: categoryId as number | null,
			customFields,
			sentiment,
			isAssignedToBot: isBotEnabled,
			chat: { initialPageUrl: url as string | null, latestPageUrl: url as string | null, queuePosition: queued + 1 },
		});
		this.emitChatEvent('conversation_created', ticket.id);
		return this.renderConversation(ticket);
	}

	private readCustomFields(value: unknown, name: string): CustomFieldValue[] {
		const valid =
			Array.isArray(value) &&
			value.every((field) => isInteger(field?.key) && typeof field?.value === 'string' && Object.keys(field).length === 2);
		if (!valid) throw invalid(`"${name}" must be an array of {key: <field id>, value: "<value>"}.`);
		return (value as CustomFieldValue[]).map(({ key, value: fieldValue }) => ({ key, value: fieldValue }));
	}

	// ---- Ticket API ----

	private listTickets(request: SimRequest) {
		const allowed = ['categoryId', 'customFields', 'from', 'to', 'orderBy', 'skip', 'source', 'status', 'take', 'ticketIds'];
		const body = objectBody(request, allowed, { optional: true });
		const { customFields, from, to, skip = 0, source, status, take = LIMITS.ticketTakeDefault, ticketIds } = body;
		const orderBy = readEnum(body.orderBy, TICKET_ORDERS, 'orderBy', TICKET_ORDERS[0]);
		const statusFilter = status === undefined || status === null ? undefined : readEnum(status, TICKET_STATUSES, 'status', 'open');
		if (!isInteger(skip) || skip < 0) throw invalid('"skip" must be an integer of at least 0.');
		if (!isInteger(take) || take < 1) throw invalid('"take" must be an integer of at least 1.');
		const pageSize = this.cappedTake(take, LIMITS.ticketTake);
		const bound = (value: unknown, name: string) => {
			if (value === undefined || value === null) return undefined;
			const stamp = typeof value === 'string' ? parseStamp(value) : undefined;
			if (!stamp) throw invalid(`"${name}" must be a date-time with an offset, e.g. 2020-02-27T12:28:02.6019432+01:00.`);
			return stamp.ms;
		};
		const [fromMs, toMs] = [bound(from, 'from'), bound(to, 'to')];
		const fieldFilter = customFields === undefined || customFields === null ? [] : this.readCustomFields(customFields, 'customFields');
		if (ticketIds !== undefined && ticketIds !== null && !(Array.isArray(ticketIds) && ticketIds.every(isInteger))) {
			throw invalid('"ticketIds" must be an array of integers.');
		}
		if (source !== undefined && source !== null && typeof source !== 'string') throw invalid('"source" must be a TicketSource value.');
		if ('categoryId' in body && body.categoryId !== null && !isInteger(body.categoryId)) {
			throw invalid('"categoryId" must be an integer, or null for uncategorized tickets.');
		}
		const matching = [...this.state.tickets.values()].filter(
			(ticket) =>
				(statusFilter === undefined || ticket.status === statusFilter) &&
				(source === undefined || source === null || ticket.source === source) &&
				// `categoryId: null` selects uncategorized tickets; leaving it out selects all.
				(!('categoryId' in body) || ticket.categoryId === body.categoryId) &&
				(fromMs === undefined || ticket.created.ms >= fromMs) &&
				(toMs === undefined || ticket.created.ms <= toMs) &&
				(!Array.isArray(ticketIds) || ticketIds.includes(ticket.id)) &&
				fieldFilter.every((f) => ticket.customFields.some((own) => own.key === f.key && own.value === f.value)),
		);
		const key = orderBy.startsWith('creation_time') ? (t: StoredTicket) => t.created : (t: StoredTicket) => t.lastThreadElement;
		const direction = orderBy.endsWith('_desc') ? -1 : 1;
		matching.sort((a, b) => direction * (byStamp(key(a), key(b)) || a.id - b.id));
		return matching.slice(skip, skip + pageSize).map((ticket) => this.renderTicket(ticket));
	}

	/** A10/A11: both fields are required; `previousAssigneeId` must be the current `lockedBy` (else 409). */
	private updateAssignee(id: number, request: SimRequest) {
		const ticket = this.ticket(id);
		const body = objectBody(request, ['assigneeId', 'previousAssigneeId']);
		for (const field of ['assigneeId', 'previousAssigneeId']) {
			if (!(field in body)) throw invalid(`"${field}" is required (null when there is none).`);
		}
		// The documented example sends the string "null".
		const nullable = (value: unknown) => (value === null || value === 'null' ? null : value);
		const assigneeId = nullable(body.assigneeId);
		const previousAssigneeId = nullable(body.previousAssigneeId);
		if (previousAssigneeId !== null && !isGuid(previousAssigneeId)) throw invalid('"previousAssigneeId" must be a Guid or null.');
		if (assigneeId !== null) this.assignableTeammate(assigneeId, 'assigneeId');
		if ((previousAssigneeId as string | null)?.toLowerCase() !== ticket.lockedById?.toLowerCase()) {
			throw new ApiError(409, ERROR_CODES.conflict, 'The ticket is assigned to someone else now: read it again and retry.');
		}
		ticket.lockedById = assigneeId as string | null;
		return {};
	}

	/** A5: `PATCH /tickets/{id}/Status` with `{status}`; answers `data: {}`. */
	private updateStatus(id: number, request: SimRequest) {
		const ticket = this.ticket(id);
		const { status } = objectBody(request, ['status']);
		if (status === undefined || status === null) throw invalid('"status" is required.');
		this.changeStatus(ticket, readEnum(status, TICKET_STATUSES, 'status', 'open'));
		return {};
	}

	/** A status change and what follows from it: a chat is closed exactly while its ticket is `closed` (A4, A9). */
	private changeStatus(ticket: StoredTicket, status: TicketStatus): void {
		const previous = ticket.status;
		const wasClosed = ticket.chat?.isClosed ?? false;
		if (previous !== status) {
			ticket.previousStatus = previous;
			ticket.status = status;
		}
		if (ticket.chat) {
			ticket.chat.isClosed = status === 'closed';
			if (ticket.chat.isClosed) ticket.chat.queuePosition = -1;
			ticket.chat.lastModified = this.stamp();
		}
		if (previous !== status) this.emitTicketStatusChange(ticket.id);
		if (ticket.chat && !wasClosed && ticket.chat.isClosed) this.emitChatEvent('conversation_closed', ticket.id);
	}

	/** A8: replaces the whole set and answers the ticket's tags after it. */
	private replaceTags(id: number, request: SimRequest) {
		const ticket = this.ticket(id);
		const { tagIds } = objectBody(request, ['tagIds']);
		if (!Array.isArray(tagIds) || !tagIds.every(isInteger)) throw invalid('"tagIds" must be an array of tag ids.');
		const unknown = tagIds.find((tagId) => !this.state.tags.has(tagId));
		if (unknown !== undefined) throw invalid(`Unknown tag id ${unknown}.`);
		ticket.tagIds = [...new Set(tagIds as number[])];
		return this.tagsOf(ticket);
	}

	/** A10: teammates carry `id` besides the documented `name`, `email` and `role`. */
	private listTeammates(query: URLSearchParams) {
		const group = query.get('group');
		const groupId = group === null || group === '' ? undefined : readQueryInteger(query, 'group', 1, 0);
		return [...this.state.teammates.values()]
			.filter((teammate) => groupId === undefined || teammate.groupIds.includes(groupId))
			.map((teammate) => {
				const { id, name, email } = this.user(teammate.userId);
				return { id, name, email, role: teammate.role };
			});
	}

	// ---- webhooks: configured in the dashboard, verified by a GET, delivered unsigned in PascalCase ----

	/**
	 * Saves a webhook as the dashboard does, or updates the one with the same URL, then sends the verification
	 * handshake, as SocialBoards does "every time the webhook is configured". Only a verified webhook gets deliveries.
	 */
	async configureWebhook(config: {
		url: string;
		verifyToken: string;
		events?: EventType[];
	}): Promise<{ webhook: ConfiguredWebhook; verification: Verification }> {
		const existing = [...this.state.webhooks.values()].find((webhook) => webhook.url === config.url);
		const events = config.events ?? [...CHAT_EVENTS, ...TICKET_EVENTS];
		const unknown = events.find((event) => ![...CHAT_EVENTS, ...TICKET_EVENTS].includes(event));
		if (unknown) throw new Error(`Unknown event type ${unknown}`);
		const id = Math.max(0, ...this.state.webhooks.keys()) + 1;
		const webhook: ConfiguredWebhook = existing ?? { id, url: config.url, verifyToken: '', events: [], verified: false };
		Object.assign(webhook, { verifyToken: config.verifyToken, events: [...events] });
		this.state.webhooks.set(webhook.id, webhook);
		const verification = await this.verifyWebhook(webhook.url, webhook.verifyToken);
		webhook.verified = verification.passed;
		return { webhook: { ...webhook }, verification };
	}

	/** Sends the handshake `GET <url>?challenge=<number>&verifyToken=<token>` (any token: a wrong one tests refusal). */
	async verifyWebhook(url: string, verifyToken: string): Promise<Verification> {
		const challenge = String(randomInt(100_000_000, 1_000_000_000));
		const target = new URL(url);
		target.searchParams.set('challenge', challenge);
		target.searchParams.set('verifyToken', verifyToken);
		const { status, body } = await getText(target.toString());
		const webhook = [...this.state.webhooks.values()].find((w) => w.url === url);
		const verification: Verification = {
			webhookId: webhook?.id ?? null,
			url,
			challenge,
			verifyToken,
			status,
			body,
			passed: status === 200 && body === challenge,
		};
		this.verifications.push(verification);
		return verification;
	}

	/** Removes a webhook, as deleting it in the dashboard does. */
	removeWebhook(id: number): void {
		this.state.webhooks.delete(id);
	}

	/** The delivery envelope; `TicketId` can be left out, as one stored version of the docs' example does. */
	deliveryBody(eventType: string, ticketId: number | null, events: object[]): DeliveryBody {
		const body: DeliveryBody = { CommunityName: this.state.community.name, EventType: eventType, Events: events };
		if (ticketId !== null) body.TicketId = ticketId;
		return body;
	}

	/**
	 * A14: a chat event item, `{InboxLink, ConversationId, Conversation, EventTime}` like `conversation_created`'s;
	 * the Conversation leaves out the page URLs, `Fields` is null and `Messages` empty, as in the example.
	 * `conversation_message_added` items add `Message`.
	 */
	conversationEvent(ticketId: number, message?: StoredMessage): Record<string, unknown> {
		const ticket = this.chat(ticketId);
		const { initialPageUrl, latestPageUrl, ...conversation } = this.renderConversation(ticket);
		const item: Record<string, unknown> = {
			InboxLink: this.inboxLink(ticketId),
			ConversationId: ticketId,
			Conversation: pascalCase({ ...conversation, fields: null }),
			EventTime: renderTime(this.stamp(), TIME_STYLES.event),
		};
		if (message) item.Message = pascalCase(this.renderMessage(message));
		return item;
	}

	/**
	 * A ticket event item: `{InboxLink, PreviousTicketStatus, Ticket}`, with no `EventTime` (none is listed).
	 * `PreviousTicketStatus` is the status before the change; the new one is `Ticket.Status`.
	 */
	ticketStatusEvent(ticketId: number, previousStatus?: TicketStatus): Record<string, unknown> {
		const ticket = this.ticket(ticketId);
		const previous = previousStatus ?? ticket.previousStatus;
		if (previous === null) throw new Error(`Ticket ${ticketId} never changed status: give previousStatus`);
		const rendered = this.renderTicket(ticket);
		const category = rendered.category && { ...(rendered.category as Category), parents: [] };
		return {
			InboxLink: this.inboxLink(ticketId),
			PreviousTicketStatus: previous,
			Ticket: pascalCase({ ...rendered, category }),
		};
	}

	/** The body SocialBoards would send now for one event about a ticket (a message event carries its latest message). */
	eventBody(eventType: EventType, ticketId: number): DeliveryBody {
		if (eventType === 'ticket_status_change') return this.deliveryBody(eventType, ticketId, [this.ticketStatusEvent(ticketId)]);
		const messages = this.messagesOf(ticketId);
		const message = eventType === 'conversation_message_added' ? messages[messages.length - 1] : undefined;
		if (eventType === 'conversation_message_added' && !message) throw new Error(`Conversation ${ticketId} has no messages`);
		return this.deliveryBody(eventType, ticketId, [this.conversationEvent(ticketId, message)]);
	}

	/** POSTs a body (an object, or a raw string sent as is) to a configured webhook, by id or URL, or to any URL. */
	deliver(target: number | string, body: object | string): Promise<DeliveryResult> {
		const webhooks = [...this.state.webhooks.values()];
		const webhook = webhooks.find((w) => w.id === target || String(w.id) === target) ?? webhooks.find((w) => w.url === target);
		const url = webhook?.url ?? String(target);
		return this.send(webhook?.id ?? null, url, typeof body === 'string' ? body : JSON.stringify(body));
	}

	/** A16: a retry repeats the same body, byte for byte; there is no delivery id. */
	redeliver(index: number): Promise<DeliveryResult> {
		const attempt = this.deliveries[index < 0 ? this.deliveries.length + index : index];
		if (!attempt) throw new Error(`No delivery ${index}`);
		return this.send(attempt.webhookId, attempt.url, attempt.rawBody);
	}

	/** Waits until every delivery fired by API calls and helpers so far has been answered. */
	async flushDeliveries(): Promise<void> {
		await this.pendingDeliveries;
	}

	private async send(webhookId: number | null, url: string, rawBody: string): Promise<DeliveryResult> {
		// No signature header: none is documented. postJson adds only Content-Type: application/json.
		const response = await postJson(url, rawBody, {});
		let parsed: Partial<DeliveryBody> = {};
		try {
			parsed = JSON.parse(rawBody);
		} catch {
			// A deliberately malformed body is still recorded.
		}
		this.deliveries.push({
			webhookId,
			url,
			eventType: typeof parsed.EventType === 'string' ? parsed.EventType : null,
			ticketId: typeof parsed.TicketId === 'number' ? parsed.TicketId : null,
			eventCount: Array.isArray(parsed.Events) ? parsed.Events.length : 0,
			rawBody,
			status: response.status,
			responseBody: response.body,
		});
		return response;
	}

	/** Deliveries go out one at a time, in the order the events happened, to every verified webhook subscribed. */
	private emit(eventType: EventType, ticketId: number, events: object[]): void {
		const rawBody = JSON.stringify(this.deliveryBody(eventType, ticketId, events));
		for (const webhook of this.state.webhooks.values()) {
			if (!webhook.verified || !webhook.events.includes(eventType)) continue;
			const { id, url } = webhook;
			this.pendingDeliveries = this.pendingDeliveries.then(() => this.send(id, url, rawBody));
		}
	}

	private emitChatEvent(eventType: (typeof CHAT_EVENTS)[number], ticketId: number): void {
		this.emit(eventType, ticketId, [this.conversationEvent(ticketId)]);
	}

	/** A16: messages added in one call go out in one POST, one event each. */
	private emitMessages(ticketId: number, messages: StoredMessage[]): void {
		this.emit('conversation_message_added', ticketId, messages.map((message) => this.conversationEvent(ticketId, message)));
	}

	private emitTicketStatusChange(ticketId: number): void {
		this.emit('ticket_status_change', ticketId, [this.ticketStatusEvent(ticketId)]);
	}

	/**
	 * Messages written outside the API (the contact in the widget, an agent in the inbox, the bot), stored and
	 * delivered as SocialBoards would: one POST with one `conversation_message_added` event per message.
	 */
	postMessages(ticketId: number, messages: Array<{ author: MessageAuthor; text: string }>): StoredMessage[] {
		const ticket = this.chat(ticketId);
		const stored = messages.map(({ author, text }) => this.storeMessage(ticket, this.authorId(ticket, author), text));
		this.emitMessages(ticketId, stored);
		return stored;
	}

	/** A status change made in the inbox, with the webhooks it causes. */
	setStatus(ticketId: number, status: TicketStatus): void {
		this.changeStatus(this.ticket(ticketId), status);
	}

	// ---- seeding helpers: they write state directly and fire no webhooks ----

	private authorId(ticket: StoredTicket, author: MessageAuthor): string {
		if (author === 'contact') return ticket.authorId;
		if (author === 'bot') return this.state.botUserId;
		this.user(author.userId);
		return author.userId;
	}

	addMessage(ticketId: number, author: MessageAuthor, text: string, at?: Date): StoredMessage {
		const ticket = this.ticket(ticketId);
		const stamp = at && this.stampAt(at.getTime());
		return this.storeMessage(ticket, this.authorId(ticket, author), text, stamp, stamp);
	}

	addUser(partial: Partial<User> = {}): User {
		const user: User = {
			id: this.random.uuid(),
			name: null,
			email: null,
			customIdentifier: null,
			image: null,
			isBot: false,
			status: 'client',
			...partial,
		};
		this.state.users.set(user.id, user);
		return user;
	}

	addTeammate(partial: Partial<User> & { role?: TeammateRole; groupIds?: number[] } = {}): User {
		const { role = 'agent', groupIds = [], ...fields } = partial;
		const user = this.addUser({ status: 'team', ...fields });
		this.state.teammates.set(user.id, { userId: user.id, role, groupIds });
		return user;
	}

	addTag(name: string): Tag {
		const tag = { id: Math.max(1200, ...this.state.tags.keys()) + 1, name };
		this.state.tags.set(tag.id, tag);
		return tag;
	}

	/** A ticket (a chat unless `chat: null`), newer than every other, by default from a new client. */
	addTicket(
		partial: Partial<Omit<StoredTicket, 'chat'>> & { chat?: Partial<ChatState> | null } = {},
	): StoredTicket {
		const { chat, ...fields } = partial;
		const created = fields.created ?? this.stamp();
		const id = Math.max(2_555_000, ...this.state.tickets.keys()) + 3 + this.random.int(12);
		const ticket: StoredTicket = {
			id,
			title: null,
			message: '',
			authorId: fields.authorId ?? this.addUser({ name: 'New visitor', email: `visitor${id}@example.org` }).id,
			categoryId: null,
			created,
			lastThreadElement: created,
			lockedById: null,
			status: 'open',
			previousStatus: null,
			tagIds: [],
			sentiment: 'question',
			source: chat === null ? 'email' : 'web',
			detailedSource: chat === null ? 'email_inbox' : 'web_website',
			isAssignedToBot: false,
			customFields: [],
			...fields,
			chat:
				chat === null
					? null
					: {
							initialPageUrl: null,
							latestPageUrl: null,
							isClosed: fields.status === 'closed',
							feedback: null,
							lastModified: created,
							queuePosition: -1,
							waitTime: null,
							...chat,
						},
		};
		this.state.tickets.set(ticket.id, ticket);
		return ticket;
	}

	/** Teammates, the bot, groups, tags, categories and the refresh token always exist; tickets only when seeding. */
	private seed(): void {
		const { state, random } = this;
		const { users, teammates, groups, categories, tags, tickets, messages, refreshTokens, accessTokens, webhooks } = state;
		for (const collection of [users, teammates, groups, categories, tags, tickets, messages, refreshTokens, accessTokens, webhooks]) {
			collection.clear();
		}
		state.community.id = random.uuid();
		this.lastMessageId = 667_100;
		this.addRefreshToken('n8n', this.refreshToken);
		for (const [id, name] of SEED_GROUPS) state.groups.set(id, name);
		SEED_CATEGORIES.forEach((name, index) => state.categories.set(1505 + index, { id: 1505 + index, name }));
		for (const name of SEED_TAGS) this.addTag(name);
		const team = SEED_TEAM.map(({ name, email, role, groupIds }) => this.addTeammate({ name, email, role, groupIds }));
		state.botUserId = this.addUser({ name: 'Socialboards Bot', isBot: true, status: 'team' }).id;
		if (this.options.seed === false) return;
		const clients = SEED_CLIENTS.map((client) => this.addUser(client));
		const tagIds = new Map([...state.tags.values()].map((tag) => [tag.name, tag.id]));
		const nowMs = this.now().getTime();
		let queue = 0;
		SEED_TICKETS.forEach((seed, index) => {
			const startMs = nowMs - (SEED_TICKETS.length - index) * 53 * MINUTE_MS - random.int(20) * MINUTE_MS;
			const created = this.stampAt(startMs);
			const queued = seed.lines !== null && seed.bot && seed.status === 'open';
			const ticket = this.addTicket({
				created,
				title: seed.title,
				message: seed.lines === null ? EMAIL_TICKET_TEXT : '',
				authorId: clients[seed.client].id,
				categoryId: seed.category === null ? null : 1505 + seed.category,
				lockedById: seed.assignee === null ? null : team[seed.assignee].id,
				status: seed.status,
				previousStatus: seed.previousStatus,
				tagIds: seed.tags.map((name) => tagIds.get(name) as number),
				isAssignedToBot: seed.bot && seed.status !== 'closed',
				customFields: seed.customFields ?? [],
				chat:
					seed.lines === null
						? null
						: {
								initialPageUrl: 'https://shop.example.no/orders',
								latestPageUrl: `https://shop.example.no/orders/${98_000 + index}`,
								feedback: seed.feedback ?? null,
								queuePosition: queued ? ++queue : -1,
								waitTime: queued ? 3 : null,
							},
			});
			const stepMs = seed.lines && seed.lines.length > 10 ? 20_000 : MINUTE_MS;
			for (const [i, [who, text]] of (seed.lines ?? []).entries()) {
				const author: MessageAuthor = who === 'team' ? { userId: ticket.lockedById ?? team[0].id } : who;
				this.addMessage(ticket.id, author, text, new Date(startMs + (i + 1) * stepMs));
			}
		});
	}
}
