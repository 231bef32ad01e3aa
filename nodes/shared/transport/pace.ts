import type { IDataObject } from 'n8n-workflow';

/**
 * One of a vendor's rate-limit windows as its headers describe it after an answer: how many requests it
 * still takes, and when it starts afresh.
 */
export interface RateWindow {
	/** The window's name in messages: "per-minute", "hourly". */
	name: string;
	remaining: number;
	/** Epoch milliseconds. */
	resetsAtMs: number;
}

/** What one answer's rate-limit headers said, and which request it answered (its number in send order). */
interface KnownBudget {
	windows: RateWindow[];
	asOfRequest: number;
}

/**
 * A vendor's published limit as a token bucket, kept on this side: `capacity` requests at once, then one more
 * each `refillMs`.
 */
export interface TokenBucket {
	capacity: number;
	refillMs: number;
}

/**
 * How the requests of an account are paced: strictly spaced by `spacingMs` (from the later of the last send and
 * the last answer; 0 for none; under 1 ms, as a share of each millisecond), or, without spacing, by the bucket: a
 * request goes while it holds a token, and once it is empty each as its token refills, counted from the sends. A
 * strictly spaced request takes one too.
 */
export interface PaceRule {
	spacingMs: number;
	bucket?: TokenBucket;
	/**
	 * A vendor that counts `requests` over any `windowMs` (a rolling window, on arrival): that many go at once,
	 * then each as soon as the answer to the request `requests` before it is `windowMs` old. That request
	 * arrived before its answer came, so it is out of the vendor's window when this one arrives, however the
	 * two travelled: no margin is needed, and no answer's time is added to every request.
	 */
	rolling?: { requests: number; windowMs: number };
}

/** How many answer times an account keeps for a rolling window; more than any vendor's window holds. */
const MAX_ANSWER_TIMES = 64;

/**
 * Tokens kept below the vendor's burst: the vendor counts a request when it arrives, not when it was sent, so
 * requests that travel at different speeds arrive closer together than they left; and the account's other
 * users take a token now and then.
 */
const BUCKET_MARGIN = 3;

/** The bucket to keep for a vendor's published rate and burst: the burst less the margin, at least one. */
export function bucketOf(perSecond: number | undefined, burst: number | undefined): TokenBucket | undefined {
	if (!perSecond || perSecond <= 0 || !burst || burst <= 0) return undefined;
	return { capacity: Math.max(1, burst - BUCKET_MARGIN), refillMs: 1000 / perSecond };
}

/**
 * The pace of one vendor account as seen from this process: every item of every execution that uses the same
 * credential against the same base URL shares it, as the vendor's own limit is per account. Concurrent
 * executions take turns: each request waits for the one before it (to be sent, or answered where requests are
 * strictly spaced), then for its own time.
 */
interface AccountPace {
	/** When the last request was sent and the last answer came (epoch ms). */
	lastSentAtMs: number;
	lastAnsweredAtMs: number;
	/** How many requests were sent so far: what an answer's budget no longer counts is what was sent after it. */
	sent: number;
	budget?: KnownBudget;
	/** When the last answers came (epoch ms, oldest first), at most MAX_ANSWER_TIMES. */
	answeredAtMs: number[];
	/** The bucket's tokens as of `atMs`, once a request took one; before that it is full. */
	tokens?: { count: number; atMs: number };
	/** The turn of the request sent last; the next one waits for it. */
	lastTurn: Promise<void>;
	/** The millisecond the last request was sent in, and how many were sent in it. */
	tick?: { atMs: number; sent: number };
}

/** Accounts are few; the bound only keeps a long-running n8n that saw many credentials from growing. */
const MAX_ACCOUNTS = 1000;

const paceOfAccount = new Map<string, AccountPace>();

function paceOf(account: string): AccountPace {
	let pace = paceOfAccount.get(account);
	if (!pace) {
		if (paceOfAccount.size >= MAX_ACCOUNTS) paceOfAccount.delete(paceOfAccount.keys().next().value as string);
		pace = { lastSentAtMs: 0, lastAnsweredAtMs: 0, answeredAtMs: [], sent: 0, lastTurn: Promise.resolve() };
		paceOfAccount.set(account, pace);
	}
	return pace;
}

/** Why a request has to wait before it is sent: the spacing, or a window of the vendor's that is used up. */
export interface PaceWait {
	waitMs: number;
	window?: RateWindow;
}

/** The tokens in the account's bucket at `now`: refilled since the last request took one, up to its capacity. */
function tokensOf(pace: AccountPace, bucket: TokenBucket, now: number): number {
	if (!pace.tokens) return bucket.capacity;
	// No refill while the clock stands before the last take (it was set back).
	const refilled = Math.max(0, now - pace.tokens.atMs) / bucket.refillMs;
	return Math.min(bucket.capacity, pace.tokens.count + refilled);
}

/**
 * How long the next request of an account has to wait, from what was sent and answered so far. Strict spacing
 * counts from the later of the last send and the last answer, so that a per-second window the vendor counts on
 * arrival is never exceeded; without it, a bucket lets a request go while it holds a token, and else for as long
 * as the token takes to refill; a budget the vendor's headers reported holds until its window starts afresh,
 * counting the requests sent since the answer that reported it.
 */
