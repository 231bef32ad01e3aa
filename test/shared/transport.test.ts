import type { IDataObject } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from '../../nodes/shared/transport/client';
import { redactSecrets } from '../../nodes/shared/transport/errors';
import { paginateOffset, paginateToken } from '../../nodes/shared/transport/paginate';
import { isSafeToRepeat, parseRetryAfter } from '../../nodes/shared/transport/retry';

/** A stand-in vendor list of 23 items behind the client's `request`, recording each query. */
function listServer(respond: (qs: IDataObject, items: number[]) => IDataObject) {
	const items = Array.from({ length: 23 }, (_, i) => i + 1);
	const queries: IDataObject[] = [];
	const client = {
		request: async (request: ApiRequest) => {
			queries.push({ ...request.qs });
			return { statusCode: 200, headers: {}, body: respond(request.qs ?? {}, items) };
		},
	} as unknown as ApiClient;
	return { client, queries };
}

describe('paginateOffset', () => {
	const skipTake = (qs: IDataObject, items: number[]) => {
		const skip = Number(qs.skip);
		return { data: items.slice(skip, skip + Number(qs.take)) };
	};

	it('walks skip/take pages until a short page', async () => {
		const { client, queries } = listServer(skipTake);
		const result = await paginateOffset(client, { method: 'GET', path: '/x' }, { returnAll: true }, {
			kind: 'offset', positionParam: 'skip', sizeParam: 'take', maxPageSize: 10,
			readPage: (body) => ({ items: (body as IDataObject).data as number[] }),
		});
		expect(result).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
		expect(queries.map((q) => q.skip)).toEqual([0, 10, 20]);
	});

	it('stops at the limit with pages numbered from 1', async () => {
		const { client, queries } = listServer((qs, items) => {
			const size = Number(qs.page_size);
			return { data: items.slice((Number(qs.page) - 1) * size, Number(qs.page) * size), total: items.length };
		});
		const result = await paginateOffset(client, { method: 'GET', path: '/x' }, { returnAll: false, limit: 12 }, {
			kind: 'page', positionParam: 'page', sizeParam: 'page_size', maxPageSize: 10,
			readPage: (body) => ({ items: (body as IDataObject).data as number[], total: (body as IDataObject).total as number }),
		});
		expect(result).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
		expect(queries).toEqual([{ page: 1, page_size: 10 }, { page: 2, page_size: 10 }]);
	});
});

describe('paginateToken', () => {
	it('follows next tokens until an empty page or an empty token', async () => {
		const { client, queries } = listServer((qs, items) => {
			const start = qs.page_token ? Number(qs.page_token) : 0;
			const page = items.slice(start, start + Number(qs.page_size));
			return { result: page, next_page_token: page.length ? String(start + page.length) : '' };
		});
		const result = await paginateToken(client, { method: 'GET', path: '/x' }, { returnAll: true }, {
			tokenParam: 'page_token', sizeParam: 'page_size', maxPageSize: 10,
			readPage: (body) => ({ items: body.result as number[], nextToken: body.next_page_token as string }),
		});
		expect(result).toHaveLength(23);
		expect(queries.map((q) => q.page_token)).toEqual([undefined, '10', '20', '23']);
	});
});

describe('retry rules', () => {
	it('reads Retry-After in seconds or as an HTTP date', () => {
		expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3000);
		expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6000);
		expect(parseRetryAfter({})).toBeUndefined();
	});

	it('repeats reads and keyed writes only', () => {
		expect(isSafeToRepeat('GET', false)).toBe(true);
		expect(isSafeToRepeat('PATCH', false)).toBe(true);
		expect(isSafeToRepeat('POST', false)).toBe(false);
		expect(isSafeToRepeat('POST', true)).toBe(true);
	});

	it('redacts secrets and their URL-encoded form', () => {
		expect(redactSecrets('GET /x?accesskey=k%2B1%2F2z and k+1/2z', ['k+1/2z'])).toBe('GET /x?accesskey=[redacted] and [redacted]');
	});
});
