import type { IDataObject } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from './client';

/** How many items to collect: all of them, or at most `limit`. */
export interface Take {
	returnAll: boolean;
	limit?: number;
}

/** A guard against a vendor that keeps handing out new positions forever. */
export const MAX_PAGES = 10_000;

/** How many empty pages in a row a listing follows while the vendor keeps saying there is more. */
export const MAX_EMPTY_PAGES = 3;

/** What one page said: its items and where the next one starts. */
export interface PageAnswer<T, P> {
	items: T[];
	/** Where the next page starts; null when the vendor named none. */
	next: P | null;
	/** Whether the vendor says there is more; by default, whether it named a next position. */
	more?: boolean;
}

/** What a walk over pages needs to know beyond the pages themselves. */
export interface ListingRules<T> {
	/** The vendor's name, for messages. */
	vendorName: string;
	/** What the vendor's page position is called in messages: cursor, offset, page token. */
	positionName: string;
	/** An empty page ends the listing even when it names a next page (a vendor that documents so). */
	emptyPageEndsListing?: boolean;
	/** The id of an item, so that each is emitted once per listing; null for an item without one. */
	itemId?(item: T): string | null;
	/** Builds the error that stops a listing; a plain Error when not given. */
	fail?(message: string, description: string): Error;
}

/** An item's `id` when it is a string or a number. */
export function plainItemId(item: unknown): string | null {
	const id = typeof item === 'object' && item !== null ? (item as IDataObject).id : undefined;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function remaining(take: Take, collected: number): number {
	return take.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, (take.limit ?? 0) - collected);
}

function shortPosition(position: unknown): string {
	const text = String(position);
	return `"${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;
}

/**
 * What each listed item becomes as it arrives: its output item, so that a long listing never holds the
 * vendor's objects and their rendered forms at once. Without one, the vendor's objects are returned.
 */
export type EmitItem<T, U> = (item: T) => U;

/**
 * The walk every paging style shares: page after page until the vendor or the limit says stop. It cannot
 * loop (a position seen before ends it with an error), cannot end silently short (an empty page that says
 * there is more is asked again or followed, a bounded number of times, then fails), and emits each id once.
 */
export async function walkPages<T, P extends string | number, U = T>(
	take: Take,
	maxPageSize: number,
	first: P | null,
	rules: ListingRules<T>,
	fetchPage: (position: P | null, pageSize: number) => Promise<PageAnswer<T, P>>,
	emit?: EmitItem<T, U>,
): Promise<U[]> {
	const fail = (message: string, description: string) =>
		rules.fail ? rules.fail(message, description) : new Error(`${message}. ${description}`);
	const itemId = rules.itemId ?? plainItemId;
	const items: U[] = [];
	const emitted = new Set<string>();
	const seen = new Set<P | null>([first]);
	let position = first;
	let emptyInARow = 0;
	for (let pageNumber = 1; ; pageNumber++) {
		if (pageNumber > MAX_PAGES) {
			throw fail(
				`${rules.vendorName} still said there were more after ${MAX_PAGES.toLocaleString('en-US')} pages`,
				`Paging stopped after ${items.length.toLocaleString('en-US')} items. Narrow the list with filters, or set a Limit.`,
			);
		}
		const page = await fetchPage(position, Math.min(maxPageSize, remaining(take, items.length)));
		for (const item of page.items) {
			if (remaining(take, items.length) === 0) break;
			const id = itemId(item);
			if (id !== null) {
				if (emitted.has(id)) continue;
				emitted.add(id);
			}
			items.push(emit ? emit(item) : (item as unknown as U));
		}
		if (remaining(take, items.length) === 0) return items;
		const more = page.more ?? page.next !== null;
		if (!more) return items;
		if (page.items.length === 0) {
			if (rules.emptyPageEndsListing) return items;
			emptyInARow += 1;
			if (emptyInARow >= MAX_EMPTY_PAGES) {
				throw fail(
					`${rules.vendorName} answered ${emptyInARow} empty pages in a row while saying there were more`,
					`Paging stopped after ${items.length.toLocaleString('en-US')} items rather than end the list incomplete without a word. Try again later.`,
				);
			}
		} else {
			emptyInARow = 0;
		}
		const next = page.next ?? position;
		// An empty page that names no new position is asked again: the vendor may still be catching up.
		const askAgain = page.items.length === 0 && next === position;
		if (!askAgain && seen.has(next)) {
			throw fail(
				page.next === null
					? `${rules.vendorName} said there were more but gave no ${rules.positionName} for them`
					: `${rules.vendorName} sent the ${rules.positionName} ${shortPosition(next)} a second time (page ${pageNumber + 1})`,
				`Paging stopped after ${items.length.toLocaleString('en-US')} items so that none is listed twice. Try again later; if it persists, the vendor's paging is at fault.`,
			);
		}
		seen.add(next);
		position = next;
	}
}

