jest.mock('n8n-workflow', () => jest.requireActual('../helpers/clock').n8nWorkflowWithVirtualSleep());

import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../helpers/clock';
import type { SocialBoardsSetup } from '../helpers/socialboards';
import { byId, issuedAccessTokens, startSocialBoards, ticketByTitle } from '../helpers/socialboards';
import type { NodeRun } from '../harness/n8n';
import { countListing, leaksIn, newTally, readmeRow } from './tally';

/**
 * SocialBoards under faults and bad input, through the node's real execute path against the simulator. Every case
 * counts into the tally that the README's Reliability table shows.
 */
let setup: SocialBoardsSetup;
const tally = newTally();
const clock = useVirtualClock();

beforeAll(async () => {
	setup = await startSocialBoards({ echoSecretsInErrors: true });
});
beforeEach(() => setup.reset());
afterAll(async () => await setup.sim.close());

/** The refresh token and every access token issued so far, plain and URL-encoded. */
function secrets(): string[] {
	return [setup.sim.refreshToken, ...issuedAccessTokens(setup.sim)].flatMap((secret) => [secret, encodeURIComponent(secret)]);
}

function record(run: NodeRun, expectedIds?: string[]): NodeRun {
	tally.leaked += leaksIn(run, secrets());
	if (expectedIds) {
		const { lost, duplicated } = countListing(expectedIds, run.items.map((item) => String(item.json.id)));
		tally.lost += lost;
		tally.duplicated += duplicated;
	}
	return run;
}

function ticketIds(): string[] {
	return [...setup.sim.state.tickets.keys()].map(String);
}

function chatId(): number {
	return ticketByTitle(setup.sim, 'Delivery question').id;
}

const listAll = { operation: 'getAll', returnAll: true, output: 'raw', orderBy: 'creation_time_desc' };

describe('SocialBoards paging under faults', () => {
	beforeEach(() => {
		for (let i = 0; i < 110; i++) setup.sim.addTicket({ title: `Extra ${i}` });
	});

	it('emits each ticket once when a ticket created during the listing shifts the later pages', async () => {
		const expected = ticketIds();
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', during: () => setup.sim.addTicket({ title: 'Arrived meanwhile' }) });
		tally.faults += 1;
		const run = record(await setup.run(listAll), expected);
		expect(run.status).toBe('success');
		expect(run.items.length).toBeGreaterThanOrEqual(expected.length);
	});

	it('retries a page answered 503, and one cut off mid-body, losing nothing', async () => {
		const expected = ticketIds();
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', status: 503, retryAfter: 2 });
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', resetMidBody: true, status: 200, body: { data: [], errorCode: -1, errorText: 'x'.repeat(4000) } });
		tally.faults += 2;
		const run = record(await setup.run(listAll), expected);
		expect(run.error?.message).toBeUndefined();
		expect(run.items).toHaveLength(expected.length);
	});

	it('refreshes the token once when it expires between two pages, losing nothing', async () => {
		const expected = ticketIds();
		setup.sim.expireAccessTokensAfter(1);
		tally.faults += 1;
		const run = record(await setup.run(listAll), expected);
		expect(run.status).toBe('success');
		expect(setup.sim.tokenExchanges).toBe(2);
	});

	it('fails clearly on a page whose data is not a list, and on an envelope error in a later page, emitting no half list', async () => {
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', status: 200, body: { data: { items: [] }, errorCode: -1, errorText: null } });
		tally.faults += 1;
		const notAList = record(await setup.run(listAll));
		expect(notAList.error!.message).toBe('SocialBoards answered a ticket page that is not a list of objects');
		setup.reset();
		for (let i = 0; i < 60; i++) setup.sim.addTicket();
		setup.sim.injectFault({ method: 'POST', path: '/tickets/list', during: () => undefined });
		setup.sim.injectEnvelopeError({ method: 'POST', path: '/tickets/list', errorCode: 99, errorText: 'Busy' });
		tally.faults += 1;
		const late = record(await setup.run(listAll));
		expect(late.status).toBe('error');
		expect(late.items).toEqual([]);
	});

	it('fails clearly on a ticket without a usable id, instead of emitting it with an empty one', async () => {
		setup.sim.injectFault({
			method: 'POST',
			path: '/tickets/list',
			status: 200,
			body: { data: [{ id: null, title: 'No id' }], errorCode: -1, errorText: null },
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getAll', returnAll: true }));
		expect(run.error!.message).toBe('SocialBoards sent a conversation without a usable id');
	});
});

describe('SocialBoards answers under faults', () => {
	it('redacts both tokens echoed in every field of an error answer', async () => {
		await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) });
		const [token] = issuedAccessTokens(setup.sim);
		const echo = `${token} ${setup.sim.refreshToken} ${encodeURIComponent(setup.sim.refreshToken)}`;
		setup.sim.injectFault({
			method: 'GET',
			path: /\/takeover$/i,
			status: 400,
			headers: { 'X-Request-Id': token },
			body: { data: { token }, errorCode: echo, errorText: `Bad request for ${echo}` },
		});
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) }));
		expect(run.error!.message).toMatch(/^SocialBoards rejected the request \(HTTP 400\): Bad request for \[redacted\]/);
	});

	it('reports an HTML error page with its status and text', async () => {
		setup.sim.injectFault({ method: 'GET', path: /\/takeover$/i, status: 502, rawBody: '<html><body><h1>Bad Gateway</h1></body></html>', times: 10 });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()), requestOptions: { maxRetries: 1 } }));
		expect(run.error!.message).toBe('SocialBoards failed to process the request (HTTP 502): Bad Gateway');
	});

	it('fails at once when a Retry-After would pass the wait budget, naming the wait', async () => {
		setup.sim.injectFault({ method: 'GET', path: /\/takeover$/i, status: 429, retryAfter: 600, times: 5 });
		tally.faults += 1;
		const started = clock.now();
		const run = record(await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) }));
		expect(run.error!.message).toMatch(/^SocialBoards asked to wait 600 s before retrying/);
		expect(clock.now() - started).toBeLessThan(1000);
	});

	it('never repeats a reply whose answer is cut off mid-body after SocialBoards stored it', async () => {
		const before = setup.sim.messagesOf(chatId()).length;
		setup.sim.injectFault({ method: 'POST', path: /\/messages$/i, afterCommit: true, resetMidBody: true, status: 200, body: { data: [], errorCode: -1, errorText: 'x'.repeat(4000) } });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'reply', conversationId: byId(chatId()), replyAs: 'bot', text: 'Once' }));
		expect(run.error!.message).toBe('SocialBoards did not confirm the reply');
		expect(setup.sim.messagesOf(chatId())).toHaveLength(before + 1);
		tally.duplicated += setup.sim.messagesOf(chatId()).length - before - 1;
	});

	it('retries the token exchange after a 503, then works', async () => {
		setup.sim.injectFault({ method: 'POST', path: '/token', status: 503, retryAfter: 1 });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) }));
		expect(run.status).toBe('success');
		expect(setup.sim.tokenRequests.map((r) => r.status)).toEqual([503, 200]);
	});

	it('names the credential when the refresh token is revoked in the middle of a run, leaking neither token', async () => {
		await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) });
		setup.sim.revokeRefreshToken(setup.sim.refreshToken, { alsoAccessTokens: true });
		tally.faults += 1;
		const run = record(await setup.run({ operation: 'getTakeover', conversationId: byId(chatId()) }, [{}, {}], { continueOnFail: true }));
		expect(run.items).toHaveLength(2);
		expect(run.items.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^SocialBoards refused the refresh token of the "SocialBoards API" credential/),
			expect.stringMatching(/^SocialBoards refused the refresh token of the "SocialBoards API" credential/),
		]);
	});
});

