import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

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
 * The static-data window: the node's static data keeps `seenKeys`, each key with the second it was recorded,
 * and `seenKeyCount`, how many keys `seenKeys` holds. An object, not a list, so that a lookup is one property
 * read through n8n's observable proxy, not a scan; and a count, because counting the keys of a proxied object
 * means enumerating them (about 0.4 ms for 1,000 keys in n8n-workflow 2.41.1, for every delivery).
 */
interface WindowState extends IDataObject {
	seenKeys?: IDataObject;
	seenKeyCount?: number;
}

function isWindow(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a key is in the workflow's static-data window and still inside the time window. */
export function seenInStaticData(state: IDataObject, key: string, nowMs: number = Date.now()): boolean {
	const window = (state as WindowState).seenKeys;
	if (!isWindow(window) || !Object.prototype.hasOwnProperty.call(window, key)) return false;
	const recordedAt = window[key];
	return typeof recordedAt === 'number' && recordedAt * 1000 + DEDUPE_WINDOW_MS > nowMs;
}

export interface WindowLimits {
	/** The newest this many keys still inside the time window are always kept. */
	capacity: number;
	/** How many more the window holds before it is pruned down to `capacity`. */
	slack: number;
}

const DEFAULT_LIMITS: WindowLimits = { capacity: DEDUPE_CAPACITY, slack: DEDUPE_SLACK };

/** The stored count, when it can be one; else the keys are counted once (a window saved before counts were kept). */
function countOf(state: WindowState, window: IDataObject): number {
	const stored = state.seenKeyCount;
	return typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 ? stored : Object.keys(window).length;
}

/**
 * Adds keys to the static-data window. A new key goes in with the current second (a key seen before but out of
 * the time window, too, moved to the end); when the window then holds more than `capacity + slack` keys, it is
 * pruned in one pass to the newest `capacity` still inside the time window (the oldest go first; of keys
 * recorded in the same second, the one that comes first in the window). So the newest `capacity` live keys are
 * always there, the window never holds more than `capacity + slack`, and a full window is enumerated once per
 * `slack` deliveries instead of on every one: the steady state of a busy trigger, read and written through n8n's
 * observable proxy, where every enumeration costs. Expired keys wait for that pass; a lookup ignores them.
 * Writes nothing (and so leaves n8n's "changed" flag alone) when every key is already there. Returns whether
 * it wrote.
 *
 * Where n8n 2.41.1 saves what is written here: at the end of an execution (regular mode, and on the queue
 * worker), and when a request is answered, if the "changed" flag is still set then. For a delivery that
 * starts an execution, that holds only when `webhook()` answers the request itself (delivery.ts
 * `answerThenRun`): n8n's own answer comes after WorkflowRunner has wrapped the static data in a second
 * Workflow, which resets the flag. Every save writes the workflow's whole static data: the last save wins, and
 * the count it holds is that of the window it holds.
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
	if (!knownUnseen) {
		fresh = fresh.filter((key) => !seenInStaticData(state, key, nowMs));
	}
	if (fresh.length === 0) return false;
	const windowState = state as WindowState;
	const recordedAt = Math.floor(nowMs / 1000);
	const saved = windowState.seenKeys;
	const window: IDataObject = isWindow(saved) ? saved : {};
	let count = isWindow(saved) ? countOf(windowState, saved) : 0;
	for (const key of fresh) {
		if (Object.prototype.hasOwnProperty.call(window, key)) {
			delete window[key];
			count -= 1;
		}
		window[key] = recordedAt;
		count += 1;
	}
	if (count > limits.capacity + limits.slack) count = prune(window, nowMs, limits.capacity);
	if (window !== saved) windowState.seenKeys = window;
	windowState.seenKeyCount = count;
	return true;
}

/** Prunes the window to its newest `capacity` keys still inside the time window; answers how many it keeps. */
function prune(window: IDataObject, nowMs: number, capacity: number): number {
	const oldest = (nowMs - DEDUPE_WINDOW_MS) / 1000;
	const live: string[] = [];
	const times: number[] = [];
	for (const key of Object.keys(window)) {
		const at = window[key];
		if (typeof at === 'number' && at > oldest) {
			live.push(key);
			times.push(at);
		} else {
			delete window[key];
		}
	}
	if (live.length > capacity) dropOldest(window, live, times, live.length - capacity);
	return Math.min(live.length, capacity);
}

/**
 * Deletes the `count` oldest of the window's `live` keys (listed in window order, with their recorded `times`):
 * by time, and of keys with the same time the first in window order, as a stable sort by time would. A save
 * may not keep key order (Postgres jsonb sorts keys), so age is read from the times.
 */
function dropOldest(window: IDataObject, live: string[], times: number[], count: number): void {
	if (count >= live.length) {
		for (const key of live) delete window[key];
		return;
	}
	if (count > 8) {
		const order = live.map((_, index) => index).sort((a, b) => times[a] - times[b] || a - b);
		for (const index of order.slice(0, count)) delete window[live[index]];
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
		delete window[live[pick]];
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
