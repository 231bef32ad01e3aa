import type { IDataObject } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from './client';

/** How many items to collect: all of them, or at most `limit`. */
export interface Take {
	returnAll: boolean;
	limit?: number;
}

/** A guard against a vendor that keeps answering "there is more". */
const MAX_PAGES = 10_000;

interface Page<T, P> {
	items: T[];
	/** Where the next page starts; null when this was the last page. */
	next: P | null;
}

function remaining(take: Take, collected: number): number {
	return take.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, (take.limit ?? 0) - collected);
}

/** The loop every paging style shares: page after page until the vendor or the limit says stop. */
async function collect<T, P>(
	take: Take,
	maxPageSize: number,
	first: P | null,
	fetchPage: (position: P | null, pageSize: number) => Promise<Page<T, P>>,
): Promise<T[]> {
	const items: T[] = [];
	let position = first;
	for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
		const wanted = remaining(take, items.length);
		if (wanted === 0) return items;
		const page = await fetchPage(position, Math.min(maxPageSize, wanted));
		items.push(...page.items.slice(0, wanted));
		if (page.next === null || page.items.length === 0) return items;
		if (page.next === position) {
			throw new ApplicationError('The vendor returned the same page position twice; paging stopped');
		}
		position = page.next;
	}
	return items;
}

/** Cursor paging: the vendor hands out the cursor of the next page. */
export async function paginateCursor<T = IDataObject>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		cursorParam: string;
		limitParam: string;
		maxPageSize: number;
		readPage(body: IDataObject): { items: T[]; nextCursor: string | null };
	},
): Promise<T[]> {
	return await collect<T, string>(take, style.maxPageSize, null, async (cursor, pageSize) => {
		const qs: IDataObject = { ...request.qs, [style.limitParam]: pageSize };
		if (cursor !== null) qs[style.cursorParam] = cursor;
		const { body } = await client.request({ ...request, qs });
		const { items, nextCursor } = style.readPage(body);
		return { items, next: nextCursor };
	});
}

/** Page-number or offset paging (`page`/`page_size`, `skip`/`take`): stops on a short page or the total. */
export async function paginateOffset<T = IDataObject>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		/** `page`: the parameter counts pages from `firstPage`; `offset`: it counts items from 0. */
		kind: 'page' | 'offset';
		positionParam: string;
		sizeParam: string;
		maxPageSize: number;
		firstPage?: number;
		readPage(body: unknown): { items: T[]; total?: number };
	},
): Promise<T[]> {
	let seen = 0;
	const start = style.kind === 'page' ? (style.firstPage ?? 1) : 0;
	// The page size is fixed for the whole walk so that page numbers keep meaning the same items.
	const pageSize = take.returnAll ? style.maxPageSize : Math.min(style.maxPageSize, Math.max(1, take.limit ?? 1));
	return await collect<T, number>(take, style.maxPageSize, start, async (position) => {
		const qs: IDataObject = { ...request.qs, [style.positionParam]: position, [style.sizeParam]: pageSize };
		const { body } = await client.request({ ...request, qs });
		const { items, total } = style.readPage(body);
		seen += items.length;
		const exhausted = items.length < pageSize || (total !== undefined && seen >= total);
		const next = style.kind === 'page' ? (position ?? start) + 1 : (position ?? 0) + items.length;
		return { items, next: exhausted ? null : next };
	});
}

/** Token paging: each answer carries an opaque token for the next page; an empty page ends it. */
export async function paginateToken<T = IDataObject>(
	client: ApiClient,
	request: ApiRequest,
	take: Take,
	style: {
		tokenParam: string;
		sizeParam: string;
		maxPageSize: number;
		readPage(body: IDataObject): { items: T[]; nextToken: string | null | undefined };
	},
): Promise<T[]> {
	return await collect<T, string>(take, style.maxPageSize, null, async (token, pageSize) => {
		const qs: IDataObject = { ...request.qs, [style.sizeParam]: pageSize };
		if (token !== null) qs[style.tokenParam] = token;
		const { body } = await client.request({ ...request, qs });
		const { items, nextToken } = style.readPage(body);
		return { items, next: nextToken ? nextToken : null };
	});
}
