import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

import { classifyConversationUpdate, idToString, readChanges, snakeCaseKeys, toUtcIso } from '../../nodes/shared/normalize';
import { planTagChange, resolveTags } from '../../nodes/shared/tags';

/** Runs the normalizer's own source (and the time formatter it imports) in a Node process whose zone is `zone`. */
function toUtcIsoInZone(zone: string, inputs: string[]): unknown {
	const compiled = (file: string) =>
		ts.transpileModule(readFileSync(path.join(__dirname, '../../nodes/shared', file), 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
		}).outputText;
	const script = `const load = (source, require) => { const module = { exports: {} }; new Function('exports', 'module', 'require', source)(module.exports, module, require); return module.exports; };
const utcIso = load(${JSON.stringify(compiled('utcIso.ts'))}, require);
const normalize = load(${JSON.stringify(compiled('normalize.ts'))}, (name) => (name === './utcIso' ? utcIso : require(name)));
process.stdout.write(JSON.stringify(${JSON.stringify(inputs)}.map(normalize.toUtcIso)));`;
	return JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: zone } }).toString());
}

describe('toUtcIso', () => {
	it.each([
		['2026-06-09T22:50:58.806+00:00', '2026-06-09T22:50:58.806Z'],
		['2026-05-28T20:26:39Z', '2026-05-28T20:26:39.000Z'],
		['2023-09-01T12:56:39.0847826+03:00', '2023-09-01T09:56:39.084Z'],
		['2026-05-02 22:47:05.118093', '2026-05-02T22:47:05.118Z'],
		[1780000000, '2026-05-28T20:26:40.000Z'],
		[1780000000123, '2026-05-28T20:26:40.123Z'],
		['1780000000', '2026-05-28T20:26:40.000Z'],
	])('reads %p as %p', (input, expected) => {
		expect(toUtcIso(input)).toBe(expected);
	});

	// A host's zone is fixed when its process starts, so each zone gets its own Node process.
	it.each(['America/New_York', 'Asia/Kolkata', 'UTC'])('reads a zone-less date and time as UTC on a host in %s', (zone) => {
		const inputs = ['2026-05-02 22:47:05.118093', '2026-05-02T22:47:05', '2026-05-02T22:47:05-04:00'];
		expect(toUtcIsoInZone(zone, inputs)).toEqual(['2026-05-02T22:47:05.118Z', '2026-05-02T22:47:05.000Z', '2026-05-03T02:47:05.000Z']);
	});

	// toUtcIso writes the ISO text itself (Date#toISOString costs several times as much): it must be the very same text.
	it('writes what Date#toISOString writes, from year 0 to 9999: the first and last instant of days, and random instants', () => {
		const first = new Date('0000-01-01T00:00:00.000Z').getTime();
		const last = new Date('9999-12-31T23:59:59.999Z').getTime();
		const day = 86_400_000;
		const mismatches: string[] = [];
		const expectSame = (time: number) => {
			const expected = new Date(time).toISOString();
			const year = Number(expected.slice(0, 4));
			const written = toUtcIso(new Date(time));
			const want = time === 0 || year === 1 || year === 9999 ? null : expected;
			if (written !== want) mismatches.push(`${time}: ${String(written)} instead of ${String(want)}`);
		};
		// Every day of the years where the calendar turns (year 0, around 1970, the century years), one in 97 elsewhere.
		const years = [0, 1, 2, 3, 4, 99, 100, 101, 399, 400, 401, 1899, 1900, 1968, 1969, 1970, 1971, 1972, 1999, 2000, 2024, 2100, 9996, 9997, 9998, 9999];
		for (const year of years) {
			const start = new Date(`${String(year).padStart(4, '0')}-01-01T00:00:00.000Z`).getTime();
			for (let time = start; time < start + 366 * day && time <= last; time += day) {
				expectSame(time);
				expectSame(time + day - 1);
			}
		}
		for (let time = first; time <= last; time += 97 * day) expectSame(time + (time % 1000));
		let seed = 13;
		for (let index = 0; index < 5_000; index++) {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			expectSame(first + Math.floor((seed / 2 ** 31) * (last - first)));
		}
		for (const time of [-1, 1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000]) expectSame(time);
		expect(mismatches.slice(0, 5)).toEqual([]);
	});

	it.each([
		['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
		['2024-12-31T23:59:59.999-01:00', '2025-01-01T00:59:59.999Z'],
		['0000-03-01T00:00:00.000Z', '0000-03-01T00:00:00.000Z'],
		['9998-12-31T23:59:59.999+00:00', '9998-12-31T23:59:59.999Z'],
		['+010000-01-01T00:00:00Z', null],
		['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
		['1970-01-01T00:00:00.000+00:00', null],
		[1780000000123.7, '2026-05-28T20:26:40.123Z'],
		[8.64e15 + 1, null],
		[Number.NaN, null],
	])('reads %p as %p (edges of the calendar and of a Date)', (input, expected) => {
		expect(toUtcIso(input)).toBe(expected);
	});

	it.each([null, undefined, '', 'not a date', '9999-01-01T00:00:00Z', '0001-01-01T00:00:00Z', 0, {}])(
		'reads %p as null',
		(input) => {
			expect(toUtcIso(input)).toBeNull();
		},
	);
});

describe('the times a listing holds', () => {
	// Every listed conversation holds several times: each should cost what toISOString's flat text costs, not a
	// tree of joined pieces (which held about 320 bytes a time instead of about 50). The heap's counters move by
	// pages, so one measurement of 20,000 times varies by about 15 bytes a time: the median of three each, and a
	// bound (2.5×) that holds through that noise and still fails the tree by far.
	it('holds a time written by utcIsoOf (as every normalizer writes times) in no more memory than toISOString text', () => {
		const source = ts.transpileModule(readFileSync(path.join(__dirname, '../../nodes/shared/utcIso.ts'), 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
		}).outputText;
		const script = `const module = { exports: {} }; new Function('exports', 'module', ${JSON.stringify(source)})(module.exports, module);
const held = (write) => { gc(); gc(); const before = process.memoryUsage().heapUsed; const kept = [];
  for (let i = 0; i < 20000; i++) kept.push(write(1780000000123 + i * 7777)); gc(); gc();
  const bytes = (process.memoryUsage().heapUsed - before) / kept.length; return kept.length ? bytes : 0; };
const median = (write) => [held(write), held(write), held(write)].sort((a, b) => a - b)[1];
held((t) => module.exports.utcIsoOf(t)); held((t) => new Date(t).toISOString());
process.stdout.write(JSON.stringify({ ours: median((t) => module.exports.utcIsoOf(t)), date: median((t) => new Date(t).toISOString()) }));`;
		const { ours, date } = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script]).toString()) as { ours: number; date: number };
		expect(date).toBeGreaterThan(0);
		expect(ours).toBeLessThan(date * 2.5);
	});
});

