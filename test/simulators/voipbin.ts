/**
 * Local simulator of VoIPbin's conversation API (under /v1.0, snake_case) and of its webhook manager (one signed
 * delivery per event to the customer's webhook_uri), following shared/vendors/voipbin.md and VoIPbin's OpenAPI.
 *
 * Every request is checked against a hand-written table of the documented operations: anything else is answered
 * as VoIPbin would (404 or 400) and recorded, so tests can assert that a node sends only documented requests.
 */
import { createHmac, randomBytes } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { URL } from 'url';

import type { Fault, RequestLogEntry, SimRequest, SimResponse, SimServer } from './http-sim';
import { Router, SeededRandom, startSimServer } from './http-sim';

export const DEFAULT_ACCESS_KEY = 'vb_sim7Qk2Lm9Xp4Rt6Wz8Nc3Vb5Hd1Jf0';
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** VoIPbin's documented "has not happened" time in the docs' (legacy) form. */
export const LEGACY_SENTINEL = '9999-01-01 00:00:00.000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE_SIZE = 100;
const PRNG_SEED = 0x0b1b;

// ---- the OpenAPI check: the documented operations, written out by hand from VoIPbin's spec ----

type ValueType = 'string' | 'integer' | 'uuid' | 'boolean' | 'array' | { enum: string[] };

interface DocumentedOperation {
	method: string;
	path: string;
	/** Query parameters of the operation (auth parameters are allowed everywhere, see AUTH_QUERY). */
	query?: Record<string, ValueType>;
	/** Path parameters whose form the spec fixes. */
	pathParams?: Record<string, ValueType>;
	body?: { required: boolean; members: Record<string, ValueType>; requiredMembers?: string[] };
}

const PAGING: Record<string, ValueType> = { page_size: 'integer', page_token: 'string' };
const WEBHOOK_METHODS = ['', 'POST', 'GET', 'PUT', 'DELETE'];
const AGENT_STATUSES = ['', 'available', 'away', 'busy', 'offline', 'ringing'];
const CUSTOMER_MEMBERS = ['name', 'detail', 'email', 'phone_number', 'address', 'webhook_method', 'webhook_uri'];

export const DOCUMENTED_OPERATIONS: DocumentedOperation[] = [
	{
		method: 'GET',
		path: '/conversations',
		query: { ...PAGING, owner_id: 'uuid' },
		// The spec documents an optional filter body on this GET (the server ignores it).
		body: {
			required: false,
			members: {
				customer_id: 'uuid',
				account_id: 'uuid',
				dialog_id: 'string',
				type: { enum: ['message', 'line'] },
				deleted: 'boolean',
			},
		},
	},
	{ method: 'GET', path: '/conversations/:id' },
	{
		method: 'PUT',
		path: '/conversations/:id',
		body: {
			required: true,
			members: { owner_type: 'string', owner_id: 'string', name: 'string', detail: 'string' },
		},
	},
	{ method: 'POST', path: '/conversations/:id/unassign', pathParams: { id: 'uuid' } },
	{ method: 'GET', path: '/conversations/:id/messages', query: PAGING },
	{
		method: 'POST',
		path: '/conversations/:id/messages',
		body: { required: true, members: { text: 'string', medias: 'array' }, requiredMembers: ['text', 'medias'] },
	},
	{ method: 'GET', path: '/customer' },
	{
		method: 'PUT',
		path: '/customer',
		body: {
			required: true,
			members: {
				name: 'string',
				detail: 'string',
				email: 'string',
				phone_number: 'string',
				address: 'string',
				webhook_method: { enum: WEBHOOK_METHODS },
				webhook_uri: 'string',
			},
			requiredMembers: CUSTOMER_MEMBERS,
		},
	},
	{ method: 'GET', path: '/agents', query: { ...PAGING, tag_ids: 'string', status: { enum: AGENT_STATUSES } } },
	{ method: 'GET', path: '/agents/:id' },
];

/** Credentials travel as query parameters on any operation (documented in prose, not in the spec). */
const AUTH_QUERY = ['accesskey', 'token'];

export interface UndocumentedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	/** What the OpenAPI does not allow about it. */
	reason: string;
}

interface Violation {
	status: 400 | 404;
	reason: string;
	/** VoIPbin's error reason for the answer. */
	code: string;
}

function segmentsMatch(pattern: string, path: string): Record<string, string> | undefined {
	const want = pattern.split('/');
	const have = path.replace(/\/$/, '').split('/');
	if (want.length !== have.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < want.length; i++) {
		if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
		else if (want[i] !== have[i]) return undefined;
	}
	return params;
}

function valueProblem(value: unknown, type: ValueType, fromQuery: boolean): string | undefined {
	if (typeof type === 'object') return type.enum.includes(String(value)) ? undefined : `must be one of "${type.enum.join('", "')}"`;
	if (type === 'integer') {
		const number = fromQuery ? Number(value) : value;
		return typeof number === 'number' && Number.isInteger(number) && String(value).trim() !== '' ? undefined : 'must be an integer';
	}
	if (type === 'uuid') return typeof value === 'string' && UUID.test(value) ? undefined : 'must be a UUID';
	if (type === 'boolean') return typeof value === 'boolean' ? undefined : 'must be a boolean';
	if (type === 'array') return Array.isArray(value) ? undefined : 'must be an array';
	return typeof value === 'string' ? undefined : 'must be a string';
}

