import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue, invalidInput, quoteInMessage } from '../../shared/execute';
import { toUtcIso } from '../../shared/normalize';
import { idLocatorProperty, outputProperty, readClientOptions, readIdParameter } from '../../shared/parameters';
import type { ApiClient } from '../../shared/transport/client';
import type { OnceHubObject } from '../transport';
import { ID_EXAMPLE, idSource, isOnceHubId, onceHubClient } from '../transport';

const LABEL: Record<OnceHubObject, string> = { booking: 'Booking', contact: 'Contact', user: 'User' };

const SEARCH_METHOD: Record<OnceHubObject, string> = {
	booking: 'searchBookings',
	contact: 'searchContacts',
	user: 'searchUsers',
};

/** A resource locator for a OnceHub id; bookings also take their web link (`https://oncehub.com/m/BKNG-…`). */
export function idLocator(kind: OnceHubObject, name: string, description?: string): INodeProperties {
	const source = idSource(kind);
	return idLocatorProperty({
		displayName: LABEL[kind],
		name,
		searchListMethod: SEARCH_METHOD[kind],
		description,
		idPattern: {
			regex: `^${source}$`,
			errorMessage: `Not a OnceHub ${kind} ID (${ID_EXAMPLE[kind].split('-')[0]}-…)`,
			placeholder: `e.g. ${ID_EXAMPLE[kind]}`,
		},
		urlPattern:
			kind === 'booking'
				? {
						regex: `^https?://.*/${source}`,
						extract: `(${source})`,
						placeholder: `e.g. https://oncehub.com/m/${ID_EXAMPLE.booking}`,
					}
				: undefined,
	});
}

/** Checks an id's prefix and form before any request, naming the item and an example of a good id. */
export function checkId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: OnceHubObject,
	value: string,
	label = `${LABEL[kind]} ID`,
): string {
	if (!isOnceHubId(kind, value)) {
		throw invalidInput(
			ctx,
			itemIndex,
			value === '' ? `${label} is empty` : `${label} ${quoteInMessage(value)} is not a OnceHub ${kind} ID`,
			`Pick the ${kind} from the list, or enter its ID, e.g. ${ID_EXAMPLE[kind]}.`,
		);
	}
	return value;
}

/** Reads a resource locator (or a plain string) holding a OnceHub id. */
export function readId(ctx: IExecuteFunctions, itemIndex: number, name: string, kind: OnceHubObject): string {
	return checkId(ctx, itemIndex, kind, readIdParameter(ctx, itemIndex, name, `${LABEL[kind]} ID`));
}

export function clientFor(ctx: IExecuteFunctions, itemIndex: number): ApiClient {
	return onceHubClient(ctx, readClientOptions(ctx, itemIndex));
}

/** Output for OnceHub's own objects (contacts, bookings, users), which have no package-wide schema. */
export function recordOutputProperty(objectName: OnceHubObject): INodeProperties {
	return outputProperty(
		objectName,
		`The ${objectName} with camelCase fields, UTC times and the related conversation normalized`,
	);
}

/** A time filter in the form OnceHub's examples use (`2023-01-01T00:00:00Z`). */
export function timeFilter(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): string {
	const time = toUtcIso(value);
	if (time === null) {
		throw invalidInput(ctx, itemIndex, `${label} ${describeValue(value)} is not a date`, 'Pick a date and time, or give an ISO 8601 time such as 2026-01-31T00:00:00Z.');
	}
	return time.replace(/\.\d{3}Z$/, 'Z');
}

/** Date filters: the parameter names spell OnceHub's query names (`creation_time.gt`) with `_` for the dot. */
export function timeFilterOptions(
	fields: Array<{ field: string; label: string; noun: string }>,
): INodeProperties[] {
	return fields.flatMap(({ field, label, noun }): INodeProperties[] => [
		{
			displayName: `${label} After`,
			name: `${field}_gt`,
			type: 'dateTime',
			default: '',
			description: `Only ${noun} with ${field} after this time (sent as ${field}.gt)`,
		},
		{
			displayName: `${label} Before`,
			name: `${field}_lt`,
			type: 'dateTime',
			default: '',
			description: `Only ${noun} with ${field} before this time (sent as ${field}.lt)`,
		},
	]);
}

/** Turns the `<field>_gt`/`<field>_lt` filters that are set into OnceHub's dotted query parameters. */
export function timeFilterQuery(
	ctx: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
	fields: string[],
): IDataObject {
	const qs: IDataObject = {};
	for (const field of fields) {
		for (const bound of ['gt', 'lt']) {
			const value = filters[`${field}_${bound}`];
			if (value !== undefined && value !== '') qs[`${field}.${bound}`] = timeFilter(ctx, itemIndex, `${field}.${bound}`, value);
		}
	}
	return qs;
}
