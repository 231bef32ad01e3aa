import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue, invalidInput } from './execute';
import type { OutputMode } from './output';
import type { ClientOptions } from './transport/client';
import type { Take } from './transport/paginate';
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS } from './transport/retry';

/**
 * The Output option. `normalizedShape` says what Normalized means for objects without a package-wide
 * schema (a vendor's contacts or bookings); conversations, messages and notes use the common shapes.
 */
export function outputProperty(objectName: string, normalizedShape?: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'normalized',
		options: [
			{
				name: 'Normalized',
				value: 'normalized',
				description: normalizedShape ?? `The same ${objectName} shape for every vendor of this package`,
			},
			{
				name: 'Raw',
				value: 'raw',
				description: `The vendor's ${objectName} JSON exactly as received`,
			},
			{
				name: 'Simplified',
				value: 'simplified',
				description: `At most ten flat fields of the normalized ${objectName}`,
			},
		],
	};
}

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** The defaults shown here are DEFAULT_RETRY_POLICY and DEFAULT_TIMEOUT_MS in seconds (n8n's lint wants literals). */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Request Time (Seconds)',
			name: 'maxRequestSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 90,
			description:
				'The longest one request may take, every attempt and every wait between them included; then it fails, saying which limit was hit',
		},
		{
			displayName: 'Max Requests Per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'The most requests per second sent with this credential, by every item and every execution of this n8n at once, each request spaced from the one before. 0 keeps to the vendor’s own limit: its rate-limit headers where it sends them, else its published rate and burst.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description:
				'How often a request refused with 429, 502, 503 or 504, or cut off by the network, is sent again. Writes without an idempotency key are never repeated.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'The longest total time one request may spend waiting between retries',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long to wait for each answer before giving up on it',
		},
	],
};

export function readOutputMode(ctx: IExecuteFunctions, itemIndex: number): OutputMode {
	const mode = ctx.getNodeParameter('output', itemIndex, 'normalized');
	if (mode === 'normalized' || mode === 'simplified' || mode === 'raw') return mode;
	throw invalidInput(ctx, itemIndex, `Output ${describeValue(mode)} is not an output mode`, 'Choose Normalized, Simplified or Raw.');
}

/** The largest limit taken as given; beyond it a number is a mistake rather than a wish. */
const MAX_LIMIT = 1_000_000;

/**
 * `limit` as a whole number of at least 1, given as a number or as digits; anything else is refused.
 * Above the vendor's page size it means that many in total: the paginators page until they have them.
 */
export function checkLimit(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= MAX_LIMIT
		? number
		: undefined;
}

export function readTake(ctx: IExecuteFunctions, itemIndex: number): Take {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false);
	if (typeof returnAll !== 'boolean') {
		throw invalidInput(ctx, itemIndex, `Return All must be true or false, not ${describeValue(returnAll)}`, 'Turn Return All on or off, or map a boolean.');
	}
	if (returnAll) return { returnAll };
	const given = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = checkLimit(given);
	if (limit === undefined) {
		throw invalidInput(
			ctx,
			itemIndex,
			`Limit must be a whole number from 1 to ${MAX_LIMIT.toLocaleString('en-US')}, not ${describeValue(given)}`,
			'Set Limit to how many results to return, e.g. 50, or turn on Return All.',
		);
	}
	return { returnAll, limit };
}

export function readClientOptions(ctx: IExecuteFunctions, itemIndex: number): ClientOptions {
	const options = readParameter(ctx, itemIndex, [requestOptionsProperty], 'requestOptions') as IDataObject;
	const number = (name: string, fallback: number) => (options[name] as number | undefined) ?? fallback;
	return {
		itemIndex,
		retry: {
			maxRetries: number('maxRetries', DEFAULT_RETRY_POLICY.maxRetries),
			maxTotalWaitMs: number('maxRetryWaitSeconds', DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000) * 1000,
			maxRequestMs: number('maxRequestSeconds', DEFAULT_RETRY_POLICY.maxRequestMs / 1000) * 1000,
		},
		timeoutMs: number('timeoutSeconds', DEFAULT_TIMEOUT_MS / 1000) * 1000,
		maxRequestsPerSecond: number('maxRequestsPerSecond', 0),
	};
}

