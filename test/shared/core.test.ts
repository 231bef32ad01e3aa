import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { listInMessage } from '../../nodes/shared/execute';
import { readIdParameter, requestOptionsProperty } from '../../nodes/shared/parameters';
import type { ApiClient, ApiRequest } from '../../nodes/shared/transport/client';
import { paginateOffset } from '../../nodes/shared/transport/paginate';
import { redactError, redactValue, rememberSecrets, secretsOf } from '../../nodes/shared/transport/redact';
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, isRetryableNetworkFailure, isSafeToRepeat } from '../../nodes/shared/transport/retry';
import { textsOf } from '../reliability/tally';

const node = { id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

describe('redaction of secrets obtained at run time', () => {
	it('redacts a token remembered during the run from every field of an error, causes included', () => {
		const run = {};
		rememberSecrets(run, ['cred-key-123', 'access-token-xyz', 'ab', undefined]);
		expect(secretsOf(run)).toEqual(['cred-key-123', 'access-token-xyz']);
		const cause = new Error('refresh failed for access-token-xyz');
		const error = new NodeApiError(node, { message: 'x', token: 'access-token-xyz', nested: { list: ['Bearer access-token-xyz'] } }, {
			message: 'Bearer access-token-xyz refused',
			description: 'key cred-key-123',
		});
		Object.assign(error, { cause });
		error.context.request = { headers: { authorization: 'Bearer access-token-xyz' } };
		redactError(error, secretsOf(run));
		const texts = textsOf(error).join('\n');
		expect(texts).not.toContain('access-token-xyz');
		expect(texts).not.toContain('cred-key-123');
		expect(error.message).toBe('Bearer [redacted] refused');
	});

	it('redacts a secret in an output item wherever it is, keys included, and leaves an item without one as it is', () => {
		const secrets = ['cred-key-123'];
		const clean: IDataObject = { id: 'a', contact: { name: 'Ada' }, attributes: { list: [{ x: 1 }] } };
		expect(redactValue(clean, secrets)).toBe(clean);
		const item: IDataObject = { id: 'a', nested: { ['key cred-key-123']: 'v', deeper: [{ text: 'echo cred-key-123' }] } };
		expect(redactValue(item, secrets)).toEqual({ id: 'a', nested: { 'key [redacted]': 'v', deeper: [{ text: 'echo [redacted]' }] } });
		// Only the item's own fields are data: an enumerable field of its prototype is none of them.
		const inherited = Object.create({ leaked: 'cred-key-123' }) as IDataObject;
		inherited.id = 'b';
		expect(redactValue(inherited, secrets)).toBe(inherited);
	});

	it('keeps runs apart: a secret of one run is not known to another', () => {
		const first = {};
		rememberSecrets(first, ['first-run-secret']);
		expect(secretsOf({})).toEqual([]);
	});
});

describe('retry classes', () => {
	it('repeats a read sent as POST when it says so, and a declaration wins over the method', () => {
		expect(isSafeToRepeat('POST', false)).toBe(false);
		expect(isSafeToRepeat('POST', false, true)).toBe(true);
		expect(isSafeToRepeat('PUT', false, false)).toBe(false);
	});

	it('takes a cut-off answer for a network failure worth retrying, not any bad response', () => {
		expect(isRetryableNetworkFailure('ERR_BAD_RESPONSE', 'stream has been aborted')).toBe(true);
		expect(isRetryableNetworkFailure('ECONNRESET', 'socket hang up')).toBe(true);
		expect(isRetryableNetworkFailure('ERR_BAD_RESPONSE', 'Request failed with status code 500')).toBe(false);
		expect(isRetryableNetworkFailure('ENOTFOUND', 'getaddrinfo ENOTFOUND')).toBe(false);
	});

	it('shows the policy’s defaults under Request Options, the request budget within 90 s', () => {
		const shown = Object.fromEntries((requestOptionsProperty.options as unknown as IDataObject[]).map((option) => [option.name, option.default]));
		expect(shown).toEqual({
			maxRequestsPerSecond: 0,
			maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
			maxRequestSeconds: DEFAULT_RETRY_POLICY.maxRequestMs / 1000,
			maxRetryWaitSeconds: DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000,
			timeoutSeconds: DEFAULT_TIMEOUT_MS / 1000,
		});
		expect(DEFAULT_RETRY_POLICY.maxRequestMs).toBeLessThanOrEqual(90_000);
	});
});

describe('offset paging in a POST body', () => {
	it('sends skip and take in the body of a read declared safe to repeat, beside its own fields', async () => {
		const items = Array.from({ length: 7 }, (_, i) => ({ id: i }));
		const sent: ApiRequest[] = [];
		const client = {
			request: async (request: ApiRequest) => {
				sent.push(request);
				const { skip, take } = request.body as IDataObject;
				return { statusCode: 200, headers: {}, body: { data: items.slice(Number(skip), Number(skip) + Number(take)) } };
			},
		} as unknown as ApiClient;
		const result = await paginateOffset(client, { method: 'POST', path: '/tickets/search', body: { status: 'open' }, safeToRepeat: true }, { returnAll: true }, {
			kind: 'offset',
			placement: 'body',
			positionParam: 'skip',
			sizeParam: 'take',
			maxPageSize: 3,
			readPage: (body) => ({ items: (body as IDataObject).data as IDataObject[] }),
		});
		expect(result).toEqual(items);
		expect(sent.map((request) => request.body)).toEqual([
			{ status: 'open', skip: 0, take: 3 },
			{ status: 'open', skip: 3, take: 3 },
			{ status: 'open', skip: 6, take: 3 },
		]);
		expect(sent.every((request) => request.safeToRepeat === true && request.qs === undefined)).toBe(true);
	});
});

describe('short messages', () => {
	it('names ten entries and counts the rest', () => {
		const names = Array.from({ length: 5000 }, (_, i) => `t${i}`);
		expect(listInMessage(names)).toBe('"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9" … and 4,990 more');
		expect(listInMessage(['a', 'b'])).toBe('"a", "b"');
	});
});

describe('ids of vendors whose ids are integers', () => {
	/** The two things readIdParameter asks of n8n's context, answering with one parameter value. */
	function contextWith(value: unknown) {
		return {
			getNode: () => node,
			getNodeParameter: () => value,
		} as unknown as Parameters<typeof readIdParameter>[0];
	}

	it('takes whole numbers and digit strings, and refuses every other value naming the item', () => {
		expect(readIdParameter(contextWith(4711), 2, 'ticketId', 'Ticket ID', 'integer')).toBe('4711');
		expect(readIdParameter(contextWith(' 4711 '), 2, 'ticketId', 'Ticket ID', 'integer')).toBe('4711');
		for (const bad of [0, -3, 2.5, 2 ** 60, '12a', '007', true, [4711], { id: 4711 }]) {
			expect(() => readIdParameter(contextWith(bad), 2, 'ticketId', 'Ticket ID', 'integer')).toThrow(/^\[item 2\] Ticket ID /);
		}
		expect(() => readIdParameter(contextWith(4711), 0, 'conversationId', 'Conversation ID')).toThrow('[item 0] Conversation ID must be text, not 4711');
	});
});