/** What is wrong with a request by the OpenAPI's rules; undefined when it is a documented request. */
export function checkAgainstOpenApi(request: {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	bodyIsMalformed?: boolean;
}): Violation | undefined {
	const onPath = DOCUMENTED_OPERATIONS.filter((op) => segmentsMatch(op.path, request.path));
	const operation = onPath.find((op) => op.method === request.method);
	if (!operation) {
		const reason = onPath.length > 0 ? `${request.method} is not documented on this path` : 'no such path';
		return { status: 404, reason, code: 'ROUTE_NOT_FOUND' };
	}
	const params = segmentsMatch(operation.path, request.path)!;
	for (const [name, type] of Object.entries(operation.pathParams ?? {})) {
		const problem = valueProblem(params[name], type, true);
		if (problem) return { status: 400, reason: `path parameter ${name} ${problem}`, code: 'INVALID_REQUEST_PARAMETER' };
	}
	for (const [name, value] of Object.entries(request.query)) {
		if (AUTH_QUERY.includes(name)) continue;
		const type = operation.query?.[name];
		if (!type) return { status: 400, reason: `query parameter ${name} is not documented`, code: 'INVALID_REQUEST_PARAMETER' };
		const problem = valueProblem(value, type, true);
		if (problem) return { status: 400, reason: `query parameter ${name} ${problem}`, code: 'INVALID_REQUEST_PARAMETER' };
	}
	const hasBody = request.body !== undefined || request.bodyIsMalformed === true;
	if (!operation.body) {
		return hasBody ? { status: 400, reason: 'this operation takes no body', code: 'INVALID_REQUEST_PARAMETER' } : undefined;
	}
	if (!hasBody) {
		return operation.body.required ? { status: 400, reason: 'the body is required', code: 'INVALID_JSON_BODY' } : undefined;
	}
	const body = request.body;
	if (request.bodyIsMalformed || typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { status: 400, reason: 'the body must be a JSON object', code: 'INVALID_JSON_BODY' };
	}
	for (const [name, value] of Object.entries(body)) {
		const type = operation.body.members[name];
		if (!type) return { status: 400, reason: `body member ${name} is not documented`, code: 'INVALID_REQUEST_PARAMETER' };
		const problem = valueProblem(value, type, false);
		if (problem) return { status: 400, reason: `body member ${name} ${problem}`, code: 'INVALID_REQUEST_PARAMETER' };
	}
	const missing = (operation.body.requiredMembers ?? []).filter((name) => !(name in body));
	if (missing.length > 0) {
		return { status: 400, reason: `required body members missing: ${missing.join(', ')}`, code: 'MISSING_REQUEST_PARAMETER' };
	}
	return undefined;
}

// ---- objects ----

/** `omitempty` on every member, as in VoIPbin's Go struct. */
export interface Address {
	type?: string;
	target?: string;
	target_name?: string;
	name?: string;
	detail?: string;
}

/**
 * How an object's times are written: `rfc3339` as the current code does (`2026-05-03T08:12:44.512378Z`, `null`
 * when unset, empty members left out), `legacy` as the docs show (`2026-05-03 08:12:44.512378`, the 9999 sentinel,
 * every member present).
 */
export type TimeForm = 'rfc3339' | 'legacy';

/** Times are microseconds since the epoch, VoIPbin's precision. */
export interface StoredConversation {
	id: string;
	customer_id: string;
	owner_type: string;
	owner_id: string;
	account_id: string;
	name: string;
	detail: string;
	type: string;
	dialog_id: string;
	self: Address;
	peer: Address;
	tm_create: number;
	tm_update: number | null;
	tm_delete: number | null;
	timeForm: TimeForm;
}

export interface Media {
	id: string;
	customer_id: string;
	type: string;
	filename: string;
}

export interface StoredMessage {
	id: string;
	customer_id: string;
	conversation_id: string;
	direction: 'incoming' | 'outgoing';
	status: 'progressing' | 'done' | 'failed';
	reference_type: string;
	reference_id: string;
	source: Address;
	destination: Address;
	text: string;
	medias: Media[];
	tm_create: number;
	tm_update: number | null;
	tm_delete: number | null;
	timeForm: TimeForm;
}

export interface StoredAgent {
	id: string;
	customer_id: string;
	username: string;
	name: string;
	detail: string;
	ring_method: 'ringall' | 'linear';
	status: string;
	permission: number;
	tag_ids: string[];
	addresses: Address[];
	tm_create: number;
}

export interface Customer {
	id: string;
	name: string;
	detail: string;
	email: string;
	phone_number: string;
	address: string;
	webhook_method: string;
	webhook_uri: string;
	/** Shown only by `GET /customer` (the self view); empty means deliveries go out unsigned. */
	webhook_secret: string;
	billing_account_id: string;
	status: string;
	tm_create: number;
}

export interface VoipbinState {
	customer: Customer;
	conversations: Map<string, StoredConversation>;
	/** By conversation id. */
	messages: Map<string, StoredMessage[]>;
	agents: Map<string, StoredAgent>;
}

export interface DeliveryAttempt {
	url: string;
	method: string;
	type: string;
	/** The exact bytes sent; every retry of one event sends the same. */
	rawBody: string;
	headers: Record<string, string>;
	/** 1 to 3. */
	attempt: number;
	/** The receiver's status; 0 for a connection error or timeout, or a URL the SSRF guard blocked. */
	status: number;
	responseBody: string;
}

export interface SignedDelivery {
	headers: Record<string, string>;
	rawBody: string;
	body: { type: string; data: unknown };
}

