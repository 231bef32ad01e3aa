import { createHash, randomBytes } from 'crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isPlainObject } from '../normalize';

/** How many recent delivery keys a trigger node keeps at least, in memory and in static data. */
export const DEDUPE_CAPACITY = 1000;
/**
 * How many keys the static-data window may hold beyond its capacity before the oldest are pruned, all at once,
 * down to the capacity (see `rememberInStaticData`).
 */
export const DEDUPE_SLACK = 250;
/** How long a key is remembered: the longest vendor retry schedule we know is about a day. */
export const DEDUPE_WINDOW_MS = 25 * 3600 * 1000;
/** How many trigger nodes one process keeps windows for; the least recently used is forgotten first. */
const MAX_SCOPES = 500;

/**
 * The static-data window: the node's static data keeps `seenWindow`, one text of entries `<second> <key>`
 * separated by `|`, oldest first, each key with the second it was recorded. One text, not an object with a member
 * per key: n8n parses the workflow's static data from its database for every request and wraps every object in it
 * in its observable proxy, and for an object of 1,000 ever-changing keys that is many times slower (a hidden class
 * per new set of keys, then the garbage, which lands in the trigger's own time too) than for the same window as one
 * text (bench figure 6 measures both). The text also keeps its order through a database that sorts an object's
 * keys (Postgres jsonb).
 *
 * A window saved by an earlier build as `seenKeys` (an object of key → second, with `seenKeyCount`) is read as
 * it is, and written back as a text the first time a key is added.
 */
interface WindowState extends IDataObject {
	seenWindow?: string;
	/** Written anew with every write of `seenWindow`, by whichever process writes it: names that text. */
	seenWindowStamp?: string;
	/** The window as it was saved before the text: key → second. Read, and replaced by `seenWindow` on a write. */
	seenKeys?: IDataObject;
	seenKeyCount?: number;
}

/**
 * A window read: its keys with their seconds, in window order, and the length of the text they were read from.
 * Not the text itself: the static data holds it, and a text of 1,000 keys kept here from one request to the next
 * would outlive the young generation on every delivery (tens of kilobytes copied by every scavenge).
 */
interface WindowIndex {
	length: number;
	/** The stamp the text was saved with, when it had one. */
	stamp?: string;
	seconds: Map<string, number>;
	/** Whether the text holds exactly these entries: nothing skipped, no key twice. Else the next write rewrites it. */
	clean: boolean;
}

/**
 * Windows read lately, by their stamp: the steady state of a busy trigger is a window this process wrote itself
 * and reads back from n8n's database with the next request, so it is parsed once, not on every delivery. Every
 * write gives the window a new stamp, unique across processes (a random prefix per process and a counter), so a
 * stamp names one text: a window another process wrote, or an older copy, has another stamp and is read as it
 * is. Its length is checked too, against a text changed without its stamp. The least recently stored goes first.
 */
const windowsByStamp = new Map<string, WindowIndex>();
const MAX_WINDOWS_BY_STAMP = 32;

const PROCESS_STAMP = randomBytes(6).toString('base64url');
let stampCount = 0;

function newStamp(): string {
	stampCount += 1;
	return `${PROCESS_STAMP}.${stampCount.toString(36)}`;
}

function rememberWindow(index: WindowIndex, stamp: string): void {
	if (index.stamp !== undefined && windowsByStamp.get(index.stamp) === index) windowsByStamp.delete(index.stamp);
	if (windowsByStamp.size >= MAX_WINDOWS_BY_STAMP) windowsByStamp.delete(windowsByStamp.keys().next().value as string);
	index.stamp = stamp;
	windowsByStamp.set(stamp, index);
}

/**
 * Entries are separated by `|`, which JSON writes as it is: a separator JSON escapes (a line break) would make
 * n8n's JSON.parse of the window take the slow path, about twice the time.
 */
const SEPARATOR = '|';

/** A key as the window keeps it: one with the separator in it is kept as its hash. */
function storedKey(key: string): string {
	return key.includes(SEPARATOR) ? `#sha256:${createHash('sha256').update(key).digest('hex')}` : key;
}

/** Reads a window's text; an entry that is not `<second> <key>` is skipped, and a key listed again counts where it is last. */
function parseWindow(text: string): WindowIndex {
	const seconds = new Map<string, number>();
	let entries = 0;
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf(SEPARATOR, start);
		if (end === -1) end = text.length;
		entries += 1;
		const space = text.indexOf(' ', start);
		if (space > start && space < end - 1) {
			const second = Number(text.slice(start, space));
			if (Number.isInteger(second)) {
				const key = text.slice(space + 1, end);
				seconds.delete(key);
				seconds.set(key, second);
			}
		}
		start = end + 1;
	}
	return { length: text.length, seconds, clean: seconds.size === entries && !text.endsWith(SEPARATOR) };
}

