/**
 * Vendor-neutral building blocks for local API simulators: a server on 127.0.0.1, a small router,
 * a request log, fault injection, a webhook sender and a seeded random source.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { URL } from 'url';

export interface SimRequest {
	method: string;
	/** Path below the server's base path, e.g. `/conversations/123` for `/v1/conversations/123`. */
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	/** Parsed JSON body; `undefined` when the body is empty or is not valid JSON. */
	body: unknown;
	/** True when a non-empty body could not be parsed as JSON. */
	bodyIsMalformed: boolean;
}

export interface SimResponse {
	status: number;
	headers?: Record<string, string>;
	/** Sent as JSON; `undefined` sends an empty body. */
	body?: unknown;
}

export type Handler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

/**
 * A scripted misbehaviour for matching requests. A fault with only `delayMs` slows the answer down;
 * any other fault replaces the answer (status 500 unless given).
 */
export interface Fault {
	method?: string;
	/** Exact path or route pattern below the base path (`/conversations/:id`), or a RegExp tested on it. */
	path?: string | RegExp;
	/** Query parameters the request must have (null: must not have), e.g. `{ cursor: 'A' }` to script pages. */
	query?: Record<string, string | null>;
	/** How many matching requests this fault hits; default 1. */
	times?: number;
	status?: number;
	headers?: Record<string, string>;
	body?: unknown;
	/** Seconds, sent as `Retry-After`. */
	retryAfter?: number;
	delayMs?: number;
	/** Answer 200 with a truncated JSON body. */
	malformed?: boolean;
	/** Process and commit the request normally, but send the fault instead of the real answer. */
	afterCommit?: boolean;
	destroySocket?: boolean;
	/** Send the status, the headers and the first half of the body, then reset the connection. */
	resetMidBody?: boolean;
	/** Send this text as the body exactly (not JSON), e.g. a proxy's HTML error page. */
	rawBody?: string;
	/** Called while the request is served, e.g. to move a test's clock as if the answer took long. */
	during?: () => void;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	/** Status the client received; 0 when the socket was destroyed. */
	status: number;
}

interface CompiledPattern {
	regex: RegExp;
	names: string[];
}

function compilePattern(pattern: string): CompiledPattern {
	const names: string[] = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return { regex: new RegExp(`^${source}/?$`), names };
}

function matchPattern(pattern: CompiledPattern, path: string): Record<string, string> | undefined {
	const match = pattern.regex.exec(path);
	if (!match) return undefined;
	return Object.fromEntries(pattern.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
}

export class Router {
	private readonly routes: Array<{ method: string; pattern: CompiledPattern; handler: Handler }> = [];

	on(method: string, pattern: string, handler: Handler): this {
		this.routes.push({ method: method.toUpperCase(), pattern: compilePattern(pattern), handler });
		return this;
	}

	/** Answers with the first matching route, or returns `undefined` when no route matches. */
	async dispatch(request: SimRequest): Promise<SimResponse | undefined> {
		for (const route of this.routes) {
			const params = route.method === request.method ? matchPattern(route.pattern, request.path) : undefined;
			if (params) return route.handler({ ...request, params });
		}
		return undefined;
	}
}

interface ArmedFault {
	fault: Fault;
	remaining: number;
	pattern?: CompiledPattern;
}

class FaultQueue {
	private armed: ArmedFault[] = [];

	add(fault: Fault): void {
		const pattern = typeof fault.path === 'string' ? compilePattern(fault.path) : undefined;
		this.armed.push({ fault, remaining: fault.times ?? 1, pattern });
	}

	clear(): void {
		this.armed = [];
	}

	/** Returns the first fault matching the request and uses up one of its `times`. */
	take(method: string, path: string, query: URLSearchParams): Fault | undefined {
		const hit = this.armed.find((armed) => armed.remaining > 0 && faultMatches(armed, method, path, query));
		if (!hit) return undefined;
		hit.remaining -= 1;
		this.armed = this.armed.filter((armed) => armed.remaining > 0);
		return hit.fault;
	}
}

function faultMatches({ fault, pattern }: ArmedFault, method: string, path: string, query: URLSearchParams): boolean {
	if (fault.method && fault.method.toUpperCase() !== method) return false;
	for (const [name, value] of Object.entries(fault.query ?? {})) {
		if (query.get(name) !== value) return false;
	}
	if (fault.path instanceof RegExp) return fault.path.test(path);
	return !pattern || matchPattern(pattern, path) !== undefined;
}

function replacesAnswer(fault: Fault): boolean {
	return (
		fault.status !== undefined ||
		fault.body !== undefined ||
		fault.malformed === true ||
		fault.afterCommit === true ||
		fault.destroySocket === true ||
		fault.resetMidBody === true ||
		fault.rawBody !== undefined
	);
}

export interface SimServerOptions {
	port?: number;
	host?: string;
	/** Prefix all routes live under, e.g. `/v1`. */
	basePath?: string;
	handle: Handler;
	/** The vendor's error body for a bare status: injected faults without `body`, paths outside `basePath`. */
	errorBody?: (status: number) => unknown;
}

export interface SimServer {
	readonly baseUrl: string;
	readonly requests: RequestLogEntry[];
	injectFault(fault: Fault): void;
	clearFaults(): void;
	close(): Promise<void>;
}

const TRUNCATED_JSON = '{"object":"list","data":[{"id":"';

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
	const basePath = options.basePath ?? '';
	const errorBody = options.errorBody ?? ((status: number) => ({ error: `http_${status}` }));
	const requests: RequestLogEntry[] = [];
	const faults = new FaultQueue();

	async function answer(request: SimRequest): Promise<SimResponse> {
		try {
			return await options.handle(request);
		} catch (error) {
			console.error('simulator handler failed', error);
			return { status: 500, body: errorBody(500) };
		}
	}

	function faultResponse(fault: Fault): SimResponse {
		const status = fault.malformed ? 200 : (fault.status ?? 500);
		const headers = { ...fault.headers };
		if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
		return { status, headers, body: fault.body ?? errorBody(status) };
	}

	async function serve(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
		const url = new URL(incoming.url ?? '/', 'http://simulator.local');
		const request = toSimRequest(incoming, url, basePath, await readBody(incoming));
		const log = (status: number) =>
			requests.push({
				method: request.method,
				path: request.path,
				query: Object.fromEntries(request.query),
				headers: incoming.headers,
				body: request.bodyIsMalformed ? request.rawBody : request.body,
				status,
			});
		if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
			log(404);
			return send(outgoing, { status: 404, body: errorBody(404) });
		}

		const fault = faults.take(request.method, request.path, request.query);
		fault?.during?.();
		if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		if (!fault || !replacesAnswer(fault)) {
			const response = await answer(request);
			log(response.status);
			return send(outgoing, response);
		}

		if (fault.afterCommit) await answer(request);
		if (fault.destroySocket) {
			log(0);
			incoming.socket.destroy();
			return;
		}
		const response = faultResponse(fault);
		if (fault.resetMidBody) {
			log(0);
			return resetMidBody(outgoing, response);
		}
		log(response.status);
		send(outgoing, response, fault.malformed ? TRUNCATED_JSON : fault.rawBody);
	}

	// A client that hangs up mid-request leaves nothing to answer.
	const server = http.createServer((incoming, outgoing) => void serve(incoming, outgoing).catch(() => incoming.destroy()));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
	});
	const { address, port } = server.address() as AddressInfo;
	const host = address.includes(':') ? `[${address}]` : address;

	return {
		baseUrl: `http://${host}:${port}${basePath}`,
		requests,
		injectFault: (fault) => faults.add(fault),
		clearFaults: () => faults.clear(),
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				// Keep-alive sockets (fetch keeps them) would otherwise hold close() open.
				server.closeAllConnections();
			}),
	};
}

