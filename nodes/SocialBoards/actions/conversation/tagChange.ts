import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput, listInMessage } from '../../../shared/execute';
import { idToString, isPlainObject, textOrNull } from '../../../shared/normalize';
import { readTags, requestOptionsProperty } from '../../../shared/parameters';
import type { PaletteTag, TagChangeMode } from '../../../shared/tags';
import { planTagChange, resolveTags, tagsProperty } from '../../../shared/tags';
import { fetchPalette, fetchTicket, replaceTags } from '../../transport';
import { clientFor } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

export function tagChangeProperties(mode: TagChangeMode): INodeProperties[] {
	const verbs = {
		add: 'to add; tags already on the conversation stay',
		remove: 'to remove; all other tags stay',
		set: 'the conversation should have afterwards, replacing all others; empty clears every tag',
	};
	return [
		conversationIdProperty,
		tagsProperty({ loadOptionsMethod: 'getTags', required: mode !== 'set', hint: `The tags ${verbs[mode]}.` }),
		requestOptionsProperty,
	];
}

function toPaletteTags(tags: unknown): PaletteTag[] {
	if (!Array.isArray(tags)) return [];
	return tags.filter(isPlainObject).flatMap((tag) => {
		const id = idToString(tag.id);
		return id === null ? [] : [{ id, name: textOrNull(tag.name) ?? id }];
	});
}

/**
 * A8: SocialBoards only replaces a ticket's whole tag set, so add and remove read the current set (the ticket, A6)
 * and write it back changed: no other tag is dropped. Names resolve against the palette (A7) ignoring case.
 */
export async function changeTags(ctx: IExecuteFunctions, itemIndex: number, mode: TagChangeMode): Promise<IDataObject> {
	const conversationId = readConversationId(ctx, itemIndex);
	const entries = readTags(ctx, itemIndex);
	if (entries.length === 0 && mode !== 'set') {
		throw invalidInput(ctx, itemIndex, 'No tag given', 'Choose at least one tag, or map names or IDs with an expression.');
	}
	const client = clientFor(ctx, itemIndex);
	const palette = toPaletteTags(await fetchPalette(client));
	const { tags: requested, unknown } = resolveTags(entries, palette);
	if (unknown.length > 0) {
		throw invalidInput(
			ctx,
			itemIndex,
			`Unknown tag${unknown.length === 1 ? '' : 's'} ${listInMessage(unknown)}`,
			'Use names or IDs of tags that exist in SocialBoards (its API cannot create tags: add them in the Inbox settings).',
		);
	}
	const current = toPaletteTags((await fetchTicket(client, conversationId)).tags);
	const change = planTagChange(current, requested, mode);
	const unchanged = change.added.length === 0 && change.removed.length === 0;
	const after = unchanged
		? current
		: toPaletteTags(await replaceTags(client, conversationId, change.tags.map((tag) => Number(tag.id))));
	return { conversationId, tags: after, added: change.added, removed: change.removed } as unknown as IDataObject;
}
