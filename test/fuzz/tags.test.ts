import fc from 'fast-check';

import type { PaletteTag, TagChangeMode } from '../../nodes/shared/tags';
import { planTagChange, resolveTags } from '../../nodes/shared/tags';
import { fuzz } from './settings';

/** Tag set algebra: add is union, remove is difference, set is the request; no other tag is ever dropped. */
const palette: fc.Arbitrary<PaletteTag[]> = fc
	.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) }), {
		selector: (tag) => tag.id,
		maxLength: 12,
	});

const scenario = palette.chain((tags) =>
	fc.record({
		palette: fc.constant(tags),
		current: fc.subarray(tags),
		requested: fc.subarray(tags),
		mode: fc.constantFrom<TagChangeMode>('add', 'remove', 'set'),
	}),
);

const ids = (tags: PaletteTag[]) => tags.map((tag) => tag.id);

describe('tag set algebra', () => {
	it('add, remove and set give the union, the difference and the request, with added and removed to match', () => {
		fc.assert(
			fc.property(scenario, ({ current, requested, mode }) => {
				const change = planTagChange(current, requested, mode);
				const after = new Set(ids(change.tags));
				const before = new Set(ids(current));
				const wanted = new Set(ids(requested));
				const expected =
					mode === 'add'
						? new Set([...before, ...wanted])
						: mode === 'remove'
							? new Set([...before].filter((id) => !wanted.has(id)))
							: wanted;
				expect([...after].sort()).toEqual([...expected].sort());
				expect(after.size).toBe(change.tags.length);
				expect(ids(change.added).sort()).toEqual([...after].filter((id) => !before.has(id)).sort());
				expect(ids(change.removed).sort()).toEqual([...before].filter((id) => !after.has(id)).sort());
				if (mode !== 'set') {
					// Tags the request does not name stay, in their order.
					expect(ids(change.tags).filter((id) => before.has(id) && !wanted.has(id))).toEqual(ids(current).filter((id) => !wanted.has(id)));
				}
			}),
			fuzz(),
		);
	});

	it('resolves every palette tag by id or by its name in any case, and names every entry it cannot', () => {
		fc.assert(
			fc.property(palette, fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), (tags, strangers) => {
				const entries = [...tags.map((tag, i) => (i % 2 ? tag.id : tag.name.toUpperCase())), ...strangers];
				const { tags: found, unknown } = resolveTags(entries, tags);
				expect(new Set(ids(found)).size).toBe(found.length);
				for (const entry of unknown) {
					expect(tags.some((tag) => tag.id === entry || tag.name.toLowerCase() === entry.toLowerCase())).toBe(false);
				}
				expect(found.length + unknown.length).toBeLessThanOrEqual(entries.length);
			}),
			fuzz(),
		);
	});
});
