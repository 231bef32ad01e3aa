import type { IDataObject } from 'n8n-workflow';

/** How many recent delivery keys a trigger node keeps, in memory and in static data. */
export const DEDUPE_CAPACITY = 1000;
/** How long the in-process guard remembers a key: the longest vendor retry schedule we know is about a day. */
export const DEDUPE_WINDOW_MS = 25 * 3600 * 1000;
/** How many trigger nodes one process keeps windows for; the least recently used is forgotten first. */
const MAX_SCOPES = 500;

/** Whether a key is in the workflow's static-data window. */
export function seenInStaticData(staticData: IDataObject, key: string): boolean {
	return Array.isArray(staticData.seenEventIds) && (staticData.seenEventIds as string[]).includes(key);
}

/**
 * Adds keys to the static-data window, keeping only the newest `capacity`. n8n 2.41.1 saves static data
 * written in `webhook()` only when the delivery starts no execution (and in test mode), so this window
 * is a second line behind the in-process guard, never the only one.
 */
export function rememberInStaticData(staticData: IDataObject, keys: string[], capacity = DEDUPE_CAPACITY): void {
	const seen = Array.isArray(staticData.seenEventIds) ? (staticData.seenEventIds as string[]) : [];
	const fresh = keys.filter((key) => !seen.includes(key));
	if (fresh.length === 0) return;
	staticData.seenEventIds = [...seen, ...fresh].slice(-capacity);
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
 */
export class DeliveryGuard {
	private readonly scopes = new Map<string, Map<string, number>>();

	constructor(
		private readonly limits: DeliveryGuardLimits,
		private readonly now: () => number = Date.now,
	) {}

	seen(scope: string, key: string): boolean {
		const expiresAt = this.scopes.get(scope)?.get(key);
		return expiresAt !== undefined && expiresAt > this.now();
	}

	remember(scope: string, keys: string[]): void {
		const window = this.scopes.get(scope) ?? new Map<string, number>();
		this.scopes.delete(scope);
		this.scopes.set(scope, window);
		const now = this.now();
		for (const [key, expiresAt] of window) {
			if (expiresAt <= now) window.delete(key);
		}
		for (const key of keys) {
			window.delete(key);
			window.set(key, now + this.limits.windowMs);
		}
		for (const key of window.keys()) {
			if (window.size <= this.limits.keysPerScope) break;
			window.delete(key);
		}
		for (const oldest of this.scopes.keys()) {
			if (this.scopes.size <= this.limits.scopes) break;
			this.scopes.delete(oldest);
		}
	}

	/** Forgets a scope, e.g. when its trigger is activated or deactivated again. */
	forget(scope: string): void {
		this.scopes.delete(scope);
	}
}

/** The guard every trigger node of this process shares. */
export const deliveryGuard = new DeliveryGuard({ keysPerScope: DEDUPE_CAPACITY, scopes: MAX_SCOPES, windowMs: DEDUPE_WINDOW_MS });
