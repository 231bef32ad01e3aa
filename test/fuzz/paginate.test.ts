import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from '../../nodes/shared/transport/client';
import type { PageAnswer, Take } from '../../nodes/shared/transport/paginate';
import { MAX_EMPTY_PAGES, paginateOffset, walkPages } from '../../nodes/shared/transport/paginate';
import { listAll as voipbinListAll, voipbinDialect } from '../../nodes/Voipbin/transport';
import { fuzz } from './settings';

/**
 * The paging walk under arbitrary vendors: pages whose next positions form cycles, whose items overlap,
 * that come back empty while saying there is more. Whatever the vendor does, the walk ends; it emits each
 * id at most once, loses no item of any page it fetched (up to the limit), and otherwise fails with one
 * of its clear messages.
 */
interface ScriptedPage {
	ids: string[];
	/** Index of the next page; null: none named. */
	next: number | null;
	more: boolean;
}

const page: fc.Arbitrary<ScriptedPage> = fc.record({
	ids: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 4 }),
	next: fc.option(fc.nat({ max: 7 }), { freq: 3 }),
	more: fc.boolean(),
});

const take: fc.Arbitrary<Take> = fc.oneof(
	fc.constant<Take>({ returnAll: true }),
	fc.integer({ min: 1, max: 12 }).map((limit): Take => ({ returnAll: false, limit })),
);

const CLEAR_FAILURE =
	/^The vendor (sent the cursor "p\d+" a second time \(page \d+\)|answered \d+ empty pages in a row while saying there were more|said there were more but gave no cursor for them)\. Paging stopped after \d+ items/;

async function walk(pages: ScriptedPage[], limit: Take, emptyPageEndsListing: boolean) {
	const fetched: ScriptedPage[] = [];
	const fetch = async (position: string | null): Promise<PageAnswer<IDataObject, string>> => {
		const scripted = pages[position === null ? 0 : Number(position.slice(1)) % pages.length];
		fetched.push(scripted);
		return {
			items: scripted.ids.map((id) => ({ id })),
			next: scripted.next === null ? null : `p${scripted.next % pages.length}`,
			more: scripted.more,
		};
	};
	try {
		const items = await walkPages(limit, 100, null, { vendorName: 'The vendor', positionName: 'cursor', emptyPageEndsListing }, fetch);
		return { ids: items.map((item) => String(item.id)), fetched };
	} catch (error) {
		return { error: error as Error, fetched };
	}
}

describe('paging walk under arbitrary vendors', () => {
	it('ends, emits each id once and loses nothing it fetched, or fails clearly', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(page, { minLength: 1, maxLength: 8 }), take, fc.boolean(), async (pages, limit, emptyEnds) => {
				const result = await walk(pages, limit, emptyEnds);
				// Every position is fetched once, an empty page at most MAX_EMPTY_PAGES times in a row.
				expect(result.fetched.length).toBeLessThanOrEqual(pages.length * MAX_EMPTY_PAGES + 1);
				if ('error' in result && result.error) {
					expect(result.error.message).toMatch(CLEAR_FAILURE);
					return;
				}
				const ids = result.ids!;
				expect(new Set(ids).size).toBe(ids.length);
				const seen = [...new Set(result.fetched.flatMap((fetchedPage) => fetchedPage.ids))];
				expect(ids).toEqual(limit.returnAll ? seen : seen.slice(0, limit.limit));
				// It ended because the vendor said so (or the limit was reached), never on a silent empty page.
				const last = result.fetched[result.fetched.length - 1];
				if (limit.returnAll && last.more && !(emptyEnds && last.ids.length === 0)) {
					throw new Error(`ended on a page that said there was more: ${JSON.stringify(result.fetched)}`);
				}
			}),
			fuzz(),
		);
	});

	it('walks an offset list of any length exactly once, whatever the limit and the page size', async () => {
		await fc.assert(
			fc.asyncProperty(fc.nat({ max: 60 }), fc.integer({ min: 1, max: 25 }), take, fc.boolean(), async (length, maxPageSize, limit, withTotal) => {
				const all = Array.from({ length }, (_, i) => ({ id: `i${i}` }));
				const client = {
					request: async (request: ApiRequest) => {
						const skip = Number(request.qs!.skip);
						const body = { data: all.slice(skip, skip + Number(request.qs!.take)), ...(withTotal ? { total: length } : {}) };
						return { statusCode: 200, headers: {}, body };
					},
				} as unknown as ApiClient;
				const items = await paginateOffset(client, { method: 'GET', path: '/x' }, limit, {
					kind: 'offset',
					positionParam: 'skip',
					sizeParam: 'take',
					maxPageSize,
					readPage: (body) => ({ items: (body as IDataObject).data as IDataObject[], total: (body as IDataObject).total as number | undefined }),
				});
				const expected = limit.returnAll ? all : all.slice(0, limit.limit);
				expect(items).toEqual(expected);
			}),
			fuzz(),
		);
	});
});