function toSimRequest(incoming: http.IncomingMessage, url: URL, basePath: string, rawBody: string): SimRequest {
	let body: unknown;
	let bodyIsMalformed = false;
	try {
		body = rawBody === '' ? undefined : JSON.parse(rawBody);
	} catch {
		bodyIsMalformed = true;
	}
	return {
		method: (incoming.method ?? 'GET').toUpperCase(),
		path: url.pathname.slice(basePath.length) || '/',
		params: {},
		query: url.searchParams,
		headers: incoming.headers,
		rawBody,
		body,
		bodyIsMalformed,
	};
}

async function readBody(incoming: http.IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of incoming) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function send(outgoing: http.ServerResponse, response: SimResponse, rawBody?: string): void {
	const body = rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
	const headers = body === '' ? { ...response.headers } : { 'Content-Type': 'application/json', ...response.headers };
	outgoing.writeHead(response.status, headers);
	outgoing.end(body);
}

/** Starts a JSON answer with its full Content-Length, sends half of it, then resets the connection. */
function resetMidBody(outgoing: http.ServerResponse, response: SimResponse): void {
	const body = JSON.stringify(response.body ?? {});
	outgoing.writeHead(response.status, {
		'Content-Type': 'application/json',
		'Content-Length': String(Buffer.byteLength(body)),
		...response.headers,
	});
	outgoing.write(body.slice(0, Math.floor(body.length / 2)), () => outgoing.socket?.resetAndDestroy());
}

/** POSTs a JSON body as a webhook sender would: no redirects followed; network errors answer status 0. */
export async function postJson(
	url: string,
	rawBody: string,
	headers: Record<string, string>,
	timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...headers },
			body: rawBody,
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutMs),
		});
		return { status: response.status, body: await response.text() };
	} catch (error) {
		return { status: 0, body: String(error) };
	}
}

/** Deterministic pseudo-random source (mulberry32), so seeded data is the same on every run. */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(maxExclusive: number): number {
		return Math.floor(this.next() * maxExclusive);
	}

	hex(length: number): string {
		return Array.from({ length }, () => this.int(16).toString(16)).join('');
	}

	/** A v4-shaped UUID (version nibble 4, variant 8–b). */
	uuid(): string {
		const digits = this.hex(32).split('');
		digits[12] = '4';
		digits[16] = '89ab'[this.int(4)];
		const hex = digits.join('');
		return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
	}
}
