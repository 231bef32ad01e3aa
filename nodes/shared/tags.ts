export interface PaletteTag {
	id: string;
	name: string;
}

export type TagChangeMode = 'add' | 'remove' | 'set';

export interface TagChange {
	/** The conversation's tags after the change. */
	tags: PaletteTag[];
	added: PaletteTag[];
	removed: PaletteTag[];
}

/**
 * Matches each entry to the palette by id, else by name ignoring case. Returns the matches and the entries
 * that matched nothing, so the caller can name them in its error.
 */
export function resolveTags(
	entries: string[],
	palette: PaletteTag[],
): { tags: PaletteTag[]; unknown: string[] } {
	const byId = new Map(palette.map((tag) => [tag.id, tag]));
	const byName = new Map(palette.map((tag) => [tag.name.toLowerCase(), tag]));
	const tags = new Map<string, PaletteTag>();
	const unknown: string[] = [];
	for (const entry of entries) {
		const tag = byId.get(entry) ?? byName.get(entry.toLowerCase());
		if (tag) tags.set(tag.id, tag);
		else unknown.push(entry);
	}
	return { tags: [...tags.values()], unknown };
}

/** The tag set after add / remove / set, computed from the current set so no other tag is dropped. */
export function planTagChange(current: PaletteTag[], requested: PaletteTag[], mode: TagChangeMode): TagChange {
	const currentIds = new Set(current.map((tag) => tag.id));
	const requestedIds = new Set(requested.map((tag) => tag.id));
	let tags: PaletteTag[];
	if (mode === 'add') tags = [...current, ...requested.filter((tag) => !currentIds.has(tag.id))];
	else if (mode === 'remove') tags = current.filter((tag) => !requestedIds.has(tag.id));
	else tags = requested;
	const afterIds = new Set(tags.map((tag) => tag.id));
	return {
		tags,
		added: tags.filter((tag) => !currentIds.has(tag.id)),
		removed: current.filter((tag) => !afterIds.has(tag.id)),
	};
}