/** A window saved as `seenKeys` (before the text): its keys with a recorded second, in the order saved. */
function readObjectWindow(window: IDataObject): Map<string, number> {
	const seconds = new Map<string, number>();
	for (const key of Object.keys(window)) {
		const second = window[key];
		if (typeof second === 'number' && Number.isInteger(second)) seconds.set(key, second);
	}
	return seconds;
}

function textOf(seconds: Map<string, number>): string {
	let text = '';
	for (const [key, second] of seconds) text += text === '' ? `${second} ${key}` : `${SEPARATOR}${second} ${key}`;
	return text;
}

/** The window a trigger's static data holds, parsed once per stamp (a text without one, every time it is read). */
function windowOf(state: IDataObject): WindowIndex {
	const text = (state as WindowState).seenWindow;
	if (typeof text !== 'string') {
		const legacy = (state as WindowState).seenKeys;
		const seconds = isPlainObject(legacy) ? readObjectWindow(legacy) : new Map<string, number>();
		// Held by no stamp: the state holds no text yet. Its first write gives it one.
		return { length: 0, seconds, clean: false };
	}
	const stamp = (state as WindowState).seenWindowStamp;
	let index = typeof stamp === 'string' ? windowsByStamp.get(stamp) : undefined;
	if (index === undefined || index.length !== text.length) {
		index = parseWindow(text);
		if (typeof stamp === 'string') rememberWindow(index, stamp);
	}
	return index;
}

/** Whether a key is in the workflow's static-data window and still inside the time window. */
export function seenInStaticData(state: IDataObject, key: string, nowMs: number = Date.now()): boolean {
	const second = windowOf(state).seconds.get(storedKey(key));
	return second !== undefined && second * 1000 + DEDUPE_WINDOW_MS > nowMs;
}

export interface WindowLimits {
	/** The newest this many keys still inside the time window are always kept. */
	capacity: number;
	/** How many more the window holds before it is pruned down to `capacity`. */
	slack: number;
}

const DEFAULT_LIMITS: WindowLimits = { capacity: DEDUPE_CAPACITY, slack: DEDUPE_SLACK };

/**
 * Adds keys to the static-data window. A new key goes in at the end with the current second (a key seen before
 * but out of the time window, too, moved to the end); when the window then holds more than `capacity + slack`
 * keys, it is pruned in one pass to the newest `capacity` still inside the time window (the oldest go first; of
 * keys recorded in the same second, the one that comes first in the window). So the newest `capacity` live keys
 * are always there, the window never holds more than `capacity + slack`, and a full window is rewritten once per
 * `slack` deliveries; in between, a delivery appends an entry. Expired keys wait for that pass; a lookup ignores
 * them. Writes nothing (and so leaves n8n's "changed" flag alone) when every key is already there. Returns
 * whether it wrote.
 *
 * Where n8n 2.41.1 saves what is written here: at the end of an execution (regular mode, and on the queue
 * worker), and when a request is answered, if the "changed" flag is still set then. For a delivery that
 * starts an execution, that holds only when `webhook()` answers the request itself (delivery.ts
 * `answerThenRun`): n8n's own answer comes after WorkflowRunner has wrapped the static data in a second
 * Workflow, which resets the flag. Every save writes the workflow's whole static data: the last save wins.
 */
export function rememberInStaticData(
	state: IDataObject,
	keys: string[],
	nowMs: number = Date.now(),
	limits: WindowLimits = DEFAULT_LIMITS,
	/** The caller has just found none of `keys` in the window (`seenInStaticData`): they are not looked up again. */
	knownUnseen = false,
): boolean {
	// Each key once, in its first place.
	let fresh = keys.length > 1 ? [...new Set(keys)] : keys;
	if (!knownUnseen) fresh = fresh.filter((key) => !seenInStaticData(state, key, nowMs));
	if (fresh.length === 0) return false;
	const windowState = state as WindowState;
	const index = windowOf(state);
	const { seconds } = index;
	const second = Math.floor(nowMs / 1000);
	// A window read from `seenKeys` or from a text with entries it skipped, a key moved to the end, or a prune: the
	// text is written anew; else an entry is appended.
	let rewrite = typeof windowState.seenWindow !== 'string' || !index.clean;
	let appended = '';
	for (const key of fresh) {
		const stored = storedKey(key);
		if (seconds.delete(stored)) rewrite = true;
		seconds.set(stored, second);
		appended += `${SEPARATOR}${second} ${stored}`;
	}
	if (seconds.size > limits.capacity + limits.slack) {
		prune(seconds, nowMs, limits.capacity);
		rewrite = true;
	}
	// Not rewritten: the static data holds the text the index was read from (`windowOf` checked its stamp and length).
	const current = rewrite ? '' : (windowState.seenWindow as string);
	const text = rewrite ? textOf(seconds) : current === '' ? appended.slice(1) : current + appended;
	// The index now stands for the new text and stamp only: an older copy of the window read later is read afresh.
	const stamp = newStamp();
	index.length = text.length;
	index.clean = true;
	rememberWindow(index, stamp);
	windowState.seenWindow = text;
	windowState.seenWindowStamp = stamp;
	if (windowState.seenKeys !== undefined) delete windowState.seenKeys;
	if (windowState.seenKeyCount !== undefined) delete windowState.seenKeyCount;
	return true;
}