export interface VoipbinSimulatorOptions {
	port?: number;
	host?: string;
	accessKey?: string;
	/** Number of seeded conversations (default 6); `false` seeds none (agents and the customer always exist). */
	seed?: boolean | number;
	now?: () => Date;
	/** The per-customer token bucket (default 16.7 per second, burst 33, as VoIPbin's defaults); `false` turns it off. */
	rateLimit?: { perSecond: number; burst: number } | false;
	/** An empty page still carries a `next_page_token` (an older token form); default: `""`, as the code does. */
	emptyPageToken?: boolean;
	/** Milliseconds between delivery attempts; VoIPbin waits 1 s. */
	deliveryRetryDelayMs?: number;
	/** Per-attempt timeout of a delivery; VoIPbin allows 30 s. */
	deliveryTimeoutMs?: number;
	/** Refuse to deliver to loopback and private addresses, as VoIPbin's SSRF guard does. Default false. */
	blockPrivateUrls?: boolean;
	customer?: Partial<Customer>;
}

export function startVoipbinSimulator(options: VoipbinSimulatorOptions = {}): Promise<VoipbinSimulator> {
	return VoipbinSimulator.start(options);
}

class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly reason: string,
		message: string,
		readonly details?: object[],
	) {
		super(message);
	}
}

const CANONICAL_STATUS: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	402: 'PAYMENT_REQUIRED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	409: 'ALREADY_EXISTS',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	502: 'UNAVAILABLE',
	503: 'UNAVAILABLE',
	504: 'UNAVAILABLE',
};
const REASON_BY_STATUS: Record<number, string> = {
	400: 'INVALID_REQUEST_PARAMETER',
	401: 'INVALID_CREDENTIALS',
	403: 'PERMISSION_DENIED',
	404: 'RESOURCE_NOT_FOUND',
	429: 'RATE_LIMIT_EXCEEDED',
	503: 'REQUEST_TIMEOUT',
};

const newRequestId = () => `req_${randomBytes(8).toString('hex').toUpperCase()}`;

export function errorEnvelope(status: number, reason: string, message: string, requestId: string, details?: object[]) {
	return {
		error: {
			status: CANONICAL_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
			reason,
			message,
			request_id: requestId,
			...(details && { details }),
		},
	};
}

// ---- time forms ----

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

function dateParts(micros: number) {
	const date = new Date(Math.floor(micros / 1000));
	const fraction = pad(((micros % 1_000_000) + 1_000_000) % 1_000_000, 6);
	const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
	const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
	return { day, clock, fraction };
}

