export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words; no credential or token is this short. */
const MIN_SECRET_LENGTH = 4;

/** How deep a value is searched for secrets; vendor error bodies and output items are far shallower. */
const MAX_DEPTH = 32;

/**
 * The secrets each node run knows: credential values, and tokens the package obtained while running
 * (an OAuth access token, say). Keyed by the run's n8n context, so every client of one run and the
 * per-item loop that emits its output share one set. `list` is the set as a frozen array, made again only
 * when the set grows, so that the forms of its secrets are worked out once per run, not once per string.
 */
const secretsOfRun = new WeakMap<object, { known: Set<string>; list?: readonly string[] }>();

export function rememberSecrets(run: object, values: unknown[]): void {
	let entry = secretsOfRun.get(run);
	if (!entry) {
		entry = { known: new Set() };
		secretsOfRun.set(run, entry);
	}
	for (const value of values) {
		if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && !entry.known.has(value)) {
			entry.known.add(value);
			entry.list = undefined;
		}
	}
}

const NO_SECRETS: readonly string[] = Object.freeze([]);

export function secretsOf(run: object): string[] {
	const entry = secretsOfRun.get(run);
	if (!entry) return NO_SECRETS as string[];
	entry.list ??= Object.freeze([...entry.known]);
	return entry.list as string[];
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

interface SecretForms {
	/** The forms of each secret, in the order of the secrets. */
	each: string[][];
	all: string[];
	/** The shortest form's length: a shorter string holds none of them. */
	shortest: number;
}

/** A run's own (frozen) list has its forms worked out once. */
const formsOfList = new WeakMap<Iterable<string>, SecretForms>();

function formsOfSecrets(secrets: Iterable<string>): SecretForms {
	const cached = formsOfList.get(secrets);
	if (cached) return cached;
	const each: string[][] = [];
	for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) each.push(formsOf(secret));
	const all = each.flat();
	const forms = { each, all, shortest: all.reduce((least, form) => Math.min(least, form.length), Infinity) };
	if (Object.isFrozen(secrets)) formsOfList.set(secrets, forms);
	return forms;
}

/** Replaces every occurrence of each secret (and its encoded forms) in a text. */
export function redactText(text: string, secrets: Iterable<string>): string {
	let result = text;
	for (const forms of formsOfSecrets(secrets).each) {
		for (const form of forms) {
			if (result.includes(form)) result = result.split(form).join(REDACTED);
		}
	}
	return result;
}

function isPlainData(value: object): boolean {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * Whether any string that `redactValue` would redact (keys included, as deep as it looks) holds one of the
 * forms. Output items almost never do, so they are checked in place and copied only when one does.
 */
function mentions(value: unknown, forms: SecretForms, depth: number): boolean {
	if (typeof value === 'string') return textMentions(value, forms);
	if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
	if (Array.isArray(value)) {
		for (const entry of value) if (mentions(entry, forms, depth + 1)) return true;
		return false;
	}
	if (!isPlainData(value)) return false;
	// `for…in` over own keys (plain data has no enumerable inherited ones): no array of keys per object, as
	// `Object.keys` makes for every item of a long listing.
	for (const key in value) {
		if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
		if (textMentions(key, forms) || mentions((value as Record<string, unknown>)[key], forms, depth + 1)) return true;
	}
	return false;
}

/** Most strings of an item (ids, times, names, keys) are shorter than any secret: no search at all. */
function textMentions(text: string, forms: SecretForms): boolean {
	if (text.length < forms.shortest) return false;
	for (const form of forms.all) if (text.includes(form)) return true;
	return false;
}

function redactedCopy<T>(value: T, secrets: string[], depth: number): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
	if (Array.isArray(value)) return value.map((entry) => redactedCopy(entry, secrets, depth + 1)) as T;
	if (!isPlainData(value)) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		copy[redactText(key, secrets)] = redactedCopy(inner, secrets, depth + 1);
	}
	return copy as T;
}

/**
 * Plain data (output items, vendor bodies) with every string, keys included, redacted: a copy when a secret
 * is in it, the value itself when none is.
 */
export function redactValue<T>(value: T, secrets: string[], depth = 0): T {
	if (secrets.length === 0) return value;
	const forms = formsOfSecrets(secrets);
	if (forms.all.length === 0 || !mentions(value, forms, depth)) return value;
	return redactedCopy(value, secrets, depth);
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