describe('SocialBoards bad input', () => {
	/** One item per bad value, Continue On Fail: each refused, naming its item, before any request. */
	async function expectRefused(parameters: IDataObject, values: unknown[], message: RegExp) {
		const run = record(await setup.run(parameters, values.map((v) => ({ v }) as IDataObject), { continueOnFail: true }));
		expect(run.items).toHaveLength(values.length);
		run.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(String(item.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] `));
			expect(String(item.json.error)).toMatch(message);
		});
		expect(setup.sim.requests).toHaveLength(0);
		tally.badInputs += values.length;
	}

	const mapped = { __rl: true, mode: 'id', value: '={{ $json.v }}' };

	it('refuses a limit that is not a whole number of at least 1', async () => {
		await expectRefused({ operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' }, [-1, 0, 2.5, 'abc', true, [5], { n: 5 }, ''], /Limit must be a whole number/);
	});

	it('refuses conversation IDs that are not positive whole numbers', async () => {
		await expectRefused({ operation: 'get', conversationId: mapped }, ['abc', '0', '-3', '1.5', '../tags', ' 12 34', ''], /Conversation ID (".+" is not a whole number|is empty)/);
		await expectRefused({ operation: 'close', conversationId: mapped }, [[1], { id: 1 }, true, -7, 0.5], /Conversation ID must be a whole number or text, not /);
		await expectRefused(
			{ operation: 'get', conversationId: { __rl: true, mode: 'url', value: '={{ $json.v }}' } },
			['https://inbox.socialboards.com/shop/tickets?ticketId=abc', 'https://example.com/', ''],
			/Conversation URL/,
		);
	});

	it('refuses teammate IDs that are not UUIDs, and replies without text or author', async () => {
		await expectRefused({ operation: 'assign', conversationId: byId(chatId()), assigneeId: mapped }, ['ola', 'agent.ola@example.no', [1]], /Assignee ID/);
		await expectRefused({ operation: 'reply', conversationId: byId(chatId()), replyAs: 'bot', authorId: byId(''), text: '={{ $json.v }}' }, ['', '   ', { t: 'x' }, ['x']], /The reply is empty|Text must be text/);
		await expectRefused({ operation: 'reply', conversationId: byId(chatId()), replyAs: '={{ $json.v }}', authorId: byId('31aee6af-3e38-40d9-98b1-aa2b9238f24d'), text: 'Hi' }, ['agent', 1], /Reply As must be one of/);
	});

	it('refuses tags, statuses and takeover choices of the wrong type or form', async () => {
		await expectRefused({ operation: 'addTags', conversationId: byId(chatId()), tags: '={{ $json.v }}' }, [{ a: 1 }, [[1]], true], /Tags must be tag names or IDs/);
		await expectRefused({ operation: 'update', conversationId: byId(chatId()), updateFields: { status: '={{ $json.v }}' } }, ['archived', 3], /Update Fields → Status must be one of/);
		await expectRefused({ operation: 'setTakeover', conversationId: byId(chatId()), handledBy: '={{ $json.v }}' }, ['agent', true], /Handled By must be one of/);
	});
});

describe('SocialBoards reliability figures', () => {
	it('are the ones the README shows, with nothing lost, duplicated or leaked', () => {
		expect(tally).toMatchObject({ lost: 0, duplicated: 0, leaked: 0 });
		expect(readmeRow('SocialBoards')).toEqual(tally);
	});
});
