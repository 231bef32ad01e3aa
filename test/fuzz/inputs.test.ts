import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { describeValue, listInMessage } from '../../nodes/shared/execute';
import { checkLimit } from '../../nodes/shared/parameters';
import { REDACTED, redactText, redactValue } from '../../nodes/shared/transport/redact';
import type { AwardeeSetup } from '../helpers/awardee';
import { startAwardee } from '../helpers/awardee';
import type { VoipbinSetup } from '../helpers/voipbin';
import { listedConversations, startVoipbin } from '../helpers/voipbin';
import { fuzz, FUZZ_RUNS, fuzzTimeout } from './settings';

/** Input checks and redaction under arbitrary values, the id and limit checks through the node's real execute path. */
const anyInput = fc.oneof(
	fc.jsonValue(),
	fc.string(),
	fc.integer(),
	fc.double(),
	fc.constantFrom(-1, 0, 2.5, 'abc', '', ' 7 ', '1e3', true, false, null, [], [1], {}),
);

describe('limit and message checks', () => {
	it('takes a limit exactly when it is a whole number from 1 to 1,000,000, as a number or digits', () => {
		fc.assert(
			fc.property(anyInput, (value) => {
				const limit = checkLimit(value);
				const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
				const valid = typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 1_000_000;
				expect(limit).toBe(valid ? number : undefined);
			}),
			fuzz(),
		);
	});

	it('describes any value in a short line and caps any list', () => {
		fc.assert(
			fc.property(anyInput, fc.array(fc.string({ maxLength: 200 }), { maxLength: 300 }), (value, list) => {
				expect(describeValue(value).length).toBeLessThanOrEqual(100);
				expect(listInMessage(list).length).toBeLessThanOrEqual(10 * 83 + 30);
			}),
			fuzz(),
		);
	});
});

describe('redaction', () => {
	const secret = fc
		.string({ minLength: 4, maxLength: 40 })
		// A secret inside the marker itself would survive any redaction; no real key is a piece of "[redacted]".
		.filter((value) => !REDACTED.includes(value) && !value.split('').some((_, i) => REDACTED.includes(value.slice(i)) || REDACTED.includes(value.slice(0, i + 1))));

	it('leaves no secret in any text, raw or encoded for a URL, a form or JSON', () => {
		fc.assert(
			fc.property(secret, fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), (key, pieces) => {
				const forms = [key, encodeURIComponent(key), new URLSearchParams({ s: key }).toString().slice(2), JSON.stringify(key).slice(1, -1)];
				const text = pieces.reduce((joined, piece, i) => `${joined}${piece}${forms[i % forms.length]}`, '');
				const redacted = redactText(text, [key]);
				for (const form of forms) if (form.length >= 4) expect(redacted).not.toContain(form);
			}),
			fuzz(),
		);
	});

	it('redacts every string of any JSON value, keys included', () => {
		fc.assert(
			fc.property(secret, fc.jsonValue(), (key, value) => {
				const planted = { [`k-${key}`]: value, deep: [{ s: `x${key}y` }, value] };
				expect(JSON.stringify(redactValue(planted, [key]))).not.toContain(key);
			}),
			fuzz(),
		);
	});
});

/** Each of these runs is a whole workflow execution; a fifth of the runs keeps the suite fast. */
const NODE_RUNS = Math.max(1, Math.round(FUZZ_RUNS / 5));

describe('id and limit checks through the node', () => {
	let setup: AwardeeSetup;
	beforeAll(async () => {
		setup = await startAwardee({ seed: 2 });
	});
	afterAll(async () => await setup.sim.close());

	it('refuses every ID that is not one UUID string before any request, naming its item', async () => {
		const known = () => [...setup.sim.state.conversations.keys()];
		const idValue = fc.oneof(anyInput, fc.constantFrom(...known()).map((id) => [id]), fc.constantFrom(...known()), fc.uuid());
		await fc.assert(
			fc.asyncProperty(fc.array(idValue, { minLength: 1, maxLength: 8 }), async (values) => {
				setup.sim.reset();
				const run = await setup.run(
					{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.v }}' }, options: { includeTags: false } },
					values.map((v) => ({ v }) as IDataObject),
					{ continueOnFail: true },
				);
				expect(run.items).toHaveLength(values.length);
				const requested = setup.sim.requests.map((r) => r.path.split('/')[2]);
				run.items.forEach((item, i) => {
					expect(item.pairedItem).toEqual({ item: i });
					const value = values[i];
					const isUuid = typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim());
					if (isUuid) expect(requested).toContain((value as string).trim());
					else expect(String(item.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] Conversation ID `));
				});
				expect(requested).toHaveLength(values.filter((v) => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v.trim())).length);
			}),
			fuzz(NODE_RUNS),
		);
	}, fuzzTimeout(NODE_RUNS));

	it('sends only valid limits, capped at the page size, and refuses the rest naming the item', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(anyInput, { minLength: 1, maxLength: 8 }), async (values) => {
				setup.sim.reset();
				const run = await setup.run({ operation: 'getAll', returnAll: false, limit: '={{ $json.v }}', output: 'raw' }, values.map((v) => ({ v }) as IDataObject), {
					continueOnFail: true,
				});
				const sent = setup.sim.requests.map((r) => Number(r.query.limit));
				const valid = values.map(checkLimit).filter((limit): limit is number => limit !== undefined);
				expect(sent).toEqual(valid.map((limit) => Math.min(limit, 100)));
				run.items.forEach((item) => {
					if (item.json.error !== undefined) expect(String(item.json.error)).toMatch(/^\[item \d+\] Limit must be a whole number/);
				});
			}),
			fuzz(NODE_RUNS),
		);
	}, fuzzTimeout(NODE_RUNS));
});

describe('VoIPbin id checks through the node', () => {
	let setup: VoipbinSetup;
	beforeAll(async () => {
		setup = await startVoipbin({ seed: 2 });
	});
	afterAll(async () => await setup.sim.close());

	it('asks VoIPbin only for IDs that are one UUID string, and refuses the rest before any request, naming the item', async () => {
		const known = listedConversations(setup.sim).map((conversation) => conversation.id);
		const idValue = fc.oneof(
			anyInput,
			fc.constantFrom(...known).map((id) => [id]),
			fc.constantFrom(...known).map((id) => ` ${id.toUpperCase()} `),
			fc.constantFrom(...known),
			fc.uuid(),
		);
		const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
		await fc.assert(
			fc.asyncProperty(fc.array(idValue, { minLength: 1, maxLength: 8 }), async (values) => {
				setup.sim.reset();
				const run = await setup.run(
					{ operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.v }}' } },
					values.map((v) => ({ v }) as IDataObject),
					{ continueOnFail: true },
				);
				expect(run.items).toHaveLength(values.length);
				const asked = values.filter((value): value is string => typeof value === 'string' && uuid.test(value.trim()));
				expect(setup.sim.requests.map((r) => r.path)).toEqual(asked.map((value) => `/conversations/${value.trim().toLowerCase()}`));
				run.items.forEach((item, i) => {
					expect(item.pairedItem).toEqual({ item: i });
					const value = values[i];
					if (typeof value === 'string' && uuid.test(value.trim())) return;
					expect(String(item.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] Conversation ID `));
				});
				expect(setup.sim.undocumented).toEqual([]);
			}),
			fuzz(NODE_RUNS),
		);
	}, fuzzTimeout(NODE_RUNS));
});