describe('small normalizer primitives', () => {
	it('turns ids into strings and empty ids into null', () => {
		expect(idToString(42)).toBe('42');
		expect(idToString(' ')).toBeNull();
		expect(idToString(undefined)).toBeNull();
	});

	it('turns camelCase keys into snake_case, deeply', () => {
		expect(snakeCaseKeys({ contactEmail: 'a', parts: [{ createdAt: 1 }], metadata: { source: 'api' } })).toEqual({
			contact_email: 'a',
			parts: [{ created_at: 1 }],
			metadata: { source: 'api' },
		});
	});

	it('keeps only from/to pairs of a diff', () => {
		expect(readChanges({ status: { from: 'open', to: 'closed' }, noise: 3 })).toEqual({ status: { from: 'open', to: 'closed' } });
		expect(readChanges(null)).toBeNull();
	});

	it('classifies an update by the package-wide precedence', () => {
		const none = { becameClosed: false, statusChanged: false, assigneeChanged: false, tagsChanged: false };
		expect(classifyConversationUpdate({ ...none, becameClosed: true, statusChanged: true, assigneeChanged: true })).toBe('conversation.closed');
		expect(classifyConversationUpdate({ ...none, statusChanged: true, tagsChanged: true })).toBe('conversation.status_changed');
		expect(classifyConversationUpdate({ ...none, assigneeChanged: true, tagsChanged: true })).toBe('conversation.assigned');
		expect(classifyConversationUpdate({ ...none, tagsChanged: true })).toBe('conversation.tags_changed');
		expect(classifyConversationUpdate(none)).toBe('conversation.updated');
	});
});

describe('tag planning', () => {
	const palette = [
		{ id: 't1', name: 'VIP' },
		{ id: 't2', name: 'Billing' },
		{ id: 't3', name: 'Refund' },
	];

	it('resolves ids and case-insensitive names, reporting the unknown ones', () => {
		expect(resolveTags(['vip', 't2', 'nope', 'VIP'], palette)).toEqual({ tags: [palette[0], palette[1]], unknown: ['nope'] });
	});

	it('adds and removes without dropping other tags, and sets the whole set', () => {
		const current = [palette[0]];
		expect(planTagChange(current, [palette[1]], 'add')).toEqual({ tags: [palette[0], palette[1]], added: [palette[1]], removed: [] });
		expect(planTagChange([palette[0], palette[1]], [palette[1], palette[2]], 'remove')).toEqual({ tags: [palette[0]], added: [], removed: [palette[1]] });
		expect(planTagChange(current, [palette[2]], 'set')).toEqual({ tags: [palette[2]], added: [palette[2]], removed: [palette[0]] });
	});
});