/** The listing rules of a client's vendor; a client without a dialect (a bare page source) gets neutral ones. */
function rulesFor<T>(client: ApiClient, positionName: string): ListingRules<T> {
	const dialect = client.dialect as ApiClient['dialect'] | undefined;
	return {
		vendorName: dialect?.displayName ?? 'The vendor',
		positionName,
		emptyPageEndsListing: dialect?.emptyPageEndsListing,
		fail: dialect ? (message, description) => client.failure(message, description) : undefined,
	};
}

/** Cursor paging: the vendor hands out the cursor of the next page. */
export async function paginateCursor<T = IDataObject, U = T>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		cursorParam: string;
		limitParam: string;
		maxPageSize: number;
		/** `cursor` is the one this page was asked with (null for the first page). */
		readPage(body: IDataObject, cursor: string | null): { items: T[]; nextCursor: string | null; hasMore?: boolean };
	},
	emit?: EmitItem<T, U>,
): Promise<U[]> {
	return await walkPages<T, string, U>(take, style.maxPageSize, null, rulesFor(client, 'cursor'), async (cursor, pageSize) => {
		const qs: IDataObject = { ...request.qs, [style.limitParam]: pageSize };
		if (cursor !== null) qs[style.cursorParam] = cursor;
		const { body } = await client.request({ ...request, qs });
		const { items, nextCursor, hasMore } = style.readPage(body, cursor);
		return { items, next: nextCursor, more: hasMore };
	}, emit);
}

/** Page-number or offset paging (`page`/`page_size`, `skip`/`take`): ends on the total, else on a short page. */
export async function paginateOffset<T = IDataObject, U = T>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		/** `page`: the parameter counts pages from `firstPage`; `offset`: it counts items from 0. */
		kind: 'page' | 'offset';
		/** Where position and size travel: the query (default) or the JSON body of a read sent as POST. */
		placement?: 'query' | 'body';
		positionParam: string;
		sizeParam: string;
		maxPageSize: number;
		firstPage?: number;
		readPage(body: unknown): { items: T[]; total?: number };
	},
	emit?: EmitItem<T, U>,
): Promise<U[]> {
	const start = style.kind === 'page' ? (style.firstPage ?? 1) : 0;
	// The page size is fixed for the whole walk so that page numbers keep meaning the same items.
	const pageSize = take.returnAll ? style.maxPageSize : Math.min(style.maxPageSize, Math.max(1, take.limit ?? 1));
	const positionName = style.kind === 'page' ? 'page number' : 'offset';
	return await walkPages<T, number, U>(take, style.maxPageSize, start, rulesFor(client, positionName), async (position) => {
		const at = position ?? start;
		const paging: IDataObject = { [style.positionParam]: at, [style.sizeParam]: pageSize };
		const { body } = await client.request(
			style.placement === 'body'
				? { ...request, body: { ...(request.body as IDataObject | undefined), ...paging } }
				: { ...request, qs: { ...request.qs, ...paging } },
		);
		const { items, total } = style.readPage(body);
		const itemsBefore = style.kind === 'page' ? (at - start) * pageSize : at;
		// An empty page still covers its positions: the next one starts after them.
		const itemsThrough = itemsBefore + Math.max(items.length, items.length === 0 ? pageSize : 0);
		const more = total !== undefined ? itemsThrough < total : items.length >= pageSize;
		const next = style.kind === 'page' ? at + 1 : itemsThrough;
		return { items, next: more ? next : null, more };
	}, emit);
}

/** Token paging: each answer carries an opaque token for the next page. */
export async function paginateToken<T = IDataObject, U = T>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		tokenParam: string;
		sizeParam: string;
		maxPageSize: number;
		readPage(body: IDataObject): { items: T[]; nextToken: string | null | undefined };
	},
	emit?: EmitItem<T, U>,
): Promise<U[]> {
	return await walkPages<T, string, U>(take, style.maxPageSize, null, rulesFor(client, 'page token'), async (token, pageSize) => {
		const qs: IDataObject = { ...request.qs, [style.sizeParam]: pageSize };
		if (token !== null) qs[style.tokenParam] = token;
		const { body } = await client.request({ ...request, qs });
		const { items, nextToken } = style.readPage(body);
		return { items, next: nextToken ? nextToken : null };
	}, emit);
}
