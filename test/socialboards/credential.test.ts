jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithRecordedSleep());

import 'reflect-metadata';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import type { NodeRun } from '../harness/n8n';
import type { SocialBoardsSetup } from '../helpers/socialboards';
import { recordedSleeps } from '../helpers/clock';
import { byId, chatTickets, issuedAccessTokens, startSocialBoards, ticketByTitle } from '../helpers/socialboards';
import { textsOf } from '../reliability/tally';

let setup: SocialBoardsSetup;

beforeAll(async () => {
	setup = await startSocialBoards({ echoSecretsInErrors: true });
});
beforeEach(() => setup.reset());
afterAll(async () => await setup.sim.close());

/** Every log line n8n's logger receives while `body` runs, with its metadata. */
async function capturingLogs<T>(body: () => Promise<T>): Promise<{ result: T; logs: string[] }> {
	const logger = Container.get(Logger);
	const logs: string[] = [];
	const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
		jest.spyOn(logger, level).mockImplementation((message: string, meta?: object) => {
			logs.push(...textsOf([message, meta ?? null]));
		}),
	);
	try {
		return { result: await body(), logs };
	} finally {
		spies.forEach((spy) => spy.mockRestore());
	}
}

/** Every secret of the run: the refresh token and every access token the simulator issued. */
function secretsIn(texts: string[]): string[] {
	const secrets = [setup.sim.refreshToken, ...issuedAccessTokens(setup.sim)];
	return texts.filter((text) => secrets.some((secret) => text.includes(secret)));
}

function runTexts(run: NodeRun): string[] {
	return textsOf([run.items, run.error ?? null]);
}

const five = [{}, {}, {}, {}, {}];

