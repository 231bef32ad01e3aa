import type { IDataObject } from 'n8n-workflow';

import type { ApiContext, ClientOptions, VendorDialect } from '../shared/transport/client';
import { ApiClient } from '../shared/transport/client';
import type { EmitItem, Take } from '../shared/transport/paginate';
import { paginateCursor, paginateOffset } from '../shared/transport/paginate';
import { readRateLimitHeaders } from '../shared/transport/pace';
import type { PaletteTag } from '../shared/tags';
import { UUID_PATTERN } from '../shared/parameters';

export const AWARDEE_PRODUCTION_HOST = 'api.awardee.dev';

/** Awardee ids are UUIDs; checked before any request. */
export const AWARDEE_UUID = UUID_PATTERN;

/** Both paging styles cap a page at 100 items. */
const MAX_PAGE_SIZE = 100;

const RATE_LIMIT_WINDOWS = [
	{ suffix: 'minute', name: 'per-minute' },
	{ suffix: 'hour', name: 'hourly' },
];

export const awardeeDialect: VendorDialect = {
	vendor: 'awardee',
	displayName: 'Awardee',
	credentialType: 'awardeeApi',
	credentialDisplayName: 'Awardee API',
	secretFields: ['apiKey'],
	idempotencyHeader: 'Idempotency-Key',
	// Every answer carries the organization's budget in both windows (60 a minute and 1,000 an hour by default).
	readRateLimit: (headers) => readRateLimitHeaders(headers, RATE_LIMIT_WINDOWS),
	readError(body, headers) {
		const error = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
		return {
			code: typeof error.error === 'string' ? error.error : undefined,
			message: typeof error.message === 'string' ? error.message : undefined,
			requestId:
				typeof error.request_id === 'string'
					? error.request_id
					: (headers['x-request-id'] as string | undefined),
			details: error.details,
		};
	},
};

export function awardeeClient(ctx: ApiContext, options?: ClientOptions): ApiClient {
	return new ApiClient(ctx, awardeeDialect, options);
}

/** Reads `{ object: "list", has_more, next_cursor, data }`. */
function readCursorList(body: IDataObject): { items: IDataObject[]; nextCursor: string | null; hasMore: boolean } {
	const items = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
	const hasMore = body.has_more === true;
	const nextCursor = hasMore && typeof body.next_cursor === 'string' && body.next_cursor !== '' ? body.next_cursor : null;
	return { items, nextCursor, hasMore };
}

/** Reads `{ object: "list", total, page, page_size, data }`. */
function readOffsetList(body: unknown): { items: IDataObject[]; total?: number } {
	const list = (body ?? {}) as IDataObject;
	return {
		items: Array.isArray(list.data) ? (list.data as IDataObject[]) : [],
		total: typeof list.total === 'number' ? list.total : undefined,
	};
}

/** A cursor list; `emit` turns each object into its output item as its page arrives. */
export async function listByCursor<U = IDataObject>(
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
		{ cursorParam: 'cursor', limitParam: 'limit', maxPageSize: MAX_PAGE_SIZE, readPage: readCursorList },
		emit,
	);
}

export async function listByOffset<U = IDataObject>(
	client: ApiClient,
	path: string,
	take: Take,
	qs: IDataObject = {},
	resource?: string,
	emit?: EmitItem<IDataObject, U>,
): Promise<U[]> {
	return await paginateOffset(
		client,
		{ method: 'GET', path, qs, resource },
		take,
		{ kind: 'page', positionParam: 'page', sizeParam: 'page_size', maxPageSize: MAX_PAGE_SIZE, readPage: readOffsetList },
		emit,
	);
}

/** One page of conversations, for list searches that page lazily. */
export async function conversationPage(
	client: ApiClient,
	cursor?: string,
): Promise<{ items: IDataObject[]; nextCursor: string | null }> {
	const qs: IDataObject = { limit: MAX_PAGE_SIZE };
	if (cursor) qs.cursor = cursor;
	const { body } = await client.request({ method: 'GET', path: '/conversations', qs });
	return readCursorList(body);
}

export async function fetchConversation(client: ApiClient, conversationId: string): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'GET',
		path: `/conversations/${conversationId}`,
		resource: `Conversation ${conversationId}`,
	});
	return body;
}

export async function patchConversation(
	client: ApiClient,
	conversationId: string,
	fields: IDataObject,
): Promise<IDataObject> {
	const { body } = await client.request({
		method: 'PATCH',
		path: `/conversations/${conversationId}`,
		body: fields,
		resource: `Conversation ${conversationId}`,
	});
	return body;
}

export function toPaletteTag(tag: IDataObject): PaletteTag {
	return { id: String(tag.id), name: String(tag.name ?? '') };
}

/** The conversation's tags, as the vendor stores them: every page, so that a tag change never drops one. */
export async function fetchConversationTags(client: ApiClient, conversationId: string): Promise<IDataObject[]> {
	return await listByOffset(
		client,
		`/conversations/${conversationId}/tags`,
		{ returnAll: true },
		{},
		`Conversation ${conversationId}`,
	);
}

/** Awardee only replaces the whole set: `PUT /conversations/{id}/tags` with every id that should remain. */
export async function replaceConversationTags(
	client: ApiClient,
	conversationId: string,
	tagIds: string[],
): Promise<IDataObject[]> {
	const { body } = await client.request({
		method: 'PUT',
		path: `/conversations/${conversationId}/tags`,
		qs: { page_size: MAX_PAGE_SIZE },
		body: { tag_ids: tagIds },
		resource: `Conversation ${conversationId}`,
	});
	// The answer is the first page of the new set; a longer set is read in full.
	const { items, total } = readOffsetList(body);
	return total !== undefined && total > items.length ? await fetchConversationTags(client, conversationId) : items;
}

export async function fetchPalette(client: ApiClient): Promise<IDataObject[]> {
	return await listByOffset(client, '/conversation-tags', { returnAll: true });
}

export async function fetchTeamMembers(client: ApiClient): Promise<IDataObject[]> {
	const { body } = await client.request({ method: 'GET', path: '/team/members' });
	return Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
}
