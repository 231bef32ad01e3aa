import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { idToString, isPlainObject } from '../shared/normalize';
import type { ApiContext, ClientOptions, VendorDialect } from '../shared/transport/client';
import { ApiClient } from '../shared/transport/client';
import type { EmitItem, Take } from '../shared/transport/paginate';
import { paginateCursor } from '../shared/transport/paginate';

export const ONCEHUB_PRODUCTION_HOST = 'api.oncehub.com';

/** OnceHub's documented budget: 5 requests per second per account. */
const REQUESTS_PER_SECOND = 5;

/** Every list takes `limit` from 1 to 100. */
const MAX_PAGE_SIZE = 100;

/** The objects whose ids users enter, and the prefix OnceHub gives their ids. */
export type OnceHubObject = 'booking' | 'contact' | 'user';

export const ID_PREFIX: Record<OnceHubObject, string> = { booking: 'BKNG', contact: 'CTC', user: 'USR' };

export const ID_EXAMPLE: Record<OnceHubObject, string> = {
	booking: 'BKNG-3KM0HY2BF9SL',
	contact: 'CTC-8HT3QW5ZLM',
	user: 'USR-GNSBE50D6A',
};

/** An uppercase prefix, a dash, then uppercase letters and digits; lengths vary, so they are not checked. */
export function idSource(kind: OnceHubObject): string {
	return `${ID_PREFIX[kind]}-[A-Z0-9]+`;
}

export function isOnceHubId(kind: OnceHubObject, value: string): boolean {
	return new RegExp(`^${idSource(kind)}$`).test(value);
}

function headerValue(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first : undefined;
}

export const onceHubDialect: VendorDialect = {
	vendor: 'oncehub',
	displayName: 'OnceHub',
	credentialType: 'onceHubApi',
	credentialDisplayName: 'OnceHub API',
	secretFields: ['apiKey'],
	maxRequestsPerSecond: REQUESTS_PER_SECOND,
	// "5 requests per second per account": counted here as the simulator and a strict reading count it, over
	// any second (a rolling window), which also holds where OnceHub counts clock seconds.
	rollingSecond: true,
	/** `{ type, message, param? }`, with the request id in the `Request-Id` header. */
	readError(body, headers) {
		const error = isPlainObject(body) ? body : {};
		const message = typeof error.message === 'string' ? error.message : undefined;
		const param = typeof error.param === 'string' ? error.param : undefined;
		return {
			code: typeof error.type === 'string' ? error.type : undefined,
			message: message && param ? `${message} (parameter "${param}")` : message,
			requestId: headerValue(headers, 'request-id'),
			details: param ? { param } : undefined,
		};
	},
};

export function onceHubClient(ctx: ApiContext, options?: ClientOptions): ApiClient {
	return new ApiClient(ctx, onceHubDialect, options);
}

/**
 * Reads `{ object: "list", data, has_more }`: the next page starts after the last id of this one. An
 * empty page that says there is more has no last id, so the next page starts where this one did.
 */
function readList(
	body: IDataObject,
	after: string | null,
): { items: IDataObject[]; nextCursor: string | null; hasMore: boolean } {
	const items = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
	const hasMore = body.has_more === true;
	const last = items[items.length - 1];
	const lastId = isPlainObject(last) ? idToString(last.id) : null;
	return { items, nextCursor: hasMore ? (items.length > 0 ? lastId : after) : null, hasMore };
}

/**
 * A list, newest first, paged with `limit` and `after` (OnceHub's `Link` header is not followed); `emit` turns
 * each object into its output item as its page arrives.
 */
export async function listAll<U = IDataObject>(
	client: ApiClient,
	path: string,
	take: Take,
	qs: IDataObject = {},
	emit?: EmitItem<IDataObject, U>,
): Promise<U[]> {
	return await paginateCursor(
		client,
		{ method: 'GET', path, qs },
		take,
		{ cursorParam: 'after', limitParam: 'limit', maxPageSize: MAX_PAGE_SIZE, readPage: readList },
		emit,
	);
}

/** One page of a list, for pickers that page lazily. */
export async function listPage(
	client: ApiClient,
	path: string,
	after?: string,
	qs: IDataObject = {},
): Promise<{ items: IDataObject[]; nextCursor: string | null }> {
	const query: IDataObject = { ...qs, limit: MAX_PAGE_SIZE };
	if (after) query.after = after;
	const { body } = await client.request({ method: 'GET', path, qs: query });
	// A picker stops at an empty page rather than hand the editor the same page token again.
	return readList(body, null);
}

export async function fetchBooking(client: ApiClient, bookingId: string, expand?: string): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'GET',
		path: `/bookings/${bookingId}`,
		qs: expand ? { expand } : undefined,
		resource: `Booking ${bookingId}`,
	});
	return body;
}

export async function fetchContact(client: ApiClient, contactId: string): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'GET',
		path: `/contacts/${contactId}`,
		resource: `Contact ${contactId}`,
	});
	return body;
}

export async function patchContact(client: ApiClient, contactId: string, fields: IDataObject): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'PATCH',
		path: `/contacts/${contactId}`,
		body: fields,
		resource: `Contact ${contactId}`,
	});
	return body;
}

export async function fetchUser(client: ApiClient, userId: string): Promise<IDataObject> {
	const { body } = await client.request({ method: 'GET', path: `/users/${userId}`, resource: `User ${userId}` });
	return body;
}

/** OnceHub's 400 for a field it cannot expand: `param` is `expand`. */
export function isExpandRefusal(error: unknown): boolean {
	if (!(error instanceof NodeApiError) || error.httpCode !== '400') return false;
	const details = error.errorResponse?.details;
	return isPlainObject(details) && details.param === 'expand';
}
