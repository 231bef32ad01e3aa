import type { INodeProperties } from 'n8n-workflow';

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

/**
 * The `tags` parameter of the tag operations: a multi-select of the vendor's palette (option values are tag
 * ids, loaded by `loadOptionsMethod`) that an expression may fill with names or ids, as a list or
 * comma-separated. n8n's editor flags an expression value that is not an option value ("The value "vip" is
 * not supported!"); names are valid input here (`resolveTags` matches them when the node runs, and an unknown
 * one fails there with its name), so `allowArbitraryValues` turns that check off.
 */
export function tagsProperty({
	loadOptionsMethod,
	required,
	hint,
}: {
	loadOptionsMethod: string;
	required: boolean;
	hint: string;
}): INodeProperties {
	return {
		displayName: 'Tag Names or IDs',
		name: 'tags',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod },
		allowArbitraryValues: true,
		default: [],
		required,
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: `${hint} An expression may give tag names or IDs, as a list or comma-separated.`,
	};
}