describe('SocialBoards token exchange (preAuthentication, A2)', () => {
	it('exchanges the refresh token once for a 5-item run, form-urlencoded, and saves the access token', async () => {
		const conversationId = chatTickets(setup.sim)[0].id;
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(conversationId) }, five);
		expect(status).toBe('success');
		expect(items).toHaveLength(5);
		expect(setup.sim.tokenExchanges).toBe(1);
		const [exchange] = setup.sim.tokenRequests;
		expect(exchange.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(exchange.body).toBe(
			new URLSearchParams({ grant_type: 'refresh_token', refresh_token: setup.sim.refreshToken, client_id: setup.sim.clientId }).toString(),
		);
		expect(setup.n8n.storedCredential('socialBoardsApi').accessToken).toBe(issuedAccessTokens(setup.sim)[0]);
		// Every API request carried the one token.
		expect(new Set(setup.sim.apiRequests.map((r) => r.headers.authorization))).toEqual(
			new Set([`Bearer ${issuedAccessTokens(setup.sim)[0]}`]),
		);
	});

	it('reuses the saved access token in the next run, exchanging nothing', async () => {
		const conversationId = chatTickets(setup.sim)[0].id;
		await setup.run({ operation: 'get', conversationId: byId(conversationId) });
		await setup.run({ operation: 'get', conversationId: byId(conversationId) }, five);
		expect(setup.sim.tokenExchanges).toBe(1);
	});

	it('after a 401 in the middle of a run, refreshes exactly once and retries that request once', async () => {
		const conversationId = chatTickets(setup.sim)[0].id;
		// Item 0 makes two requests (ticket, chat), item 1 the ticket read; the token expires after the third.
		setup.sim.expireAccessTokensAfter(3);
		const { status, items } = await setup.run({ operation: 'get', conversationId: byId(conversationId) }, five);
		expect(status).toBe('success');
		expect(items).toHaveLength(5);
		expect(setup.sim.tokenExchanges).toBe(2);
		const trail = setup.sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
		expect(trail.slice(0, 7)).toEqual([
			'POST /token 200',
			`GET /tickets/${conversationId} 200`,
			`GET /chat/conversations/${conversationId} 200`,
			`GET /tickets/${conversationId} 200`,
			`GET /chat/conversations/${conversationId} 401`,
			'POST /token 200',
			`GET /chat/conversations/${conversationId} 200`,
		]);
		expect(trail.filter((line) => line.endsWith(' 401'))).toHaveLength(1);
		expect(setup.n8n.storedCredential('socialBoardsApi').accessToken).toBe(issuedAccessTokens(setup.sim)[1]);
	});

	it('refreshes a 401 on a reply once and posts the reply once', async () => {
		const ticket = ticketByTitle(setup.sim, 'Delivery question');
		const before = setup.sim.messagesOf(ticket.id).length;
		await setup.run({ operation: 'get', conversationId: byId(ticket.id) });
		setup.sim.expireAccessTokens();
		const { status } = await setup.run({
			operation: 'reply',
			conversationId: byId(ticket.id),
			replyAs: 'bot',
			text: 'Back in a minute',
		});
		expect(status).toBe('success');
		expect(setup.sim.messagesOf(ticket.id)).toHaveLength(before + 1);
		expect(setup.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => r.status)).toEqual([401, 200]);
	});

	it('fails with an error naming the credential, before any API request, when the refresh token was revoked', async () => {
		setup.sim.revokeRefreshToken();
		const { result: run, logs } = await capturingLogs(() =>
			setup.run({ operation: 'get', conversationId: byId(chatTickets(setup.sim)[0].id) }, five, { continueOnFail: true }),
		);
		expect(setup.sim.apiRequests).toHaveLength(0);
		expect(run.items).toHaveLength(5);
		expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(run.items[0].json.error).toBe(
			'SocialBoards refused the refresh token of the "SocialBoards API" credential (HTTP 400: invalid_grant: The refresh token is invalid or was revoked. (refresh_token=[redacted]))',
		);
		expect(run.items[0].json.description).toMatch(/Settings → Installation → Public API/);
		expect(run.items[0].json.itemIndex).toBe(0);
		expect(secretsIn([...runTexts(run), ...logs])).toEqual([]);
	});

	it('stops the run at the first item when the refresh token is wrong and Continue On Fail is off', async () => {
		const wrong = await startSocialBoards({}, { refreshToken: 'sbrt_not-a-token-of-this-inbox' });
		try {
			const { status, error } = await wrong.run({ operation: 'getAll', returnAll: true }, five);
			expect(status).toBe('error');
			expect(error!.message).toMatch(/^SocialBoards refused the refresh token of the "SocialBoards API" credential \(HTTP 400/);
			expect(wrong.sim.apiRequests).toHaveLength(0);
			expect(wrong.sim.tokenRequests).toHaveLength(1);
		} finally {
			await wrong.sim.close();
		}
	});

	it('names the Client ID when SocialBoards does not know it', async () => {
		const wrong = await startSocialBoards({}, { clientId: '00000000-1111-2222-3333-444444444444' });
		try {
			const { error } = await wrong.run({ operation: 'getAll', returnAll: true });
			expect(error!.message).toMatch(/^SocialBoards refused the Client ID of the "SocialBoards API" credential \(HTTP 400: invalid_client/);
			expect(wrong.sim.apiRequests).toHaveLength(0);
		} finally {
			await wrong.sim.close();
		}
	});

	it('names the credential when a 401 persists after the refresh, and shows no token anywhere', async () => {
		const conversationId = chatTickets(setup.sim)[0].id;
		setup.sim.injectFault({ method: 'GET', path: /^\/tickets\/\d+$/i, status: 401, times: 2, body: { data: null, errorCode: 3, errorText: 'Expired' } });
		const { result: run, logs } = await capturingLogs(() => setup.run({ operation: 'get', conversationId: byId(conversationId) }));
		expect(run.status).toBe('error');
		expect(run.error!.message).toBe('SocialBoards refused the credentials (HTTP 401): Expired');
		expect(run.error!.description).toMatch(/Check the "SocialBoards API" credential/);
		expect(setup.sim.tokenExchanges).toBe(2);
		expect(setup.sim.apiRequests).toHaveLength(2);
		expect(secretsIn([...runTexts(run), ...logs])).toEqual([]);
	});

	it('redacts the access token SocialBoards echoes in an error, in the very request that obtained it', async () => {
		const { result: run, logs } = await capturingLogs(() =>
			setup.run({ operation: 'get', conversationId: byId(999) }, [{}, {}], { continueOnFail: true }),
		);
		expect(run.items[0].json.error).toBe('Conversation 999 was not found (HTTP 404): Ticket 999 was not found. (Authorization: Bearer [redacted])');
		expect(issuedAccessTokens(setup.sim)).toHaveLength(1);
		expect(secretsIn([...runTexts(run), ...logs])).toEqual([]);
	});

	it('uses a refresh token changed in the credential at the next run, not the access token of the previous one', async () => {
		const conversationId = chatTickets(setup.sim)[0].id;
		await setup.run({ operation: 'getTakeover', conversationId: byId(conversationId) });
		const other = setup.sim.addRefreshToken('another n8n');
		setup.n8n.updateStoredCredential('socialBoardsApi', { refreshToken: other.token });
		const { status } = await setup.run({ operation: 'getTakeover', conversationId: byId(conversationId) }, [{}, {}]);
		expect(status).toBe('success');
		const exchanges = setup.sim.tokenRequests.map((r) => new URLSearchParams(String(r.body)).get('refresh_token'));
		expect(exchanges).toEqual([setup.sim.refreshToken, other.token]);
		expect(setup.sim.apiRequests.map((r) => r.status)).toEqual([200, 401, 200, 200]);
	});

	it('saves a refresh token the exchange answers with when SocialBoards rotates them (against A2)', async () => {
		const rotating = await startSocialBoards({ rotateRefreshTokens: true });
		try {
			const conversationId = chatTickets(rotating.sim)[0].id;
			await rotating.run({ operation: 'get', conversationId: byId(conversationId) });
			rotating.sim.expireAccessTokens();
			const { status } = await rotating.run({ operation: 'get', conversationId: byId(conversationId) });
			expect(status).toBe('success');
			expect(rotating.sim.tokenExchanges).toBe(2);
			expect(rotating.n8n.storedCredential('socialBoardsApi').refreshToken).not.toBe(rotating.sim.refreshToken);
		} finally {
			await rotating.sim.close();
		}
	});

	it('waits for Retry-After when the token endpoint answers 429', async () => {
		setup.sim.injectFault({ method: 'POST', path: '/token', status: 429, retryAfter: 1, body: { error: 'rate_limited' } });
		recordedSleeps.length = 0;
		const { status } = await setup.run({ operation: 'getAll', returnAll: true });
		expect(status).toBe('success');
		expect(recordedSleeps).toEqual([1000]);
		expect(setup.sim.tokenRequests.map((r) => r.status)).toEqual([429, 200]);
	});
});