/** Prunes the window to its newest `capacity` keys still inside the time window. */
function prune(seconds: Map<string, number>, nowMs: number, capacity: number): void {
	const oldest = (nowMs - DEDUPE_WINDOW_MS) / 1000;
	const live: string[] = [];
	const times: number[] = [];
	for (const [key, at] of seconds) {
		if (at > oldest) {
			live.push(key);
			times.push(at);
		} else {
			seconds.delete(key);
		}
	}
	if (live.length > capacity) dropOldest(seconds, live, times, live.length - capacity);
}

/**
 * Deletes the `count` oldest of the window's `live` keys (listed in window order, with their recorded `times`):
 * by time, and of keys with the same time the first in window order, as a stable sort by time would. A window
 * read from `seenKeys` may be out of time order (Postgres jsonb sorts an object's keys), so age is read from
 * the times.
 */
function dropOldest(seconds: Map<string, number>, live: string[], times: number[], count: number): void {
	if (count >= live.length) {
		for (const key of live) seconds.delete(key);
		return;
	}
	if (count > 8) {
		const order = live.map((_, index) => index).sort((a, b) => times[a] - times[b] || a - b);
		for (const index of order.slice(0, count)) seconds.delete(live[index]);
		return;
	}
	// A few to go (a small slack): as many passes, no sort.
	const gone = new Set<number>();
	while (gone.size < count) {
		let pick = -1;
		for (let index = 0; index < live.length; index++) {
			if (!gone.has(index) && (pick === -1 || times[index] < times[pick])) pick = index;
		}
		gone.add(pick);
		seconds.delete(live[pick]);
	}
}

/** The static-data key of an event the trigger emitted (its `eventId`), as the delivery pipeline checks it. */
export function eventKey(eventId: string): string {
	return `event:${eventId}`;
}

/** The event keys of the items a trigger emitted: every item with a text `eventId`. */
export function eventKeysOf(items: INodeExecutionData[]): string[] {
	const keys: string[] = [];
	for (const item of items) {
		const eventId = (item.json as IDataObject | undefined)?.eventId;
		if (typeof eventId === 'string' && eventId !== '') keys.push(eventKey(eventId));
	}
	return keys;
}

export interface DeliveryGuardLimits {
	keysPerScope: number;
	scopes: number;
	windowMs: number;
}

/**
 * The in-process de-duplication window: per scope (one trigger node), the keys of the deliveries that
 * started an execution, each forgotten after `windowMs` or when the scope holds more than `keysPerScope`.
 * Checking and remembering are synchronous, so copies of a delivery arriving at once cannot both pass.
 * Every key lives `windowMs`, so a scope's insertion order is its expiry order: what has to go is always at
 * the front, and remembering costs O(1) amortised whatever the window's size.
 */
export class DeliveryGuard {
	private readonly scopes = new Map<string, Map<string, number>>();
	/** The scope remembered last: already at the end of `scopes`. */
	private mostRecentScope: string | undefined;

	constructor(
		private readonly limits: DeliveryGuardLimits,
		private readonly now: () => number = Date.now,
	) {}

	seen(scope: string, key: string): boolean {
		const expiresAt = this.scopes.get(scope)?.get(key);
		return expiresAt !== undefined && expiresAt > this.now();
	}

	remember(scope: string, keys: string[]): void {
		let window = this.scopes.get(scope);
		if (window === undefined) {
			window = new Map<string, number>();
			this.scopes.set(scope, window);
		} else if (scope !== this.mostRecentScope) {
			// Most recently used last, so that the least recently used scope is the first one.
			this.scopes.delete(scope);
			this.scopes.set(scope, window);
		}
		this.mostRecentScope = scope;
		const now = this.now();
		const expiresAt = now + this.limits.windowMs;
		for (const key of keys) {
			window.delete(key);
			window.set(key, expiresAt);
		}
		for (const [key, keyExpiresAt] of window) {
			if (keyExpiresAt > now && window.size <= this.limits.keysPerScope) break;
			window.delete(key);
		}
		if (this.scopes.size > this.limits.scopes) {
			const leastRecentlyUsed = this.scopes.keys().next().value as string;
			this.scopes.delete(leastRecentlyUsed);
		}
	}

	/** Forgets a scope, e.g. when its trigger is activated or deactivated again. */
	forget(scope: string): void {
		this.scopes.delete(scope);
		if (scope === this.mostRecentScope) this.mostRecentScope = undefined;
	}
}

/** The guard every trigger node of this process shares. */
export const deliveryGuard = new DeliveryGuard({ keysPerScope: DEDUPE_CAPACITY, scopes: MAX_SCOPES, windowMs: DEDUPE_WINDOW_MS });
