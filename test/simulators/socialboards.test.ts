import { createServer, IncomingMessage, Server } from 'http';
import type { AddressInfo } from 'net';
import { SIMULATORS } from './run';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_REFRESH_TOKEN,
	ERROR_CODES,
	EventType,
	LIMITS,
	SocialBoardsSimulator,
	SocialBoardsSimulatorOptions,
	startSocialBoardsSimulator,
} from './socialboards';

interface Envelope<T = unknown> {
	data: T;
	errorCode: number;
	errorText: string | null;
}
type Json = Record<string, unknown>;

/** An ISO 8601 time with an explicit offset and 2 to 7 fraction digits, as the docs print them. */
const VENDOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2,7}[+-]\d{2}:\d{2}$/;

/** A token exchange as the credential makes it: form-urlencoded `grant_type`, `refresh_token`, `client_id`. */
function exchangeAt(simulator: SocialBoardsSimulator, fields: Record<string, string> = {}) {
	const { refreshToken, clientId } = simulator;
	const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...fields });
	const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	return fetch(simulator.tokenUrl, { method: 'POST', headers, body: body.toString() });
}

const getWith = (simulator: SocialBoardsSimulator, path: string, accessToken: string) =>
	fetch(`${simulator.baseUrl}${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });

/** A receiver standing in for n8n's webhook: answers the handshake when the token matches, records every POST. */
async function startReceiver(verifyToken: string, answer: (query: URLSearchParams) => { status: number; body: string } = (query) =>
	query.get('verifyToken') === verifyToken ? { status: 200, body: query.get('challenge') ?? '' } : { status: 403, body: '' }) {
	const posts: Array<{ headers: IncomingMessage['headers']; rawBody: string }> = [];
	const server: Server = createServer((request, response) => {
		let rawBody = '';
		request.on('data', (chunk) => (rawBody += chunk));
		request.on('end', () => {
			if (request.method === 'GET') {
				const { status, body } = answer(new URL(request.url ?? '/', 'http://receiver.local').searchParams);
				response.writeHead(status, { 'Content-Type': 'text/plain' });
				response.end(body);
				return;
			}
			posts.push({ headers: request.headers, rawBody });
			response.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/socialboards`,
		posts,
		bodies: () => posts.map((post) => JSON.parse(post.rawBody) as Json),
		close: () => {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('SocialBoards simulator', () => {
	let sim: SocialBoardsSimulator;
	let token: string;

	const exchange = (fields: Record<string, string> = {}) => exchangeAt(sim, fields);
	const newToken = async () => ((await (await exchange()).json()) as { access_token: string }).access_token;
	const call = (method: string, path: string, body?: unknown, accessToken = token) =>
		fetch(`${sim.baseUrl}${path}`, {
			method,
			headers: { Authorization: `Bearer ${accessToken}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const data = async <T = Json>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await call(method, path, body);
		const envelope = (await response.json()) as Envelope<T>;
		if (response.status !== 200 || envelope.errorCode !== -1) throw new Error(`${method} ${path}: ${response.status} ${envelope.errorText}`);
		return envelope.data;
	};
	const chats = () => [...sim.state.tickets.values()].filter((ticket) => ticket.chat);
	const chatWhere = (title: string) => {
		const ticket = [...sim.state.tickets.values()].find((t) => t.title === title);
		if (!ticket) throw new Error(`no seeded ticket "${title}"`);
		return ticket;
	};
	const teammate = (name: string) => [...sim.state.users.values()].find((user) => user.name === name && user.status === 'team')!;

	beforeAll(async () => {
		sim = await startSocialBoardsSimulator();
	});
	beforeEach(async () => {
		sim.reset();
		token = await newToken();
		sim.requests.length = 0;
	});
	afterAll(() => sim.close());

	describe('token endpoint (A2)', () => {
		it('exchanges the refresh token for an hour-long JWT, keeps the refresh token and counts the exchange', async () => {
			const response = await exchange();
			const body = (await response.json()) as Json;

			expect(response.status).toBe(200);
			expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3599, refresh_token: DEFAULT_REFRESH_TOKEN });
			const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
			const [header, claims] = String(body.access_token).split('.').slice(0, 2).map(decode);
			expect(header).toEqual({ alg: 'HS512', typ: 'JWT' });
			expect(claims).toMatchObject({ type: 'Community', iss: 'socialboards.com', cid: sim.state.community.id });
			expect(claims.exp - claims.nbf).toBe(3599);
			expect((await call('GET', '/Teammates', undefined, String(body.access_token))).status).toBe(200);
			expect(sim.tokenExchanges).toBe(2);
			expect(sim.tokenRequests).toHaveLength(1);
			expect(sim.apiRequests.map((entry) => entry.path)).toEqual(['/Teammates']);
		});

		it('answers OAuth-style 400s for a wrong client id, a revoked or unknown refresh token, JSON and a wrong grant', async () => {
			const refusal = async (response: Response) => [response.status, ((await response.json()) as Json).error];

			expect(await refusal(await exchange({ client_id: '00000000-0000-4000-8000-000000000000' }))).toEqual([400, 'invalid_client']);
			expect(await refusal(await exchange({ refresh_token: 'sbrt_unknown' }))).toEqual([400, 'invalid_grant']);
			expect(await refusal(await exchange({ grant_type: 'client_credentials' }))).toEqual([400, 'unsupported_grant_type']);
			const asJson = await fetch(sim.tokenUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: sim.refreshToken, client_id: sim.clientId }),
			});
			expect(await refusal(asJson)).toEqual([400, 'invalid_request']);

			sim.revokeRefreshToken();
			expect(await refusal(await exchange())).toEqual([400, 'invalid_grant']);
			// An access token given before the revocation lives on until it expires.
			expect((await call('GET', '/Teammates')).status).toBe(200);
			expect(sim.tokenExchanges).toBe(1);
		});

		it('rotates refresh tokens only when told to', async () => {
			const rotating = await startSocialBoardsSimulator({ rotateRefreshTokens: true, seed: false });
			try {
				const first = (await (await exchangeAt(rotating)).json()) as Json;
				expect(first.refresh_token).not.toBe(rotating.refreshToken);
				expect((await exchangeAt(rotating)).status).toBe(400);
				expect((await exchangeAt(rotating, { refresh_token: String(first.refresh_token) })).status).toBe(200);
			} finally {
				await rotating.close();
			}
		});

		it('refuses a missing, unknown or expired access token with 401 and an error code inside the envelope', async () => {
			const missing = await fetch(`${sim.baseUrl}/Teammates`);
			expect(missing.status).toBe(401);
			expect(await missing.json()).toEqual({ data: null, errorCode: ERROR_CODES.unauthorized, errorText: expect.stringContaining('Missing') });
			expect((await call('GET', '/Teammates', undefined, 'not-a-token')).status).toBe(401);

			sim.expireAccessTokens();
			const expired = await call('GET', '/Teammates');
			expect(expired.status).toBe(401);
			expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
			expect(((await expired.json()) as Envelope).errorText).toBe('The access token has expired.');
			expect((await call('GET', '/Teammates', undefined, await newToken())).status).toBe(200);
		});

		it('lets a token expire in the middle of a run: after N calls, or when the clock passes expires_in', async () => {
			sim.expireAccessTokensAfter(2);
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/tags')).status);
			expect(statuses).toEqual([200, 200, 401, 401]);
			token = await newToken();
			expect((await call('GET', '/tags')).status).toBe(200);

			let nowMs = Date.parse('2026-03-14T09:00:00Z');
			const clocked = await startSocialBoardsSimulator({ now: () => new Date(nowMs), accessTokenLifetimeSeconds: 60, seed: false });
			try {
				const { access_token: accessToken, expires_in: expiresIn } = (await (await exchangeAt(clocked)).json()) as Json;
				const get = () => getWith(clocked, '/tags', String(accessToken));
				expect(expiresIn).toBe(60);
				nowMs += 59_000;
				expect((await get()).status).toBe(200);
				nowMs += 1_000;
				expect((await get()).status).toBe(401);
			} finally {
				await clocked.close();
			}
		});

		it('serves the API and the token endpoint under a configurable base path', async () => {
			const nested = await startSocialBoardsSimulator({ basePath: '/api', tokenPath: '/oauth/token', seed: false });
			try {
				expect(nested.baseUrl).toMatch(/\/api$/);
				expect(nested.tokenUrl).toBe(`${nested.baseUrl}/oauth/token`);
				const { access_token: accessToken } = (await (await exchangeAt(nested)).json()) as Json;
				expect((await getWith(nested, '/Teammates', String(accessToken))).status).toBe(200);
				expect(nested.requests.map((entry) => entry.path)).toEqual(['/oauth/token', '/Teammates']);
			} finally {
				await nested.close();
			}
		});
	});

	describe('Chat API', () => {
		it('routes paths case-insensitively (A1) and refuses ids that are not positive integers', async () => {
			expect(await data('GET', '/teammates')).toEqual(await data('GET', '/Teammates'));
			const refused = await call('GET', '/chat/conversations/abc');
			expect(refused.status).toBe(400);
			expect(((await refused.json()) as Envelope).errorCode).toBe(ERROR_CODES.validation);
		});

		it('gets a conversation with offset times, its latest 100 messages newest first, and 404 for other ids', async () => {
			const long = chatWhere('Long chat');
			const conversation = await data('GET', `/chat/conversations/${long.id}?includeMessages=true`);
			const messages = conversation.messages as Json[];

			expect(conversation).toMatchObject({ id: long.id, isClosed: false, isTakeoverEnabled: true, totalMessagesCount: 105 });
			expect(conversation.creationTime).toMatch(/\.\d{7}\+03:00$/);
			expect(messages).toHaveLength(100);
			expect(messages[0].message).toBe('Question 53');
			const times = messages.map((message) => Date.parse(message.creationTime as string));
			expect([...times].sort((a, b) => b - a)).toEqual(times);
			const widths = new Set(messages.map((message) => /\.(\d+)\+00:00$/.exec(message.creationTime as string)?.[1].length));
			expect([...widths].sort()).toEqual([2, 3, 4, 5, 6, 7]);

			const oldest = await data('GET', `/chat/conversations/${long.id}?includeMessages=true&orderyBy=creation_time_asc`);
			expect((oldest.messages as Json[])[0].message).toBe('Question 1');
			expect((await data('GET', `/chat/conversations/${long.id}`)).messages).toEqual([]);

			expect((await call('GET', '/chat/conversations/999')).status).toBe(404);
			const email = chatWhere('Invoice address change');
			const notAChat = await call('GET', `/chat/conversations/${email.id}`);
			expect(notAChat.status).toBe(404);
			expect(((await notAChat.json()) as Envelope).errorCode).toBe(ERROR_CODES.notFound);
		});

		it('pages messages with skip and take, capping take at 100 (A12) or refusing it when configured', async () => {
			const long = chatWhere('Long chat');
			const page = (query: string) => data<Json[]>('GET', `/chat/conversations/${long.id}/messages?${query}`);

			const first = await page('orderBy=creation_time_asc&skip=0&take=100');
			const second = await page('orderBy=creation_time_asc&skip=100&take=100');
			expect([first.length, second.length]).toEqual([100, 5]);
			expect(new Set([...first, ...second].map((message) => message.id)).size).toBe(105);
			expect(await page('orderBy=creation_time_asc&take=150')).toHaveLength(LIMITS.messageTake);
			expect((await page('take=2')).map((message) => message.message)).toEqual(['Answer 52', 'Question 53'].reverse());
			expect((await call('GET', `/chat/conversations/${long.id}/messages?orderBy=newest`)).status).toBe(400);

			const strict = await startSocialBoardsSimulator({ oversizedTake: 'refuse' });
			try {
				const accessToken = strict.issueAccessToken();
				const id = [...strict.state.tickets.values()].find((t) => t.title === 'Long chat')?.id;
				expect((await getWith(strict, `/chat/conversations/${id}/messages?take=101`, accessToken)).status).toBe(400);
				expect((await getWith(strict, `/chat/conversations/${id}/messages?take=100`, accessToken)).status).toBe(200);
			} finally {
				await strict.close();
			}
		});

		it('replies as a teammate or as the bot (A13), and refuses a non-teammate, a future time or an empty text, writing nothing', async () => {
			const chat = chatWhere('Delivery question');
			const before = sim.messagesOf(chat.id).length;
			const post = (messages: unknown) => call('POST', `/chat/conversations/${chat.id}/messages`, messages);

			const refusals = [
				[{ author: { email: 'per.hansen@example.no' }, isByTeam: true, message: 'I am no agent' }],
				[{ author: { email: 'lars.lesen@example.no' }, isByTeam: true, message: 'Read-only users cannot write' }],
				[{ author: { name: 'Nobody' }, message: 'No identifier' }],
				[{ author: { isBot: true }, message: 'Too early', creationTime: new Date(Date.now() + 60_000).toISOString() }],
				[{ author: { email: 'agent.ola@example.no' }, isByTeam: true, message: 'fine' }, { author: { isBot: true }, message: '' }],
				[],
			];
			for (const messages of refusals) {
				const response = await post(messages);
				expect([response.status, ((await response.json()) as Envelope).errorCode]).toEqual([400, ERROR_CODES.validation]);
			}
			expect(sim.messagesOf(chat.id)).toHaveLength(before);

			const response = await post([
				{ author: { email: 'AGENT.OLA@example.no' }, isByTeam: true, message: 'An agent here.' },
				{ author: { isBot: true, email: 'ignored@example.com' }, message: 'And the bot.' },
				{ author: { email: 'per.hansen@example.no' }, isByTeam: false, message: 'Thanks!' },
			]);
			const [agent, bot, contact] = ((await response.json()) as Envelope<Json[]>).data;
			expect(agent).toMatchObject({ message: 'An agent here.', author: { name: 'Ola Agent', status: 'team', isBot: false } });
			expect(bot).toMatchObject({ author: { isBot: true, status: 'team', email: null } });
			expect(contact).toMatchObject({ author: { name: 'Per Hansen', status: 'client' } });
			expect(agent).not.toHaveProperty('isByTeam');
			expect(agent.creationTime).toMatch(VENDOR_TIME);
			expect(sim.messagesOf(chat.id)).toHaveLength(before + 3);
		});

		it('reads and sets the takeover state, closes a conversation (A4) and records feedback', async () => {
			const chat = chatWhere('Delivery question');
			const ingrid = teammate('Ingrid Berg');
			expect(await data('GET', `/chat/conversations/${chat.id}/takeover`)).toEqual({ isAssignedToBot: true });

			const takeover = { assigneeId: ingrid.id, isAssignedToBot: false };
			expect(await data('PATCH', `/chat/conversations/${chat.id}/takeover`, takeover)).toEqual({ isAssignedToBot: false });
			expect(await data('GET', `/chat/conversations/${chat.id}`)).toMatchObject({ isTakeoverEnabled: true, queuePositionInfo: { position: -1 } });
			expect((await data('GET', `/tickets/${chat.id}`)).lockedBy).toMatchObject({ id: ingrid.id });

			const closed = await data('PATCH', `/chat/conversations/${chat.id}/close`);
			expect(closed).toMatchObject({ id: chat.id, isClosed: true });
			expect(await data('GET', `/tickets/${chat.id}`)).toMatchObject({ status: 'closed' });
			expect(await data('PATCH', `/chat/conversations/${chat.id}/close`)).toMatchObject({ isClosed: true });

			const feedback = await data('PATCH', `/chat/conversations/${chat.id}/feedback`, { isPositive: true, text: 'Great' });
			expect(feedback).toEqual({ isPositive: true, text: 'Great' });
		});

		it('starts a conversation for a new client, found again by custom identifier (trimmed, lowercased)', async () => {
			const created = await data('POST', '/chat/conversations', {
				author: { customIdentifier: '  CUS-999 ', name: 'Nils Nygaard' },
				title: 'Hello',
				url: 'https://shop.example.no/',
				isBotEnabled: true,
			});
			expect(created).toMatchObject({ author: { customIdentifier: 'cus-999', status: 'client' }, isClosed: false, totalMessagesCount: 0 });
			const reply = [{ author: { customIdentifier: 'cus-999' }, message: 'Hi' }];
			const [message] = await data<Json[]>('POST', `/chat/conversations/${created.id}/messages`, reply);
			expect((message.author as Json).id).toBe((created.author as Json).id);
		});
	});

	describe('Ticket API', () => {
		it('lists tickets in pages of at most 50 (A12), in an explicit order, filtered by status', async () => {
			for (let i = 0; i < 60; i++) sim.addTicket({ title: `Bulk ${i}` });
			const list = (body: unknown) => data<Json[]>('POST', '/tickets/list', body);
			const total = sim.state.tickets.size;

			const pages: Json[][] = [];
			for (let skip = 0; ; skip += LIMITS.ticketTake) {
				pages.push(await list({ orderBy: 'creation_time_asc', skip, take: 100 }));
				if (pages[pages.length - 1].length < LIMITS.ticketTake) break;
			}
			expect(pages.map((page) => page.length)).toEqual([50, total - 50]);
			expect(new Set(pages.flat().map((ticket) => ticket.id)).size).toBe(total);
			expect(await list({})).toHaveLength(LIMITS.ticketTakeDefault);

			const open = await list({ status: 'open', orderBy: 'last_thread_activity_desc', take: 50 });
			expect(open.every((ticket) => ticket.status === 'open')).toBe(true);
			const activity = open.map((ticket) => Date.parse(ticket.lastThreadElementCreationTime as string));
			expect([...activity].sort((a, b) => b - a)).toEqual(activity);
			expect(open[0].creationTime).toMatch(/\.\d{7}\+01:00$/);

			for (const body of [{ orderBy: 'newest' }, { status: 'solved' }, { take: 0 }, { skip: -1 }, { limit: 10 }, { from: '2026-01-01T00:00:00' }]) {
				const response = await call('POST', '/tickets/list', body);
				expect([response.status, ((await response.json()) as Envelope).errorCode]).toEqual([400, ERROR_CODES.validation]);
			}
		});

		it('filters tickets by ids, source, category, custom field and creation time', async () => {
			const list = (body: unknown) => data<Json[]>('POST', '/tickets/list', body);
			const chatIds = chats().map((ticket) => ticket.id);
			const [first] = chatIds;

			expect((await list({ ticketIds: [first] })).map((ticket) => ticket.id)).toEqual([first]);
			expect((await list({ source: 'email' })).map((ticket) => ticket.title)).toEqual(['Invoice address change']);
			expect((await list({ categoryId: null })).every((ticket) => ticket.category === null)).toBe(true);
			const withField = await list({ customFields: [{ key: 18464, value: 'Option 2' }] });
			expect(withField.map((ticket) => ticket.title)).toEqual(['Chat API Client Problems']);
			const newest = [...sim.state.tickets.values()].sort((a, b) => b.created.ms - a.created.ms)[0];
			const from = new Date(newest.created.ms).toISOString().replace('Z', '+00:00');
			expect((await list({ from })).map((ticket) => ticket.id)).toEqual([newest.id]);
		});

		it('assigns with the current assignee as previousAssigneeId (A10, A11), refusing stale or unassignable ones', async () => {
			const chat = chatWhere('Chat API Client Problems');
			const ola = teammate('Ola Agent');
			const jonas = teammate('Jonas Dahl');
			const members = await data<Json[]>('GET', '/Teammates');
			expect(members).toContainEqual({ id: jonas.id, name: 'Jonas Dahl', email: 'jonas.dahl@example.no', role: 'agent' });
			expect((await data<Json[]>('GET', '/Teammates?group=2')).map((member) => member.name)).toEqual(['Ingrid Berg', 'Jonas Dahl']);
			const assign = (body: unknown) => call('PATCH', `/tickets/${chat.id}/Assignee`, body);

			const stale = await assign({ assigneeId: jonas.id, previousAssigneeId: null });
			expect([stale.status, ((await stale.json()) as Envelope).errorCode]).toEqual([409, ERROR_CODES.conflict]);
			expect((await assign({ assigneeId: jonas.id })).status).toBe(400);
			const readOnly = teammate('Lars Lesen');
			expect((await assign({ assigneeId: readOnly.id, previousAssigneeId: ola.id })).status).toBe(400);

			expect(await data('PATCH', `/tickets/${chat.id}/assignee`, { assigneeId: jonas.id, previousAssigneeId: ola.id })).toEqual({});
			expect((await data('GET', `/tickets/${chat.id}`)).lockedBy).toMatchObject({ id: jonas.id, status: 'team' });
			expect(await data('PATCH', `/tickets/${chat.id}/Assignee`, { assigneeId: 'null', previousAssigneeId: jonas.id })).toEqual({});
			expect((await data('GET', `/tickets/${chat.id}`)).lockedBy).toBeNull();
		});

		it('replaces tags as a whole set from the palette (A7, A8)', async () => {
			const chat = chatWhere('Refund for a damaged item');
			const palette = await data<Array<{ id: number; name: string }>>('GET', '/tags');
			expect(palette.map((tag) => tag.name)).toEqual(['billing', 'Delivery', 'refund', 'vip']);
			expect((await data('GET', `/tickets/${chat.id}`)).tags).toEqual([
				{ id: palette[2].id, name: 'refund' },
				{ id: palette[0].id, name: 'billing' },
			]);

			const vip = palette[3];
			expect(await data('PUT', `/tickets/${chat.id}/tags`, { tagIds: [vip.id, vip.id] })).toEqual([vip]);
			expect((await data('GET', `/tickets/${chat.id}`)).tags).toEqual([vip]);
			expect((await call('PUT', `/tickets/${chat.id}/tags`, { tagIds: [9999] })).status).toBe(400);
			expect((await call('POST', `/tickets/${chat.id}/tags`, { tagIds: [] })).status).toBe(404);
		});

		it('updates the status (A5, A9) with data {}; closed closes the chat and open reopens it', async () => {
			const chat = chatWhere('Refund for a damaged item');
			expect(await data('PATCH', `/tickets/${chat.id}/Status`, { status: 'closed' })).toEqual({});
			expect(await data('GET', `/chat/conversations/${chat.id}`)).toMatchObject({ isClosed: true });
			await data('PATCH', `/tickets/${chat.id}/status`, { status: 'open' });
			expect(await data('GET', `/chat/conversations/${chat.id}`)).toMatchObject({ isClosed: false });
			expect((await call('PATCH', `/tickets/${chat.id}/status`, { status: 'resolved' })).status).toBe(400);
			expect((await call('PATCH', '/tickets/999/status', { status: 'open' })).status).toBe(404);
		});
	});

	describe('errors and faults', () => {
		it('puts a failure code inside a 2xx when asked to (A3): injected, or for every business error', async () => {
			sim.injectEnvelopeError({ method: 'POST', path: '/tickets/list', errorCode: 42, errorText: 'Search is unavailable.' });
			const faulted = await call('POST', '/tickets/list', {});
			expect(faulted.status).toBe(200);
			expect(await faulted.json()).toEqual({ data: null, errorCode: 42, errorText: 'Search is unavailable.' });

			const lenient = await startSocialBoardsSimulator({ errorsInside2xx: true });
			try {
				const accessToken = lenient.issueAccessToken();
				const get = (path: string, bearer = accessToken) => fetch(`${lenient.baseUrl}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
				const missing = await get('/chat/conversations/999');
				expect([missing.status, ((await missing.json()) as Envelope).errorCode]).toEqual([200, ERROR_CODES.notFound]);
				expect((await get('/tags', 'expired')).status).toBe(401);
			} finally {
				await lenient.close();
			}
		});

		it('answers 429 with Retry-After (A18), from a request budget or an injected fault', async () => {
			sim.injectFault({ method: 'GET', path: '/tags', status: 429, retryAfter: 3 });
			const faulted = await call('GET', '/tags');
			expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([429, '3']);
			expect(((await faulted.json()) as Envelope).errorCode).toBe(ERROR_CODES.rateLimited);
			expect((await call('GET', '/tags')).status).toBe(200);

			const nowMs = Date.parse('2026-03-14T09:00:00.250Z');
			const limited = await startSocialBoardsSimulator({ rateLimit: { requests: 2, perSeconds: 10 }, now: () => new Date(nowMs), seed: false });
			try {
				const accessToken = limited.issueAccessToken();
				const statuses = [];
				for (let i = 0; i < 3; i++) statuses.push(await getWith(limited, '/tags', accessToken));
				expect(statuses.map((response) => response.status)).toEqual([200, 200, 429]);
				expect(statuses[2].headers.get('retry-after')).toBe('10');
				const tokenLimited = await exchangeAt(limited);
				expect([tokenLimited.status, ((await tokenLimited.json()) as Json).error]).toEqual([429, 'rate_limited']);
			} finally {
				await limited.close();
			}
		});

		it('stores a reply once when the answer is lost after the commit, and can send malformed JSON or drop the socket', async () => {
			const chat = chatWhere('Delivery question');
			const before = sim.messagesOf(chat.id).length;
			sim.injectFault({ method: 'POST', path: /\/messages$/, status: 502, afterCommit: true });
			const lost = await call('POST', `/chat/conversations/${chat.id}/messages`, [{ author: { isBot: true }, message: 'Once' }]);
			expect(lost.status).toBe(502);
			expect(sim.messagesOf(chat.id)).toHaveLength(before + 1);

			sim.injectFault({ path: '/tags', malformed: true });
			await expect((await call('GET', '/tags')).json()).rejects.toThrow();
			sim.injectFault({ path: '/tags', destroySocket: true });
			await expect(call('GET', '/tags')).rejects.toThrow();
			expect(sim.requests.map((entry) => entry.status)).toEqual([502, 200, 0]);
		});
	});

	describe('webhooks', () => {
		it('verifies a configured webhook with the verify token and a challenge (A15), and records a wrong answer', async () => {
			const receiver = await startReceiver('s3cret-verify');
			try {
				const { webhook, verification } = await sim.configureWebhook({ url: receiver.url, verifyToken: 's3cret-verify' });
				expect(verification).toMatchObject({ status: 200, passed: true, verifyToken: 's3cret-verify' });
				expect(verification.challenge).toMatch(/^\d+$/);
				expect(verification.body).toBe(verification.challenge);
				expect(webhook.verified).toBe(true);

				const wrong = await sim.verifyWebhook(receiver.url, 'wrong-token');
				expect(wrong).toMatchObject({ status: 403, body: '', passed: false });

				const again = await sim.configureWebhook({ url: receiver.url, verifyToken: 'changed-in-the-dashboard' });
				expect(again.webhook).toMatchObject({ id: webhook.id, verified: false });
				expect(sim.state.webhooks.size).toBe(1);
			} finally {
				await receiver.close();
			}
		});

		it('does not count a 200 whose body merely contains the challenge, or quotes it as JSON, as verified', async () => {
			for (const wrap of [(c: string) => `challenge=${c}`, (c: string) => JSON.stringify(c)]) {
				const receiver = await startReceiver('t', (query) => ({ status: 200, body: wrap(query.get('challenge') ?? '') }));
				try {
					expect((await sim.configureWebhook({ url: receiver.url, verifyToken: 't' })).verification.passed).toBe(false);
				} finally {
					await receiver.close();
				}
			}
		});

		it('delivers unsigned PascalCase bodies, one POST for several messages added together (A14, A16)', async () => {
			const receiver = await startReceiver('v');
			try {
				await sim.configureWebhook({ url: receiver.url, verifyToken: 'v' });
				const chat = chatWhere('Delivery question');
				await data('POST', `/chat/conversations/${chat.id}/messages`, [
					{ author: { email: 'agent.ola@example.no' }, isByTeam: true, message: 'Team here.' },
					{ author: { isBot: true }, message: 'Bot here.' },
				]);
				sim.postMessages(chat.id, [{ author: 'contact', text: 'Contact here.' }]);
				await sim.flushDeliveries();

				expect(receiver.posts).toHaveLength(2);
				expect(Object.keys(receiver.posts[0].headers).filter((name) => /signature|hmac/i.test(name))).toEqual([]);
				const [together, alone] = receiver.bodies();
				expect(together).toMatchObject({ CommunityName: 'exampleshop', EventType: 'conversation_message_added', TicketId: chat.id });
				const events = together.Events as Json[];
				expect(events).toHaveLength(2);
				expect(events[0]).toMatchObject({
					InboxLink: `https://inbox.socialboards.com/exampleshop/tickets?ticketId=${chat.id}`,
					ConversationId: chat.id,
					Conversation: { Id: chat.id, Fields: null, Messages: [], IsClosed: false },
					Message: { Message: 'Team here.', Author: { Status: 'team', IsBot: false } },
				});
				expect(events[0].EventTime).toMatch(VENDOR_TIME);
				expect(events[0].Conversation).not.toHaveProperty('InitialPageUrl');
				expect(events[1]).toMatchObject({ Message: { Author: { IsBot: true } } });
				const contactAuthor = { Status: 'client', Name: 'Per Hansen', IsBot: false };
				expect((alone.Events as Json[])[0]).toMatchObject({ Message: { Message: 'Contact here.', Author: contactAuthor } });
				expect(sim.deliveries.map((delivery) => [delivery.eventType, delivery.eventCount, delivery.status])).toEqual([
					['conversation_message_added', 2, 200],
					['conversation_message_added', 1, 200],
				]);

				await sim.redeliver(0);
				expect(receiver.posts[2].rawBody).toBe(receiver.posts[0].rawBody);
			} finally {
				await receiver.close();
			}
		});

		it('sends status changes with the previous status, closings and takeovers, only for subscribed events', async () => {
			const receiver = await startReceiver('v');
			try {
				const events: EventType[] = ['ticket_status_change', 'conversation_closed', 'conversation_takeover_state_changed'];
				await sim.configureWebhook({ url: receiver.url, verifyToken: 'v', events });
				const chat = chatWhere('Delivery question');
				await data('PATCH', `/tickets/${chat.id}/Status`, { status: 'pending' });
				await data('PATCH', `/chat/conversations/${chat.id}/takeover`, { isAssignedToBot: false });
				await data('PATCH', `/chat/conversations/${chat.id}/close`);
				await data('POST', `/chat/conversations/${chat.id}/messages`, [{ author: { isBot: true }, message: 'Not subscribed' }]);
				await sim.flushDeliveries();

				const bodies = receiver.bodies();
				expect(bodies.map((body) => body.EventType)).toEqual([
					'ticket_status_change',
					'conversation_takeover_state_changed',
					'ticket_status_change',
					'conversation_closed',
				]);
				const [pending, takeover, closing, closed] = bodies.map((body) => (body.Events as Json[])[0]);
				expect(pending).toMatchObject({
					PreviousTicketStatus: 'open',
					Ticket: { Id: chat.id, Status: 'pending', Properties: { IsAssignedToBot: true } },
				});
				expect(pending).not.toHaveProperty('EventTime');
				expect(takeover).toMatchObject({ Conversation: { IsTakeoverEnabled: true } });
				expect(closing).toMatchObject({ PreviousTicketStatus: 'pending', Ticket: { Status: 'closed' } });
				expect(closed).toMatchObject({ Conversation: { IsClosed: true } });
			} finally {
				await receiver.close();
			}
		});

		it('sends nothing to a webhook that failed verification', async () => {
			const receiver = await startReceiver('expected');
			try {
				await sim.configureWebhook({ url: receiver.url, verifyToken: 'something-else' });
				sim.postMessages(chatWhere('Delivery question').id, [{ author: 'contact', text: 'Hello?' }]);
				await sim.flushDeliveries();
				expect(receiver.posts).toHaveLength(0);
				expect(sim.deliveries).toHaveLength(0);
			} finally {
				await receiver.close();
			}
		});
	});

	it('seeds the same data on every start', async () => {
		const frozen = { now: () => new Date('2026-03-14T09:00:00Z') } satisfies SocialBoardsSimulatorOptions;
		const [a, b] = await Promise.all([startSocialBoardsSimulator(frozen), startSocialBoardsSimulator(frozen)]);
		try {
			const snapshot = (s: SocialBoardsSimulator) => [...s.state.tickets.values()].map((ticket) => s.renderTicket(ticket));
			expect(snapshot(a)).toEqual(snapshot(b));
			expect(snapshot(a)).toHaveLength(7);
			const seededChats = [...a.state.tickets.values()].filter((ticket) => ticket.chat);
			const authors = new Set(
				seededChats
					.flatMap((ticket) => a.messagesOf(ticket.id))
					.map((message) => a.renderUser(message.authorId))
					.map((user) => `${user.status}/${user.isBot}`),
			);
			expect([...authors].sort()).toEqual(['client/false', 'team/false', 'team/true']);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	it('runs from run.ts with the controls the e2e uses: configure the webhook, deliver, list deliveries', async () => {
		const receiver = await startReceiver('e2e-token');
		const running = await SIMULATORS.socialboards({ port: 0, host: '127.0.0.1' });
		try {
			const { baseUrl, tokenUrl, clientId, refreshToken, accessToken } = running.connection;
			expect(tokenUrl).toBe(`${baseUrl}/token`);
			expect([clientId, refreshToken]).toEqual([DEFAULT_CLIENT_ID, DEFAULT_REFRESH_TOKEN]);
			const list = await fetch(`${baseUrl}/tickets/list`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ orderBy: 'last_thread_activity_desc', take: 50 }),
			});
			const tickets = ((await list.json()) as Envelope<Json[]>).data;
			const chat = tickets.find((ticket) => ticket.title === 'Refund for a damaged item');

			const configure = running.controls.configureWebhook;
			const configured = (await configure?.({ url: receiver.url, verifyToken: 'e2e-token' })) as { verification: Json };
			expect(configured.verification.passed).toBe(true);
			const answer = await running.controls.deliver({ webhook: receiver.url, event: 'ticket_status_change', conversationId: String(chat?.id) });
			expect(answer.status).toBe(200);
			expect(receiver.bodies()[0]).toMatchObject({
				EventType: 'ticket_status_change',
				Events: [{ PreviousTicketStatus: 'open', Ticket: { Status: 'pending' } }],
			});
			expect(await running.controls.deliveries()).toHaveLength(1);
		} finally {
			await Promise.all([running.close(), receiver.close()]);
		}
	});
});
