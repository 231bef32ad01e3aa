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

	it.each([null, undefined, '', 'not a date', '9999-01-01T00:00:00Z', '0001-01-01T00:00:00Z', 0, {}])(
		'reads %p as null',
		(input) => {
			expect(toUtcIso(input)).toBeNull();
		},
	);
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