/**
 * Reads an id parameter (a resource locator or a plain string) as a trimmed string, refusing before any
 * request what cannot be one id: a list (even of one), an object, a boolean, and a number unless the
 * vendor's ids are integers (then whole numbers and digit strings). The vendor checks the id's form.
 */
export function readIdParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	idKind: 'text' | 'integer' = 'text',
): string {
	const value: unknown = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true });
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') {
		const id = value.trim();
		if (idKind === 'integer' && id !== '' && !/^[1-9]\d{0,15}$/.test(id)) {
			throw invalidInput(ctx, itemIndex, `${label} ${describeValue(id)} is not a whole number`, 'Enter the ID as digits, e.g. 4711.');
		}
		return id;
	}
	if (idKind === 'integer' && typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
		return String(value);
	}
	throw invalidInput(
		ctx,
		itemIndex,
		`${label} must be ${idKind === 'integer' ? 'a whole number or text' : 'text'}, not ${describeValue(value)}`,
		Array.isArray(value)
			? 'Give one ID per item; to act on several, split the list into items first (Split Out node).'
			: 'Map a single ID, e.g. {{ $json.id }}.',
	);
}

/** The value types each kind of n8n parameter may hold; what is read from an expression is held to them. */
function checkValue(property: INodeProperties, value: unknown): { ok: true; value: unknown } | { ok: false; expected: string } {
	const refuse = (expected: string) => ({ ok: false as const, expected });
	switch (property.type) {
		case 'string':
		case 'dateTime':
		case 'color':
			if (typeof value === 'string') return { ok: true, value };
			if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
			return refuse('text');
		case 'number': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isFinite(number)) return refuse('a number');
			const { minValue, maxValue } = property.typeOptions ?? {};
			if (typeof minValue === 'number' && number < minValue) return refuse(`a number of at least ${minValue}`);
			if (typeof maxValue === 'number' && number > maxValue) return refuse(`a number of at most ${maxValue}`);
			return { ok: true, value: number };
		}
		case 'boolean':
			if (typeof value === 'boolean') return { ok: true, value };
			if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
			return refuse('true or false');
		case 'options': {
			const allowed = staticOptionValues(property);
			if (allowed && !allowed.includes(value as string)) return refuse(`one of ${listOptionValues(allowed)}`);
			return typeof value === 'string' || typeof value === 'number' ? { ok: true, value } : refuse('one of the options');
		}
		case 'multiOptions': {
			const list = typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : value;
			if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' && typeof entry !== 'number')) {
				return refuse('a list of option values');
			}
			const allowed = staticOptionValues(property);
			const unknown = allowed ? list.find((entry) => !allowed.includes(entry as string)) : undefined;
			if (unknown !== undefined) return refuse(`values from ${listOptionValues(allowed!)}`);
			return { ok: true, value: list };
		}
		case 'collection':
		case 'fixedCollection':
			return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value } : refuse('a set of fields');
		default:
			return { ok: true, value };
	}
}

function staticOptionValues(property: INodeProperties): Array<string | number | boolean> | undefined {
	if (property.typeOptions?.loadOptionsMethod || !property.options) return undefined;
	return (property.options as Array<{ value?: string | number | boolean }>).map((option) => option.value as string);
}

function listOptionValues(values: Array<string | number | boolean>): string {
	return values.map((value) => (value === '' ? '"" (clear)' : `"${String(value)}"`)).join(', ');
}

/**
 * Reads one parameter of an operation and checks it against its declared type, and a collection's
 * members against theirs, so that a value mapped by an expression is never sent as it happens to be.
 */
export function readParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	properties: INodeProperties[],
	name: string,
): unknown {
	const property = properties.find((candidate) => candidate.name === name);
	if (!property) throw new Error(`The operation declares no parameter "${name}"`);
	const value: unknown = ctx.getNodeParameter(name, itemIndex, property.default);
	const checked = checkProperty(ctx, itemIndex, property, value, property.displayName);
	if (property.type !== 'collection' || !checked || typeof checked !== 'object') return checked;
	const fields: IDataObject = {};
	for (const [key, member] of Object.entries(checked as IDataObject)) {
		const option = (property.options as INodeProperties[] | undefined)?.find((candidate) => candidate.name === key);
		fields[key] = option
			? (checkProperty(ctx, itemIndex, option, member, `${property.displayName} → ${option.displayName}`) as IDataObject[string])
			: member;
	}
	return fields;
}