describe('SocialBoards credential test', () => {
	it('exchanges the refresh token, then reads GET /Teammates with the new access token', async () => {
		const { statusCode } = await setup.n8n.testCredential('socialBoardsApi');
		expect(statusCode).toBe(200);
		expect(setup.sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /token', 'GET /Teammates']);
		expect(setup.sim.apiRequests[0].headers.authorization).toBe(`Bearer ${issuedAccessTokens(setup.sim)[0]}`);
	});

	it('shows why a revoked refresh token was refused, naming the credential, and reads nothing', async () => {
		setup.sim.revokeRefreshToken();
		await expect(setup.n8n.testCredential('socialBoardsApi')).rejects.toThrow(
			'SocialBoards refused the refresh token of the "SocialBoards API" credential (HTTP 400: invalid_grant: The refresh token is invalid or was revoked. (refresh_token=[redacted]))',
		);
		expect(setup.sim.apiRequests).toHaveLength(0);
	});

	it('checks a refresh token typed into the dialog although an access token of the previous one is saved', async () => {
		await setup.n8n.testCredential('socialBoardsApi');
		expect(setup.n8n.storedCredential('socialBoardsApi').accessToken).not.toBe('');
		setup.n8n.updateStoredCredential('socialBoardsApi', { refreshToken: 'sbrt_typed-in-by-mistake' });
		await expect(setup.n8n.testCredential('socialBoardsApi')).rejects.toThrow(
			/^SocialBoards refused the refresh token of the "SocialBoards API" credential \(HTTP 400: invalid_grant/,
		);
		// The saved token was not sent for the edited credential: SocialBoards answered 401, then the exchange ran.
		expect(setup.sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /token 200',
			'GET /Teammates 200',
			'GET /Teammates 401',
			'POST /token 400',
		]);
	});

	it('answers the Teammates read’s 404 at a wrong Base URL, which a rule of the credential explains', async () => {
		const { SocialBoardsApi } = await import('../../credentials/SocialBoardsApi.credentials');
		setup.n8n.updateStoredCredential('socialBoardsApi', { baseUrl: `${setup.sim.baseUrl}/nothing-here` });
		try {
			const { statusCode } = await setup.n8n.testCredential('socialBoardsApi');
			expect(statusCode).toBe(404);
			const rule = new SocialBoardsApi().test.rules!.find((r) => (r.properties as { value: number }).value === statusCode);
			expect((rule!.properties as { message: string }).message).toMatch(/^No SocialBoards API at this Base URL/);
		} finally {
			setup.n8n.updateStoredCredential('socialBoardsApi', { baseUrl: setup.sim.baseUrl });
		}
	});
});
