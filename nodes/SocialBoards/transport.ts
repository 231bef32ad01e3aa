import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { isPlainObject } from '../shared/normalize';
import type { ApiContext, ApiRequest, ClientOptions, VendorDialect } from '../shared/transport/client';
import { ApiClient } from '../shared/transport/client';
import { excerpt } from '../shared/transport/errors';
import type { Take } from '../shared/transport/paginate';
import { paginateOffset } from '../shared/transport/paginate';

/**
 * SocialBoards' HTTP dialect: the External Chat API and the Ticket API under one root (A1), every answer in the
 * `{data, errorCode, errorText}` envelope (A3). Each working assumption of shared/vendors/socialboards.md that
 * the node relies on is written once, here or where its comment names it.
 */

/** A12: the page sizes the docs give as maximums; a larger `take` may be capped silently, so it is never sent. */
export const TICKET_PAGE_SIZE = 50;
export const MESSAGE_PAGE_SIZE = 100;

/** A19: the ticket orders (`last_thread_activity_desc` is the one the docs show); the first is sent by default. */
export const TICKET_ORDERS = [
	'last_thread_activity_desc',
	'last_thread_activity_asc',
	'creation_time_desc',
	'creation_time_asc',
] as const;

/** A9: the ticket statuses the docs show. */
export const TICKET_STATUSES = ['open', 'pending', 'completed', 'closed'] as const;

/** A3: the `errorCode` of a success; any other value is a failure, also inside a 2xx. */
const SUCCESS_CODE = -1;

function bearerToken(options: IHttpRequestOptions): string[] {
	const header = options.headers?.Authorization;
	const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
	return match ? [match[1]] : [];
}

export const socialBoardsDialect: VendorDialect = {
	vendor: 'socialboards',
	displayName: 'SocialBoards',
	credentialType: 'socialBoardsApi',
	credentialDisplayName: 'SocialBoards API',
	secretFields: ['refreshToken', 'accessToken'],
	// A2: an access token lasts about an hour; a 401 lets n8n exchange the refresh token once and retry once.
	refreshesTokenOn401: true,
	secretsOfRequest: bearerToken,
	/** A3: `{data: null, errorCode, errorText}`. A18 needs nothing here: the shared retry honours 429 and Retry-After. */
	readError(body) {
		const envelope = isPlainObject(body) ? body : {};
		const code = envelope.errorCode;
		return {
			code: typeof code === 'number' || typeof code === 'string' ? String(code) : undefined,
			message: typeof envelope.errorText === 'string' ? envelope.errorText : undefined,
		};
	},
};

export function socialBoardsClient(ctx: ApiContext, options?: ClientOptions): ApiClient {
	return new ApiClient(ctx, socialBoardsDialect, options);
}

/** A3: the envelope's `data`; a failure when `errorCode` is not -1 although the status was 2xx, or when there is no envelope. */
function unwrap(client: ApiClient, body: unknown, where: string, statusCode?: number): unknown {
	const status = statusCode === undefined ? '' : ` HTTP ${statusCode}`;
	if (!isPlainObject(body) || !('errorCode' in body)) {
		throw client.failure(
			'SocialBoards answered without its {data, errorCode, errorText} envelope',
			`${where} returned${status}: ${excerpt(JSON.stringify(body ?? null), 200)}`,
		);
	}
	if (body.errorCode !== SUCCESS_CODE) {
		const said = typeof body.errorText === 'string' && body.errorText.trim() !== '' ? `: ${excerpt(body.errorText)}` : '';
		throw client.failure(
			`SocialBoards refused the request (error code ${excerpt(String(body.errorCode), 40)}${said})`,
			`It answered${status || ' with success'}, but with a failure code in its envelope. Request: ${where}`,
		);
	}
	return body.data;
}

async function call(client: ApiClient, request: ApiRequest): Promise<unknown> {
	const { statusCode, body } = await client.request<unknown>(request);
	return unwrap(client, body, `${request.method} ${request.path}`, statusCode);
}

function listOf(client: ApiClient, data: unknown, what: string): IDataObject[] {
	if (!Array.isArray(data) || !data.every(isPlainObject)) {
		throw client.failure(
			`SocialBoards answered ${what} that is not a list of objects`,
			'Stopped rather than go on with an answer that is not what SocialBoards documents. Try again later.',
		);
	}
	return data;
}