/** Go's RFC 3339 encoding: trailing zeros of the fraction dropped, no fraction when it is zero. */
function rfc3339(micros: number): string {
	const { day, clock, fraction } = dateParts(micros);
	const trimmed = fraction.replace(/0+$/, '');
	return `${day}T${clock}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** The docs' form: UTC without a zone, always six fraction digits. */
function legacyTime(micros: number): string {
	const { day, clock, fraction } = dateParts(micros);
	return `${day} ${clock}.${fraction}`;
}

/** The page token: the last item's `tm_create` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
function pageToken(micros: number): string {
	const { day, clock, fraction } = dateParts(micros);
	return `${day}T${clock}.${fraction}Z`;
}

/** Reads a page token in either form back into microseconds; undefined when it is neither. */
function parsePageToken(token: string): number | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z?$/.exec(token);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, f = ''] = match;
	const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	return ms * 1000 + Number(f.padEnd(6, '0'));
}

function writeTime(micros: number | null, form: TimeForm): string | null {
	if (form === 'legacy') return micros === null ? LEGACY_SENTINEL : legacyTime(micros);
	return micros === null ? null : rfc3339(micros);
}

const ADDRESS_MEMBERS: Array<keyof Address> = ['type', 'target', 'target_name', 'name', 'detail'];

function writeAddress(address: Address, form: TimeForm): Address {
	const written: Address = {};
	for (const member of ADDRESS_MEMBERS) {
		const value = address[member] ?? '';
		if (value !== '' || form === 'legacy') written[member] = value;
	}
	return written;
}

/** Puts `value` under `key` unless it is empty and the form leaves empty members out (`omitempty`). */
function optional(target: Record<string, unknown>, key: string, value: string, form: TimeForm): void {
	if (value !== '' || form === 'legacy') target[key] = value;
}

export function conversationJson(conversation: StoredConversation): Record<string, unknown> {
	const form = conversation.timeForm;
	const json: Record<string, unknown> = {
		id: conversation.id,
		customer_id: conversation.customer_id,
		owner_type: conversation.owner_type,
		owner_id: form === 'legacy' && conversation.owner_id === NIL_UUID ? '' : conversation.owner_id,
		account_id: conversation.account_id,
	};
	optional(json, 'name', conversation.name, form);
	optional(json, 'detail', conversation.detail, form);
	optional(json, 'type', conversation.type, form);
	optional(json, 'dialog_id', conversation.dialog_id, form);
	json.self = writeAddress(conversation.self, form);
	json.peer = writeAddress(conversation.peer, form);
	json.tm_create = writeTime(conversation.tm_create, form);
	json.tm_update = writeTime(conversation.tm_update, form);
	json.tm_delete = writeTime(conversation.tm_delete, form);
	return json;
}

export function messageJson(message: StoredMessage): Record<string, unknown> {
	const form = message.timeForm;
	const json: Record<string, unknown> = {
		id: message.id,
		customer_id: message.customer_id,
		conversation_id: message.conversation_id,
		direction: message.direction,
		status: message.status,
	};
	optional(json, 'reference_type', message.reference_type, form);
	json.reference_id = message.reference_id;
	json.source = writeAddress(message.source, form);
	json.destination = writeAddress(message.destination, form);
	optional(json, 'text', message.text, form);
	if (message.medias.length > 0 || form === 'legacy') {
		json.medias = message.medias.map((media) => ({
			...media,
			tm_create: writeTime(message.tm_create, form),
			tm_update: writeTime(null, form),
			tm_delete: writeTime(null, form),
		}));
	}
	json.tm_create = writeTime(message.tm_create, form);
	json.tm_update = writeTime(message.tm_update, form);
	json.tm_delete = writeTime(message.tm_delete, form);
	return json;
}

function agentJson(agent: StoredAgent): Record<string, unknown> {
	const { tm_create, ...rest } = agent;
	return { ...rest, direct_hash: '', tm_create: rfc3339(tm_create), tm_update: null, tm_delete: null };
}

/** The customer as VoIPbin shows it: empty strings left out; `webhook_secret` only in the self view. */
function customerJson(customer: Customer, selfView: boolean): Record<string, unknown> {
	const json: Record<string, unknown> = { id: customer.id };
	for (const member of CUSTOMER_MEMBERS) {
		const value = customer[member as keyof Customer] as string;
		if (value !== '') json[member] = value;
	}
	Object.assign(json, {
		billing_account_id: customer.billing_account_id,
		metadata: { rtp_debug: false },
		email_verified: true,
		status: customer.status,
		identity_verification_status: 'none',
		tm_deletion_scheduled: null,
		tm_create: rfc3339(customer.tm_create),
		tm_update: null,
		tm_delete: null,
	});
	if (selfView && customer.webhook_secret !== '') json.webhook_secret = customer.webhook_secret;
	return json;
}

/** Loopback, private, link-local and carrier-grade NAT addresses, which VoIPbin never delivers to. */
function isPrivateHost(host: string): boolean {
	const name = host.replace(/^\[|\]$/g, '').toLowerCase();
	if (name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^f[cd]/.test(name)) return true;
	const octets = name.split('.').map(Number);
	if (octets.length !== 4 || octets.some((octet) => Number.isNaN(octet))) return false;
	const [a, b] = octets;
	return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

/** Sends one request with any method and a body, as Go's http client does (a GET may carry a body too). */
function sendRequest(
	url: string,
	method: string,
	rawBody: string,
	headers: Record<string, string>,
	timeoutMs: number,
): Promise<{ status: number; body: string }> {
	return new Promise((resolve) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch (error) {
			resolve({ status: 0, body: String(error) });
			return;
		}
		const transport = target.protocol === 'https:' ? https : http;
		const request = transport.request(
			target,
			{ method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(rawBody)) }, timeout: timeoutMs },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				response.on('error', (error) => resolve({ status: 0, body: String(error) }));
			},
		);
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', (error) => resolve({ status: 0, body: String(error) }));
		request.end(rawBody);
	});
}

const SEED_PEOPLE = [
	{ name: 'Alice', target: '+14155550123' },
	{ name: 'Unknown', target: 'Ud871bcaf7c3ad13d2a0b0d78a42a287f' },
	{ name: 'Bruno', target: '+14155550177' },
	{ name: 'Chie', target: 'U4af4980629e7bcd2b1f5c00e3a1f1e2d' },
];
const SEED_TEXTS = [
	['Hi, is my order shipped yet?', 'Your order shipped today.'],
	['Can I change my delivery address?', 'Yes, send us the new one.'],
	['Do you open on Sundays?', 'We open Monday to Saturday.'],
];
const SEED_AGENTS = [
	{ name: 'Sam Rivera', username: 'sam@example.com', status: 'available' },
	{ name: 'Priya Natarajan', username: 'priya@example.com', status: 'busy' },
	{ name: 'Jonas Berg', username: 'jonas@example.com', status: 'offline' },
];
const SELF_NUMBER = '+14155559876';
const MINUTE_US = 60_000_000;

export class VoipbinSimulator {
	readonly accessKey: string;
	/** Direct access for seeding and assertions; answers are built from it on every request. */
	readonly state: VoipbinState;
	readonly deliveries: DeliveryAttempt[] = [];
	private readonly undocumentedLog: UndocumentedRequest[] = [];
	private swept = 0;
	private checked = 0;
	private server!: SimServer;
	private random = new SeededRandom(PRNG_SEED);
	private readonly now: () => Date;
	private readonly router = this.buildRouter();
	private pendingDeliveries: Promise<unknown> = Promise.resolve();
	private lastWriteUs = 0;
	/** The customer's token bucket; `atMs` -1 until the first request, which finds it full. */
	private bucket = { tokens: 0, atMs: -1 };
	/** When each request reached the simulator (ms), for pacing assertions. */
	readonly arrivals: number[] = [];

	static async start(options: VoipbinSimulatorOptions): Promise<VoipbinSimulator> {
		const simulator = new VoipbinSimulator(options);
		simulator.server = await startSimServer({
			port: options.port,
			host: options.host,
			basePath: '/v1.0',
			handle: (request) => simulator.handle(request),
			errorBody: (status) =>
				errorEnvelope(status, REASON_BY_STATUS[status] ?? 'INTERNAL_ERROR', `HTTP ${status}`, newRequestId()),
		});
		return simulator;
	}

	private constructor(private readonly options: VoipbinSimulatorOptions) {
		this.accessKey = options.accessKey ?? DEFAULT_ACCESS_KEY;
		this.now = options.now ?? (() => new Date());
		this.state = {
			customer: this.newCustomer(),
			conversations: new Map(),
			messages: new Map(),
			agents: new Map(),
		};
		this.seed();
	}

	/** `http://127.0.0.1:<port>/v1.0` */
	get baseUrl(): string {
		return this.server.baseUrl;
	}

	/** Paths in the log are relative to `baseUrl`, e.g. `/conversations`. */
	get requests(): RequestLogEntry[] {
		return this.server.requests;
	}

	/**
	 * Every request since the simulator started (faulted ones too) that the OpenAPI does not document. `reset()`
	 * keeps this list, so a test file can assert at its end that none was sent in any of its tests.
	 */
	get undocumented(): UndocumentedRequest[] {
		this.sweep();
		return this.undocumentedLog;
	}

	/** How many requests have been checked against the OpenAPI since the simulator started. */
	get checkedRequests(): number {
		this.sweep();
		return this.checked;
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

	/** Clears state, request log, faults, deliveries and the rate-limit bucket, then seeds again. */
	reset(): void {
		this.sweep();
		this.server.requests.length = 0;
		this.swept = 0;
		this.arrivals.length = 0;
		this.server.clearFaults();
		this.deliveries.length = 0;
		this.random = new SeededRandom(PRNG_SEED);
		this.lastWriteUs = 0;
		this.bucket = { tokens: 0, atMs: -1 };
		this.state.customer = this.newCustomer();
		this.seed();
	}

	private sweep(): void {
		const log = this.server?.requests ?? [];
		for (; this.swept < log.length; this.swept++) {
			const { method, path, query, body } = log[this.swept];
			this.checked += 1;
			const bodyIsMalformed = typeof body === 'string';
			const violation = checkAgainstOpenApi({ method, path, query, body, bodyIsMalformed });
			if (violation) this.undocumentedLog.push({ method, path, query, body, reason: violation.reason });
		}
	}

	private nowUs(): number {
		return this.now().getTime() * 1000;
	}

	/** Write times never repeat, so ordering by time keeps the order of writes even with a frozen clock. */
	private timestamp(): number {
		this.lastWriteUs = Math.max(this.nowUs() + this.random.int(1000), this.lastWriteUs + 1);
		return this.lastWriteUs;
	}

	// ---- request pipeline: OpenAPI check, auth, rate limit, route ----

	private async handle(request: SimRequest): Promise<SimResponse> {
		const requestId = newRequestId();
		this.arrivals.push(Date.now());
		let response: SimResponse;
		try {
			const violation = checkAgainstOpenApi({ ...request, query: Object.fromEntries(request.query) });
			if (violation) throw new ApiError(violation.status, violation.code, `Not a documented request: ${violation.reason}.`);
			this.authenticate(request);
			this.takeToken();
			const routed = await this.router.dispatch(request);
			if (!routed) throw new ApiError(404, 'ROUTE_NOT_FOUND', 'The requested route was not found.');
			response = routed;
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			const headers: Record<string, string> = {};
			if (error.status === 429) headers['Retry-After'] = String(this.retryAfterSeconds());
			response = {
				status: error.status,
				headers,
				body: errorEnvelope(error.status, error.reason, error.message, requestId, error.details),
			};
		}
		return { ...response, headers: { ...response.headers, 'X-Request-Id': requestId } };
	}

	/** Like VoIPbin's middleware: a token (cookie, query, Bearer) first, then an access key (cookie, query). */
	private authenticate(request: SimRequest): void {
		const cookies = Object.fromEntries(
			(request.headers.cookie ?? '')
				.split(';')
				.map((pair) => pair.trim().split('='))
				.filter(([name]) => name)
				.map(([name, ...value]) => [name, decodeURIComponent(value.join('='))]),
		);
		const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
		const token = cookies.token ?? request.query.get('token') ?? bearer;
		// JWTs are not simulated: every token (an access key sent as Bearer too) is an invalid JWT.
		if (token !== undefined) throw new ApiError(401, 'INVALID_CREDENTIALS', 'The provided credentials are invalid.');
		const accessKey = cookies.accesskey ?? request.query.get('accesskey') ?? undefined;
		if (accessKey === undefined) throw new ApiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication is required.');
		if (accessKey !== this.accessKey) throw new ApiError(401, 'INVALID_CREDENTIALS', 'The provided credentials are invalid.');
	}

	private get rateLimit(): { perSecond: number; burst: number } | false {
		return this.options.rateLimit ?? { perSecond: 16.7, burst: 33 };
	}

	/** The per-customer token bucket: `burst` tokens, refilled at `perSecond`; one per request. */
	private takeToken(): void {
		const limit = this.rateLimit;
		if (!limit) return;
		const nowMs = this.now().getTime();
		const { tokens, atMs } = this.bucket;
		const refilled = atMs === -1 ? limit.burst : Math.min(limit.burst, tokens + ((nowMs - atMs) / 1000) * limit.perSecond);
		this.bucket = { tokens: refilled, atMs: nowMs };
		if (refilled < 1) {
			throw new ApiError(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests. Please slow down.', [{ limited_by: 'customer' }]);
		}
		this.bucket.tokens = refilled - 1;
	}

	private retryAfterSeconds(): number {
		const limit = this.rateLimit;
		if (!limit) return 1;
		return Math.max(1, Math.ceil((1 - this.bucket.tokens) / limit.perSecond));
	}

	private buildRouter(): Router {
		const ok = (body: unknown): SimResponse => ({ status: 200, body });
		return new Router()
			.on('GET', '/conversations', (r) => ok(this.listConversations(r.query)))
			.on('GET', '/conversations/:id', (r) => ok(conversationJson(this.conversation(r.params.id))))
			.on('PUT', '/conversations/:id', (r) => ok(this.updateConversation(r.params.id, r.body as Record<string, string>)))
			.on('POST', '/conversations/:id/unassign', (r) => ok(this.unassign(r.params.id)))
			.on('GET', '/conversations/:id/messages', (r) => ok(this.listMessages(r.params.id, r.query)))
			.on('POST', '/conversations/:id/messages', (r) => ok(this.sendMessage(r.params.id, r.body as { text: string })))
			.on('GET', '/customer', () => ok(customerJson(this.state.customer, true)))
			.on('PUT', '/customer', (r) => ok(this.updateCustomer(r.body as Record<string, string>)))
			.on('GET', '/agents', (r) => ok(this.listAgents(r.query)))
			.on('GET', '/agents/:id', (r) => ok(agentJson(this.agent(r.params.id))));
	}

	// ---- paging ----

	/**
	 * VoIPbin's token paging: newest first by `tm_create`, `WHERE tm_create < page_token` (now when absent), a
	 * page size of 1 to 100 (anything else becomes 100), and the last item's `tm_create` as the next token whenever
	 * the page has items. The end is an empty page.
	 */
	private page<T extends { tm_create: number }>(items: T[], query: URLSearchParams, render: (item: T) => unknown) {
		const size = Number(query.get('page_size') ?? 0);
		const pageSize = size >= 1 && size <= MAX_PAGE_SIZE ? size : MAX_PAGE_SIZE;
		const token = query.get('page_token');
		const before = token ? parsePageToken(token) : Math.max(this.nowUs(), this.lastWriteUs) + 1;
		if (before === undefined) throw new ApiError(400, 'INVALID_REQUEST_PARAMETER', 'The page_token is not valid.');
		const page = items
			.filter((item) => item.tm_create < before)
			.sort((a, b) => b.tm_create - a.tm_create)
			.slice(0, pageSize);
		const last = page[page.length - 1];
		let next = last ? pageToken(last.tm_create) : '';
		if (!last && this.options.emptyPageToken) next = pageToken(before - 1);
		return { result: page.map(render), next_page_token: next };
	}

	// ---- conversations and messages ----

	private conversation(id: string): StoredConversation {
		if (!UUID.test(id)) throw new ApiError(400, 'INVALID_ID', 'The id is not a valid UUID.');
		const conversation = this.state.conversations.get(id);
		if (!conversation) throw new ApiError(404, 'CONVERSATION_NOT_FOUND', 'The conversation was not found.');
		return conversation;
	}

	private listConversations(query: URLSearchParams) {
		const ownerId = query.get('owner_id');
		const live = [...this.state.conversations.values()].filter(
			(c) => c.tm_delete === null && (!ownerId || ownerId === NIL_UUID || c.owner_id === ownerId),
		);
		return this.page(live, query, conversationJson);
	}

	/** Fields left out stay; `owner_id` decides `owner_type` (the nil UUID unassigns). */
	private updateConversation(id: string, body: Record<string, string>): Record<string, unknown> {
		const conversation = this.conversation(id);
		if (body.owner_id !== undefined) {
			if (!UUID.test(body.owner_id)) throw new ApiError(400, 'INVALID_ARGUMENT', 'owner_id is not a valid UUID.');
			if (body.owner_id !== NIL_UUID && !this.state.agents.has(body.owner_id)) {
				throw new ApiError(400, 'AGENT_NOT_FOUND', 'The agent was not found.');
			}
			conversation.owner_id = body.owner_id;
			conversation.owner_type = body.owner_id === NIL_UUID ? '' : 'agent';
		}
		if (body.name !== undefined) conversation.name = body.name;
		if (body.detail !== undefined) conversation.detail = body.detail;
		return this.touch(conversation);
	}

	private unassign(id: string): Record<string, unknown> {
		const conversation = this.conversation(id);
		conversation.owner_id = NIL_UUID;
		conversation.owner_type = '';
		return this.touch(conversation);
	}

	private touch(conversation: StoredConversation): Record<string, unknown> {
		conversation.tm_update = this.timestamp();
		const json = conversationJson(conversation);
		this.emit('conversation_updated', json);
		return json;
	}

	private messagesOf(conversationId: string): StoredMessage[] {
		this.conversation(conversationId);
		return this.state.messages.get(conversationId) ?? [];
	}

	private listMessages(conversationId: string, query: URLSearchParams) {
		const live = this.messagesOf(conversationId).filter((message) => message.tm_delete === null);
		return this.page(live, query, messageJson);
	}

	/** The handler ignores `medias`; an SMS goes out `progressing`, other channels are `done` at once. */
	private sendMessage(conversationId: string, body: { text: string }): Record<string, unknown> {
		const conversation = this.conversation(conversationId);
		if (body.text.trim() === '') throw new ApiError(400, 'INVALID_ARGUMENT', 'The text must not be empty.');
		const message = this.storeMessage(conversation, {
			direction: 'outgoing',
			text: body.text,
			status: conversation.type === 'message' ? 'progressing' : 'done',
		});
		const json = messageJson(message);
		this.emit('conversation_message_created', json);
		return json;
	}

	private storeMessage(
		conversation: StoredConversation,
		fields: Partial<StoredMessage> & Pick<StoredMessage, 'direction'>,
	): StoredMessage {
		const id = this.random.uuid();
		const incoming = fields.direction === 'incoming';
		const message: StoredMessage = {
			id,
			customer_id: conversation.customer_id,
			conversation_id: conversation.id,
			status: 'done',
			reference_type: conversation.type,
			reference_id: incoming ? this.random.uuid() : id,
			source: incoming ? conversation.peer : conversation.self,
			destination: incoming ? conversation.self : conversation.peer,
			text: '',
			medias: [],
			tm_create: this.timestamp(),
			tm_update: null,
			tm_delete: null,
			timeForm: conversation.timeForm,
			...fields,
		};
		this.state.messages.set(conversation.id, [...(this.state.messages.get(conversation.id) ?? []), message]);
		return message;
	}

	// ---- customer and agents ----

	/** `PUT /customer` writes all seven members as sent (a full replace); the answer has no `webhook_secret`. */
	private updateCustomer(body: Record<string, string>): Record<string, unknown> {
		for (const member of CUSTOMER_MEMBERS) {
			(this.state.customer as unknown as Record<string, string>)[member] = body[member];
		}
		return customerJson(this.state.customer, false);
	}

	private agent(id: string): StoredAgent {
		const agent = this.state.agents.get(id);
		if (!agent) throw new ApiError(404, 'AGENT_NOT_FOUND', 'The agent was not found.');
		return agent;
	}

	private listAgents(query: URLSearchParams) {
		const status = query.get('status');
		const tagIds = query.get('tag_ids')?.split(',').filter(Boolean);
		const agents = [...this.state.agents.values()].filter(
			(agent) =>
				(!status || agent.status === status) && (!tagIds || tagIds.some((tagId) => agent.tag_ids.includes(tagId))),
		);
		return this.page(agents, query, agentJson);
	}

	// ---- webhook deliveries, as VoIPbin's webhook manager sends them ----

	/** What VoIPbin sends for one event: compact `{"type","data"}`, signed when the customer has a secret. */
	signDelivery(type: string, data: unknown, options: { secret?: string } = {}): SignedDelivery {
		const secret = options.secret ?? this.state.customer.webhook_secret;
		const body = { type, data };
		const rawBody = JSON.stringify(body);
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		// Go's Header.Set writes the name in canonical form: X-Voipbin-Signature.
		if (secret !== '') {
			headers['X-Voipbin-Signature'] = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
		}
		return { headers, rawBody, body };
	}

	/** An event of the customer: delivered to `webhook_uri` with `webhook_method` when one is set. */
	emit(type: string, data: unknown): void {
		const { webhook_uri: url, webhook_method: method } = this.state.customer;
		if (url === '') return;
		const delivery = this.signDelivery(type, data);
		this.pendingDeliveries = this.pendingDeliveries.then(() => this.send(url, method || 'POST', type, delivery));
	}

	/**
	 * Sends one event now, as an event of the customer would be (to `webhook_uri` unless `url` is given), with
	 * VoIPbin's retries; answers with the last attempt's status and body.
	 */
	async deliver(
		type: string,
		data: unknown,
		options: { url?: string; method?: string; secret?: string } = {},
	): Promise<{ status: number; body: string }> {
		const { webhook_uri: customerUrl, webhook_method: customerMethod } = this.state.customer;
		const url = options.url ?? customerUrl;
		if (!url) throw new Error('The customer has no webhook_uri; pass a url');
		const delivery = this.signDelivery(type, data, { secret: options.secret });
		return await this.send(url, options.method ?? (customerMethod || 'POST'), type, delivery);
	}

	/** Up to 3 attempts 1 s apart on a connection error or a 5xx, each with the same bytes; any other answer ends it. */
	private async send(
		url: string,
		method: string,
		type: string,
		delivery: SignedDelivery,
	): Promise<{ status: number; body: string }> {
		const record = (attempt: number, result: { status: number; body: string }) =>
			this.deliveries.push({
				url,
				method,
				type,
				rawBody: delivery.rawBody,
				headers: delivery.headers,
				attempt,
				status: result.status,
				responseBody: result.body,
			});
		if (this.options.blockPrivateUrls && isPrivateHost(new URL(url).hostname)) {
			const blocked = { status: 0, body: 'webhook URL validation failed: private address' };
			record(1, blocked);
			return blocked;
		}
		let result = { status: 0, body: '' };
		for (let attempt = 1; attempt <= 3; attempt++) {
			result = await sendRequest(url, method, delivery.rawBody, delivery.headers, this.options.deliveryTimeoutMs ?? 30_000);
			record(attempt, result);
			if (result.status !== 0 && result.status < 500) return result;
			if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, this.options.deliveryRetryDelayMs ?? 1000));
		}
		return result;
	}

	/** Waits until every delivery fired by API calls so far has been answered (retries included). */
	async flushDeliveries(): Promise<void> {
		await this.pendingDeliveries;
	}

	/** The conversation's JSON as the API answers it and as webhooks carry it. */
	conversationData(conversationId: string): Record<string, unknown> {
		return conversationJson(this.conversation(conversationId));
	}

	messageData(messageId: string): Record<string, unknown> {
		const message = [...this.state.messages.values()].flat().find((m) => m.id === messageId);
		if (!message) throw new Error(`No stored message ${messageId}`);
		return messageJson(message);
	}

	/**
	 * A sent message's later status change (an SMS goes from `progressing` to `done` or `failed`), announced as
	 * VoIPbin does with `conversation_message_updated`.
	 */
	completeMessage(messageId: string, status: 'done' | 'failed' = 'done'): StoredMessage {
		const message = [...this.state.messages.values()].flat().find((m) => m.id === messageId);
		if (!message) throw new Error(`No stored message ${messageId}`);
		Object.assign(message, { status, tm_update: this.timestamp() });
		this.emit('conversation_message_updated', messageJson(message));
		return message;
	}

	/** An inbound message from the peer, as the channel would bring it in: stored and emitted. */
	receiveMessage(conversationId: string, text: string): StoredMessage {
		const message = this.storeMessage(this.conversation(conversationId), { direction: 'incoming', text });
		this.emit('conversation_message_created', messageJson(message));
		return message;
	}

	/** A conversation opened by an inbound message: `conversation_created`, then the message's event. */
	receiveNewConversation(partial: Partial<StoredConversation> = {}, text = 'Hello?'): StoredConversation {
		const conversation = this.addConversation(partial);
		this.emit('conversation_created', conversationJson(conversation));
		this.receiveMessage(conversation.id, text);
		return conversation;
	}

	// ---- seeding helpers: they write state directly and fire no webhooks ----

	addConversation(partial: Partial<StoredConversation> = {}): StoredConversation {
		const person = SEED_PEOPLE[this.random.int(SEED_PEOPLE.length)];
		const type = partial.type ?? 'message';
		const tel = type === 'message';
		const channel = tel ? 'SMS' : type.toUpperCase();
		const conversation: StoredConversation = {
			id: this.random.uuid(),
			customer_id: this.state.customer.id,
			owner_type: '',
			owner_id: NIL_UUID,
			account_id: this.random.uuid(),
			name: `${channel} · ${person.name}${tel ? ` (${person.target})` : ''}`,
			detail: `${channel} conversation`,
			type,
			dialog_id: person.target,
			self: tel ? { type: 'tel', target: SELF_NUMBER } : { type, target_name: 'me' },
			peer: { type: tel ? 'tel' : type, target: person.target, target_name: person.name },
			tm_create: this.timestamp(),
			tm_update: null,
			tm_delete: null,
			timeForm: 'rfc3339',
			...partial,
		};
		if (partial.owner_id && partial.owner_type === undefined) {
			conversation.owner_type = partial.owner_id === NIL_UUID ? '' : 'agent';
		}
		this.state.conversations.set(conversation.id, conversation);
		return conversation;
	}

	addMessage(
		conversationId: string,
		partial: Partial<StoredMessage> & Pick<StoredMessage, 'direction'> = { direction: 'incoming' },
	): StoredMessage {
		return this.storeMessage(this.conversation(conversationId), { text: 'Hello!', ...partial });
	}

	addAgent(partial: Partial<StoredAgent> = {}): StoredAgent {
		const agent: StoredAgent = {
			id: this.random.uuid(),
			customer_id: this.state.customer.id,
			username: 'agent@example.com',
			name: 'Agent',
			detail: '',
			ring_method: 'ringall',
			status: 'available',
			permission: 16,
			tag_ids: [],
			addresses: [],
			tm_create: this.timestamp(),
			...partial,
		};
		this.state.agents.set(agent.id, agent);
		return agent;
	}

	private newCustomer(): Customer {
		return {
			id: this.random.uuid(),
			name: 'Acme Messaging',
			detail: '',
			email: 'ops@acme.example',
			phone_number: '',
			address: '',
			webhook_method: '',
			webhook_uri: '',
			webhook_secret: randomBytes(24).toString('base64url').slice(0, 32),
			billing_account_id: this.random.uuid(),
			status: 'active',
			tm_create: this.nowUs() - 400 * 24 * 60 * MINUTE_US,
			...this.options.customer,
		};
	}

	/**
	 * Agents always exist; conversations only when seeding. Half the conversations are written in the docs'
	 * legacy time form; one is deleted (gone from lists, still readable by id). Times count back from `now()`.
	 */
	private seed(): void {
		const { state } = this;
		state.conversations.clear();
		state.messages.clear();
		state.agents.clear();
		for (const person of SEED_AGENTS) this.addAgent(person);
		const seed = this.options.seed ?? true;
		const count = seed === true ? 6 : seed === false ? 0 : seed;
		const agents = [...state.agents.values()];
		for (let index = 0; index < count; index++) {
			const startUs = this.nowUs() - (count - index) * 37 * MINUTE_US + this.random.int(1000);
			const assigned = index % 3 === 1;
			const conversation = this.addConversation({
				type: index % 2 === 0 ? 'message' : 'line',
				timeForm: index % 2 === 0 ? 'rfc3339' : 'legacy',
				owner_id: assigned ? agents[index % agents.length].id : NIL_UUID,
				tm_create: startUs,
				tm_update: index % 3 === 2 ? null : startUs + 5 * MINUTE_US + this.random.int(1000),
				tm_delete: index === 5 ? startUs + 20 * MINUTE_US : null,
			});
			const [question, answer] = SEED_TEXTS[index % SEED_TEXTS.length];
			this.storeMessage(conversation, { direction: 'incoming', text: question, tm_create: startUs + 1 });
			this.storeMessage(conversation, {
				direction: 'outgoing',
				text: answer,
				tm_create: startUs + 2 * MINUTE_US + this.random.int(1000),
			});
			if (index === 0) {
				const media: Media = { id: this.random.uuid(), customer_id: state.customer.id, type: 'image', filename: 'receipt.jpg' };
				this.storeMessage(conversation, {
					direction: 'incoming',
					text: 'Here is the receipt.',
					medias: [media],
					tm_create: startUs + 3 * MINUTE_US,
				});
			}
		}
	}
}
