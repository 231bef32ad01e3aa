export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words; no credential or token is this short. */
const MIN_SECRET_LENGTH = 4;

/** How deep a value is searched for secrets; vendor error bodies and output items are far shallower. */
const MAX_DEPTH = 32;

/**
 * The secrets each node run knows: credential values, and tokens the package obtained while running
 * (an OAuth access token, say). Keyed by the run's n8n context, so every client of one run and the
 * per-item loop that emits its output share one set.
 */
const secretsOfRun = new WeakMap<object, Set<string>>();

export function rememberSecrets(run: object, values: unknown[]): void {
	let known = secretsOfRun.get(run);
	if (!known) {
		known = new Set();
		secretsOfRun.set(run, known);
	}
	for (const value of values) {
		if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) known.add(value);
	}
}

export function secretsOf(run: object): string[] {
	return [...(secretsOfRun.get(run) ?? [])];
}

/** The forms a secret takes when it travels in a URL, a form body or a JSON string. */
function formsOf(secret: string): string[] {
	return [
		...new Set([
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString().slice(2),
			JSON.stringify(secret).slice(1, -1),
		]),
	]
		.filter((form) => form.length >= MIN_SECRET_LENGTH)
		.sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret (and its encoded forms) in a text. */
export function redactText(text: string, secrets: Iterable<string>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length < MIN_SECRET_LENGTH) continue;
		for (const form of formsOf(secret)) {
			if (result.includes(form)) result = result.split(form).join(REDACTED);
		}
	}
	return result;
}

/** A copy of plain data (output items, vendor bodies) with every string, keys included, redacted. */
export function redactValue<T>(value: T, secrets: string[], depth = 0): T {
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets, depth + 1)) as T;
	if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		copy[redactText(key, secrets)] = redactValue(inner, secrets, depth + 1);
	}
	return copy as T;
}

/** Fields of an n8n error that are not text it carries: the node (its parameters) and bookkeeping. */
const SKIPPED_ERROR_FIELDS = new Set(['node', 'timestamp', 'lineNumber', 'level', 'functionality', 'tags']);

/**
 * Redacts an error in place, structurally: message, description, stack, messages, errorResponse,
 * context, cause (and its causes), every string field n8n may show, log or save.
 */
export function redactError<E>(error: E, secrets: string[], seen = new WeakSet<object>()): E {
	if (secrets.length === 0 || typeof error !== 'object' || error === null || seen.has(error)) return error;
	seen.add(error);
	const target = error as Record<string, unknown>;
	for (const field of Object.getOwnPropertyNames(target)) {
		if (SKIPPED_ERROR_FIELDS.has(field)) continue;
		const descriptor = Object.getOwnPropertyDescriptor(target, field);
		if (!descriptor || !('value' in descriptor) || !descriptor.writable) continue;
		const value: unknown = descriptor.value;
		if (value instanceof Error) redactError(value, secrets, seen);
		else if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
			target[field] = redactValue(value, secrets);
		}
	}
	return error;
}