function objectOf(client: ApiClient, data: unknown, what: string): IDataObject {
	if (!isPlainObject(data)) {
		throw client.failure(`SocialBoards answered ${what} that is not an object`, 'Try again later; if it persists, SocialBoards’ answer is at fault.');
	}
	return data;
}

const conversationResource = (id: string) => `Conversation ${id}`;

/** Offset paging (`skip`/`take`), ending on a short page: SocialBoards gives no totals or cursors. */
async function listByOffset(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	placement: 'query' | 'body',
	maxPageSize: number,
	what: string,
): Promise<IDataObject[]> {
	const where = `${request.method} ${request.path}`;
	return await paginateOffset<IDataObject>(client, request, take, {
		kind: 'offset',
		placement,
		positionParam: 'skip',
		sizeParam: 'take',
		maxPageSize,
		readPage: (body) => ({ items: listOf(client, unwrap(client, body, where), what) }),
	});
}

// ---- Ticket API ----

/**
 * `POST /tickets/list`, `skip`/`take` in the JSON body with an explicit `orderBy` (A19), so that pages keep meaning
 * the same items. A read sent as a POST: safe to repeat after a 429 or a dropped connection.
 */
export async function listTickets(client: ApiClient, take: Take, filters: IDataObject): Promise<IDataObject[]> {
	const body: IDataObject = { orderBy: TICKET_ORDERS[0], ...filters };
	const request: ApiRequest = { method: 'POST', path: '/tickets/list', body, safeToRepeat: true };
	return await listByOffset(client, request, take, 'body', TICKET_PAGE_SIZE, 'a ticket page');
}

/** One page of tickets for the conversation picker. */
export async function ticketPage(client: ApiClient, skip: number): Promise<IDataObject[]> {
	const body: IDataObject = { orderBy: TICKET_ORDERS[0], skip, take: TICKET_PAGE_SIZE };
	const data = await call(client, { method: 'POST', path: '/tickets/list', body, safeToRepeat: true });
	return listOf(client, data, 'a ticket page');
}

/** A6: `GET /tickets/{ticketId}` answers one Ticket. */
export async function fetchTicket(client: ApiClient, ticketId: string): Promise<IDataObject> {
	const data = await call(client, { method: 'GET', path: `/tickets/${ticketId}`, resource: conversationResource(ticketId) });
	return objectOf(client, data, 'a ticket');
}

/**
 * A10/A11: `PATCH /tickets/{ticketId}/Assignee` with both fields, `previousAssigneeId` being the current `lockedBy.id`
 * read just before (null when nobody); `assigneeId: null` unassigns. Answers `data: {}`.
 */
export async function updateAssignee(
	client: ApiClient,
	ticketId: string,
	assigneeId: string | null,
	previousAssigneeId: string | null,
): Promise<void> {
	await call(client, {
		method: 'PATCH',
		path: `/tickets/${ticketId}/Assignee`,
		body: { assigneeId, previousAssigneeId },
		resource: conversationResource(ticketId),
	});
}

/** A5: `PATCH /tickets/{ticketId}/Status` with `{status}`; answers `data: {}`. */
export async function updateStatus(client: ApiClient, ticketId: string, status: string): Promise<void> {
	await call(client, {
		method: 'PATCH',
		path: `/tickets/${ticketId}/Status`,
		body: { status },
		resource: conversationResource(ticketId),
	});
}

/** A7: `GET /tags` answers the whole palette, `[{id: int, name}]`, not paged. */
export async function fetchPalette(client: ApiClient): Promise<IDataObject[]> {
	return listOf(client, await call(client, { method: 'GET', path: '/tags' }), 'the tag list');
}

/** A8: `PUT /tickets/{ticketId}/tags` with `{tagIds}` replaces the whole set and answers the tags after it. */
export async function replaceTags(client: ApiClient, ticketId: string, tagIds: number[]): Promise<IDataObject[]> {
	const data = await call(client, {
		method: 'PUT',
		path: `/tickets/${ticketId}/tags`,
		body: { tagIds },
		resource: conversationResource(ticketId),
	});
	return listOf(client, data, 'the ticket’s tags');
}