/**
 * VoIPbin's token paging, through the node's own listing (its page reader and dialect) over an arbitrary
 * vendor: tokens that lead back to earlier pages, pages that overlap, empty pages that still carry a token
 * (VoIPbin's documented end of a list), results that are not lists. The walk ends; each id is emitted once;
 * nothing of a fetched page before the end is lost; an empty page is always the last one asked for; page
 * sizes never pass VoIPbin's 100; and any failure is one of the clear ones.
 */
interface VoipbinScriptedPage {
	result: string[] | 'garbled';
	/** Index of the page the token leads to; null: no token (`""`). */
	next: number | null;
}

const voipbinPage: fc.Arbitrary<VoipbinScriptedPage> = fc.record({
	result: fc.oneof(
		{ weight: 12, arbitrary: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 4 }) },
		{ weight: 1, arbitrary: fc.constant<'garbled'>('garbled') },
	),
	next: fc.option(fc.nat({ max: 7 }), { freq: 4 }),
});

const VOIPBIN_FAILURE =
	/^VoIPbin (sent the page token "t\d+" a second time \(page \d+\)|answered a page whose result is not a list)\. Paging stopped /;

describe('VoIPbin token paging under arbitrary answers', () => {
	it('ends, emits each id once, loses nothing before the end, stops at the first empty page, or fails clearly', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(voipbinPage, { minLength: 1, maxLength: 8 }), take, async (pages, limit) => {
				const fetched: VoipbinScriptedPage[] = [];
				const sizes: number[] = [];
				const client = {
					dialect: voipbinDialect,
					failure: (message: string, description: string) => new Error(`${message}. ${description}`),
					request: async (request: ApiRequest) => {
						const token = request.qs!.page_token as string | undefined;
						sizes.push(Number(request.qs!.page_size));
						const scripted = pages[token === undefined ? 0 : Number(token.slice(1)) % pages.length];
						fetched.push(scripted);
						const result = scripted.result === 'garbled' ? { not: 'a list' } : scripted.result.map((id) => ({ id }));
						return { statusCode: 200, headers: {}, body: { result, next_page_token: scripted.next === null ? '' : `t${scripted.next % pages.length}` } };
					},
				} as unknown as ApiClient;
				let ids: string[];
				try {
					ids = (await voipbinListAll(client, '/conversations', limit)).map((item) => String(item.id));
				} catch (error) {
					expect((error as Error).message).toMatch(VOIPBIN_FAILURE);
					return;
				}
				// No position is asked twice, and nothing is asked after an empty page.
				expect(fetched.length).toBeLessThanOrEqual(pages.length + 1);
				fetched.slice(0, -1).forEach((fetchedPage) => expect(fetchedPage.result).not.toHaveLength(0));
				expect(new Set(ids).size).toBe(ids.length);
				const seen = [...new Set(fetched.flatMap((fetchedPage) => fetchedPage.result as string[]))];
				expect(ids).toEqual(limit.returnAll ? seen : seen.slice(0, limit.limit));
				sizes.forEach((size) => expect(size).toBeLessThanOrEqual(100));
				if (!limit.returnAll) expect(sizes[0]).toBe(Math.min(100, limit.limit!));
				// It ended because VoIPbin said so (no token, or an empty page) or the limit was reached.
				const last = fetched[fetched.length - 1];
				if (limit.returnAll && last.next !== null && last.result.length > 0) {
					throw new Error(`ended on a page that named a next one: ${JSON.stringify(fetched)}`);
				}
			}),
			fuzz(),
		);
	});
});
