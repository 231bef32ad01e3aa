import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput, listInMessage } from '../../../shared/execute';
import { readTags, requestOptionsProperty } from '../../../shared/parameters';
import type { TagChangeMode } from '../../../shared/tags';
import { planTagChange, resolveTags, tagsProperty } from '../../../shared/tags';
import { fetchConversationTags, fetchPalette, replaceConversationTags, toPaletteTag } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId } from '../common';

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

/**
 * Awardee only replaces a conversation's whole tag set, so add and remove read the current set first and
 * write it back changed: no other tag is ever dropped.
 */
export async function changeTags(
	ctx: IExecuteFunctions,
	itemIndex: number,
	mode: TagChangeMode,
): Promise<IDataObject> {
	const conversationId = readConversationId(ctx, itemIndex);
	const entries = readTags(ctx, itemIndex);
	if (entries.length === 0 && mode !== 'set') {
		throw invalidInput(ctx, itemIndex, 'No tag given', 'Choose at least one tag, or map names or IDs with an expression.');
	}
	const client = clientFor(ctx, itemIndex);
	const palette = (await fetchPalette(client)).map(toPaletteTag);
	const { tags: requested, unknown } = resolveTags(entries, palette);
	if (unknown.length > 0) {
		throw invalidInput(
			ctx,
			itemIndex,
			`Unknown tag${unknown.length === 1 ? '' : 's'} ${listInMessage(unknown)}`,
			'Use names or IDs of tags that exist in Awardee (resource Tag → Create makes new ones).',
		);
	}
	const current = (await fetchConversationTags(client, conversationId)).map(toPaletteTag);
	const change = planTagChange(current, requested, mode);
	const unchanged = change.added.length === 0 && change.removed.length === 0;
	const after = unchanged
		? current
		: (await replaceConversationTags(client, conversationId, change.tags.map((tag) => tag.id))).map(toPaletteTag);
	return { conversationId, tags: after, added: change.added, removed: change.removed } as unknown as IDataObject;
}