function checkProperty(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: INodeProperties,
	value: unknown,
	label: string,
): unknown {
	if (value === undefined || value === null) return value;
	const checked = checkValue(property, value);
	if (checked.ok) return checked.value;
	throw invalidInput(
		ctx,
		itemIndex,
		`${label} must be ${checked.expected}, not ${describeValue(value)}`,
		`Correct ${label}, or the expression that maps it.`,
	);
}

/** A resource locator for a vendor id: `From list` first, then `By ID` (and `By URL` where the vendor has web URLs). */
export function idLocatorProperty(spec: {
	displayName: string;
	name: string;
	searchListMethod: string;
	idPattern: { regex: string; errorMessage: string; placeholder: string };
	urlPattern?: { regex: string; extract: string; placeholder: string };
	required?: boolean;
	description?: string;
}): INodeProperties {
	// The modes sit directly in a `modes` array, as n8n's own nodes write them: n8n's lint rule for parameter
	// defaults knows a mode there by its place, and modes carry no default of their own.
	const locator = {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: spec.required ?? true,
		description: spec.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.idPattern.placeholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: spec.idPattern.regex, errorMessage: spec.idPattern.errorMessage },
					},
				],
			},
		],
	} satisfies INodeProperties;
	if (!spec.urlPattern) return locator;
	return {
		...locator,
		modes: [
			...locator.modes,
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: spec.urlPattern.placeholder,
				extractValue: { type: 'regex', regex: spec.urlPattern.extract },
				validation: [
					{
						type: 'regex',
						properties: { regex: spec.urlPattern.regex, errorMessage: `Not a ${spec.displayName} URL` },
					},
				],
			},
		],
	};
}

/** A UUID in either case, the id form of vendors that use UUIDs. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SOURCE = UUID_PATTERN.source.replace(/^\^|\$$/g, '');

/**
 * A resource locator for a UUID id (From list, then By ID); an optional one also accepts an empty ID, which the
 * editor then does not flag.
 */
export function uuidLocatorProperty(spec: {
	displayName: string;
	name: string;
	searchListMethod: string;
	/** What the id names, for the editor's message: "Not a valid <what> ID (a UUID)". */
	what: string;
	example: string;
	optional?: boolean;
}): INodeProperties {
	return idLocatorProperty({
		displayName: spec.displayName,
		name: spec.name,
		searchListMethod: spec.searchListMethod,
		required: !spec.optional,
		idPattern: {
			regex: spec.optional ? `^(${UUID_SOURCE})?$` : `^${UUID_SOURCE}$`,
			errorMessage: `Not a valid ${spec.what} ID (a UUID)`,
			placeholder: `e.g. ${spec.example}`,
		},
	});
}

/** Tag names or ids from a multi-select or an expression (array or comma-separated string). */
export function readTagInput(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

/** The tags parameter, refusing what no tag can be: objects, booleans, lists of lists. */
export function readTags(ctx: IExecuteFunctions, itemIndex: number, name = 'tags'): string[] {
	const value: unknown = ctx.getNodeParameter(name, itemIndex, []);
	if (value === null || value === undefined) return [];
	const list = Array.isArray(value) ? value : [value];
	const bad = list.find((entry) => typeof entry !== 'string' && !(typeof entry === 'number' && Number.isFinite(entry)));
	if (bad !== undefined || (!Array.isArray(value) && typeof value !== 'string')) {
		throw invalidInput(
			ctx,
			itemIndex,
			`Tags must be tag names or IDs, as a list or comma-separated text, not ${describeValue(bad ?? value)}`,
			'Choose tags from the list, or map names or IDs, e.g. {{ ["vip", "billing"] }} or "vip, billing".',
		);
	}
	return readTagInput(value);
}