function waitOf(pace: AccountPace, rule: PaceRule, now: number): PaceWait {
	let wait: PaceWait = { waitMs: 0 };
	const budget = pace.budget;
	if (budget) {
		const sentSince = pace.sent - budget.asOfRequest;
		for (const window of budget.windows) {
			const untilReset = window.resetsAtMs - now;
			if (untilReset > wait.waitMs && window.remaining - sentSince <= 0) wait = { waitMs: untilReset, window };
		}
	}
	const { spacingMs, bucket, rolling } = rule;
	if (spacingMs > 0 && spacingMs < 1) {
		// A rate above 1,000 a second spaces requests by less than the clock's tick (whole milliseconds): each
		// millisecond lets through as many as the rate allows in it, and the next request waits for the next
		// tick once they are sent. Waiting out a fraction of a tick would take a 1 ms timer every request.
		const tick = pace.tick;
		if (tick && tick.atMs === now && tick.sent >= Math.floor(1 / spacingMs) && wait.waitMs < 1) wait = { waitMs: 1 };
	} else if (spacingMs > 0) {
		// At most one interval, also when the clock was set back since the last request.
		const spacedMs = Math.min(spacingMs, Math.max(pace.lastSentAtMs, pace.lastAnsweredAtMs) + spacingMs - now);
		if (spacedMs > wait.waitMs) wait = { waitMs: spacedMs };
	} else if (rolling) {
		// Requests under a rolling window take turns answer by answer, so the answers kept are the last requests'.
		const answers = pace.answeredAtMs;
		if (answers.length >= rolling.requests) {
			const anchorMs = answers[answers.length - rolling.requests];
			const rollingMs = Math.min(rolling.windowMs, anchorMs + rolling.windowMs - now);
			if (rollingMs > wait.waitMs) wait = { waitMs: rollingMs };
		}
	} else if (bucket) {
		const refillingMs = (1 - tokensOf(pace, bucket, now)) * bucket.refillMs;
		if (refillingMs > wait.waitMs) wait = { waitMs: refillingMs };
	}
	return wait;
}

/** A request's place in the account's pace, from when it may be sent until its answer came. */
export interface Turn {
	account: string;
	/** The request's number in the account's send order. */
	request: number;
	/** Lets the next request of the account take its turn. */
	release(): void;
}

/**
 * Takes the account's next turn: waits for the request before it, then as long as the pace asks (`admit` may
 * refuse a wait that is too long, by throwing). Strictly spaced requests, and those under a rolling window, wait
 * for the answer to the one before, so that two runs at once never arrive closer than the pace lets them; the
 * others (a bucket, a budget) for its send.
 * Every request sent takes a token from the account's bucket, where the rule has one, also one strictly spaced
 * at a rate of the user's: the vendor counts them all.
 */
export async function takeTurn(
	account: string,
	rule: PaceRule,
	admit: (wait: PaceWait) => void,
	sleep: (ms: number) => Promise<void>,
): Promise<Turn> {
	const pace = paceOf(account);
	const before = pace.lastTurn;
	let release!: () => void;
	pace.lastTurn = new Promise((resolve) => (release = resolve));
	let admitted = false;
	try {
		await before;
		const wait = waitOf(pace, rule, Date.now());
		if (wait.waitMs > 0) {
			admit(wait);
			// Whole milliseconds, rounded up: a timer of 59.9 ms may fire after 59.
			await sleep(Math.ceil(wait.waitMs));
		}
		admitted = true;
	} finally {
		// A request refused its wait leaves the turn to the next at once.
		if (!admitted) release();
	}
	const now = Date.now();
	if (rule.bucket) {
		// What a late timer refilled beyond the token stays in the bucket: the next request is sent that much
		// sooner, so that the pace keeps the vendor's rate on average, as the vendor's bucket counts it.
		pace.tokens = { count: Math.max(0, tokensOf(pace, rule.bucket, now) - 1), atMs: now };
	}
	pace.lastSentAtMs = now;
	pace.sent += 1;
	if (pace.tick?.atMs === now) pace.tick.sent += 1;
	else pace.tick = { atMs: now, sent: 1 };
	if (rule.spacingMs <= 0 && !rule.rolling) release();
	return { account, request: pace.sent, release };
}

/** What an answer tells the pace: when it came, and the budget its headers report (newer than the one known). */
export function recordAnswer(turn: Turn, windows: RateWindow[] | undefined): void {
	const pace = paceOf(turn.account);
	pace.lastAnsweredAtMs = Date.now();
	pace.answeredAtMs.push(pace.lastAnsweredAtMs);
	if (pace.answeredAtMs.length > MAX_ANSWER_TIMES) pace.answeredAtMs.shift();
	if (windows && windows.length > 0 && (!pace.budget || turn.request >= pace.budget.asOfRequest)) {
		pace.budget = { windows, asOfRequest: turn.request };
	}
	turn.release();
}

/** The spacing of a rate in requests per second; 0 for none. */
export function intervalOf(perSecond: number | undefined): number {
	return perSecond && perSecond > 0 ? 1000 / perSecond : 0;
}

function headerNumber(headers: IDataObject, name: string): number | undefined {
	const raw = headers[name];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * Reads `X-RateLimit-Remaining-<Window>` / `X-RateLimit-Reset-<Window>` pairs (reset in Unix seconds; a small
 * number is taken as seconds from now), for the windows given by their header suffix and name.
 */
export function readRateLimitHeaders(
	headers: IDataObject,
	windows: Array<{ suffix: string; name: string }>,
	now = Date.now(),
): RateWindow[] | undefined {
	const read: RateWindow[] = [];
	for (const { suffix, name } of windows) {
		const remaining = headerNumber(headers, `x-ratelimit-remaining-${suffix}`);
		const reset = headerNumber(headers, `x-ratelimit-reset-${suffix}`);
		if (remaining === undefined || reset === undefined) continue;
		const resetsAtMs = reset < 1e9 ? now + reset * 1000 : reset * 1000;
		read.push({ name, remaining, resetsAtMs });
	}
	return read.length > 0 ? read : undefined;
}
