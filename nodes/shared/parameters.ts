import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OutputMode } from './output';
import type { ClientOptions } from './transport/client';
import type { Take } from './transport/paginate';
import { DEFAULT_RETRY_POLICY } from './transport/retry';

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

export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description:
				'How often a request refused with 429, 502, 503 or 504 is sent again. Writes without an idempotency key are never repeated.',
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
	return ctx.getNodeParameter('output', itemIndex, 'normalized') as OutputMode;
}

export function readTake(ctx: IExecuteFunctions, itemIndex: number): Take {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll
		? { returnAll }
		: { returnAll, limit: ctx.getNodeParameter('limit', itemIndex, 50) as number };
}

export function readClientOptions(ctx: IExecuteFunctions, itemIndex: number): ClientOptions {
	const options = ctx.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
	return {
		itemIndex,
		retry: {
			maxRetries: (options.maxRetries as number | undefined) ?? DEFAULT_RETRY_POLICY.maxRetries,
			maxTotalWaitMs:
				((options.maxRetryWaitSeconds as number | undefined) ?? DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000) * 1000,
		},
		timeoutMs: ((options.timeoutSeconds as number | undefined) ?? 30) * 1000,
	};
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

/** Tag names or ids from a multi-select or an expression (array or comma-separated string). */
export function readTagInput(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}
