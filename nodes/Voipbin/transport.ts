import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../shared/normalize';
import type { ApiContext, ClientOptions, VendorDialect } from '../shared/transport/client';
import { ApiClient } from '../shared/transport/client';
import type { EmitItem, Take } from '../shared/transport/paginate';
import { paginateToken } from '../shared/transport/paginate';
import { UUID_PATTERN } from '../shared/parameters';

export const VOIPBIN_PRODUCTION_HOST = 'api.voipbin.net';

/** VoIPbin ids are UUIDs; checked before any request. */
export const VOIPBIN_UUID = UUID_PATTERN;

/** VoIPbin's "nobody": an unassigned conversation's `owner_id`. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * VoIPbin allows about 16.7 requests per second per customer with a burst of 33 (a token bucket), shared by
 * every key and agent of the account, and sends no rate-limit headers: the pace keeps a bucket of that rate a
 * few tokens below the burst (Max Requests Per Second instead spaces every request at a rate of the user's).
 */
const REQUESTS_PER_SECOND = 16.7;
const BURST = 33;

/** The server turns a missing page size, 0 or anything above 100 into 100. */
const MAX_PAGE_SIZE = 100;

function headerValue(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first : undefined;
}

export const voipbinDialect: VendorDialect = {
	vendor: 'voipbin',
	displayName: 'VoIPbin',
	credentialType: 'voipbinApi',
	credentialDisplayName: 'VoIPbin API',
	secretFields: ['accessKey'],
	maxRequestsPerSecond: REQUESTS_PER_SECOND,
	burst: BURST,
	// The server hands out a token whenever a page has items, so the first empty page is the end, token or not.
	// A short page is not taken as the end: the server, not the client, decides the page size.
	emptyPageEndsListing: true,
	/** `{ error: { status, reason, message, request_id, details? } }`; the request id also in `X-Request-Id`. */
	readError(body, headers) {
		const error = isPlainObject(body) && isPlainObject(body.error) ? body.error : {};
		return {
			code: typeof error.reason === 'string' ? error.reason : undefined,
			message: typeof error.message === 'string' ? error.message : undefined,
			requestId: typeof error.request_id === 'string' ? error.request_id : headerValue(headers, 'x-request-id'),
			details: error.details,
		};
	},
};

export function voipbinClient(ctx: ApiContext, options?: ClientOptions): ApiClient {
	return new ApiClient(ctx, voipbinDialect, options);
}

/**
 * `{ result: [...], next_page_token }`. VoIPbin documents `result` as always an array: anything else is a garbled
 * answer, a clear failure rather than an empty page (which would end the listing and drop what follows).
 */
function readPage(client: ApiClient, body: IDataObject): { items: IDataObject[]; nextToken: string | null } {
	if (!Array.isArray(body.result)) {
		throw client.failure(
			'VoIPbin answered a page whose result is not a list',
			'Paging stopped rather than end the list incomplete without a word. Try again later; if it persists, VoIPbin’s answer is at fault.',
		);
	}
	const items = body.result as IDataObject[];
	const token = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : null;
	return { items, nextToken: token };
}

/**
 * A list, newest first, paged with `page_size` and `page_token` until the first empty page; `emit` turns each
 * object into its output item as its page arrives.
 */
export async function listAll<U = IDataObject>(
	client: ApiClient,
	path: string,
	take: Take,
	qs: IDataObject = {},
	resource?: string,
	emit?: EmitItem<IDataObject, U>,
): Promise<U[]> {
	return await paginateToken(
		client,
		{ method: 'GET', path, qs, resource },
		take,
		{ tokenParam: 'page_token', sizeParam: 'page_size', maxPageSize: MAX_PAGE_SIZE, readPage: (body) => readPage(client, body) },
		emit,
	);
}

/** One page of a list, for pickers that page lazily; `nextToken` is null after the last page. */
export async function listPage(
	client: ApiClient,
	path: string,
	pageToken?: string,
): Promise<{ items: IDataObject[]; nextToken: string | null }> {
	const qs: IDataObject = { page_size: MAX_PAGE_SIZE };
	if (pageToken) qs.page_token = pageToken;
	const { body } = await client.request({ method: 'GET', path, qs });
	const page = readPage(client, body);
	// As in `emptyPageEndsListing`: an empty page is the last, whatever token it carries.
	return { items: page.items, nextToken: page.items.length === 0 ? null : page.nextToken };
}

function conversationPath(conversationId: string, rest = ''): { path: string; resource: string } {
	return { path: `/conversations/${conversationId}${rest}`, resource: `Conversation ${conversationId}` };
}

export async function fetchConversation(client: ApiClient, conversationId: string): Promise<IDataObject> {
	const { body } = await client.request({ method: 'GET', ...conversationPath(conversationId) });
	return body;
}

/** `PUT /conversations/{id}`: members left out are not changed. */
export async function updateConversation(
	client: ApiClient,
	conversationId: string,
	fields: { name?: string; detail?: string; owner_id?: string },
): Promise<IDataObject> {
	const { body } = await client.request({ method: 'PUT', ...conversationPath(conversationId), body: fields });
	return body;
}

export async function unassignConversation(client: ApiClient, conversationId: string): Promise<IDataObject> {
	const { body } = await client.request({ method: 'POST', ...conversationPath(conversationId, '/unassign') });
	return body;
}

/**
 * `POST /conversations/{id}/messages`. The spec requires `medias` although the server ignores it, so it is
 * always sent empty. VoIPbin has no idempotency key: the shared transport never sends this twice.
 */
export async function sendMessage(client: ApiClient, conversationId: string, text: string): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'POST',
		...conversationPath(conversationId, '/messages'),
		body: { text, medias: [] },
	});
	return body;
}