/** A10: `GET /Teammates` items carry `id` (a Guid) besides the documented `name`, `email` and `role`. */
export async function fetchTeammates(client: ApiClient): Promise<IDataObject[]> {
	return listOf(client, await call(client, { method: 'GET', path: '/Teammates' }), 'the team list');
}

// ---- External Chat API ----

/**
 * `GET chat/conversations/{id}`; with `includeMessages` the latest 100 messages. The docs spell the order
 * parameter `orderyBy`, which is why none is sent: the default, newest first, is what is wanted.
 */
export async function fetchChat(client: ApiClient, conversationId: string, includeMessages: boolean): Promise<IDataObject> {
	const data = await call(client, {
		method: 'GET',
		path: `/chat/conversations/${conversationId}`,
		qs: includeMessages ? { includeMessages: true } : undefined,
		resource: conversationResource(conversationId),
	});
	return objectOf(client, data, 'a conversation');
}

/** `GET chat/conversations/{id}/messages`, `skip`/`take` ≤ 100 in the query, newest first. */
export async function listMessages(client: ApiClient, conversationId: string, take: Take): Promise<IDataObject[]> {
	const request: ApiRequest = {
		method: 'GET',
		path: `/chat/conversations/${conversationId}/messages`,
		qs: { orderBy: 'creation_time_desc' },
		resource: conversationResource(conversationId),
	};
	return await listByOffset(client, request, take, 'query', MESSAGE_PAGE_SIZE, 'a message page');
}

/** Who a reply is written as (A13): a teammate, by the Guid `GET /Teammates` gives, or SocialBoards' system bot. */
export type ReplyAuthor = { teammateId: string } | { bot: true };

/**
 * A13: `POST chat/conversations/{id}/messages` with one item `{author, isByTeam: true, message}`. Every reply goes
 * through this one function: SocialBoards has no idempotency key, so the shared transport never repeats it (a
 * duplicate-reply guard belongs here, around this call).
 */
export async function postReply(
	client: ApiClient,
	conversationId: string,
	author: ReplyAuthor,
	text: string,
): Promise<IDataObject> {
	const data = await call(client, {
		method: 'POST',
		path: `/chat/conversations/${conversationId}/messages`,
		body: [{ author: 'bot' in author ? { isBot: true } : { id: author.teammateId }, isByTeam: true, message: text }],
		resource: conversationResource(conversationId),
	});
	const [message] = listOf(client, data, 'the posted message');
	if (!message) throw client.failure('SocialBoards answered the reply without the message it stored', 'Check the conversation’s messages before sending it again.');
	return message;
}

/** A4: `PATCH chat/conversations/{id}/close`, no body; answers the Conversation (`isClosed: true`). */
export async function closeChat(client: ApiClient, conversationId: string): Promise<IDataObject> {
	const data = await call(client, {
		method: 'PATCH',
		path: `/chat/conversations/${conversationId}/close`,
		resource: conversationResource(conversationId),
	});
	return objectOf(client, data, 'a conversation');
}

/** `GET chat/conversations/{id}/takeover`: `{isAssignedToBot}`, false meaning a person has taken over. */
export async function fetchTakeover(client: ApiClient, conversationId: string): Promise<IDataObject> {
	const data = await call(client, {
		method: 'GET',
		path: `/chat/conversations/${conversationId}/takeover`,
		resource: conversationResource(conversationId),
	});
	return objectOf(client, data, 'a takeover state');
}

/** `PATCH chat/conversations/{id}/takeover` with `{assigneeId?, isAssignedToBot}`; false starts a takeover. */
export async function changeTakeover(
	client: ApiClient,
	conversationId: string,
	isAssignedToBot: boolean,
	assigneeId: string | null,
): Promise<IDataObject> {
	const body: IDataObject = { isAssignedToBot };
	if (assigneeId !== null) body.assigneeId = assigneeId;
	const data = await call(client, {
		method: 'PATCH',
		path: `/chat/conversations/${conversationId}/takeover`,
		body,
		resource: conversationResource(conversationId),
	});
	return objectOf(client, data, 'a takeover state');
}
