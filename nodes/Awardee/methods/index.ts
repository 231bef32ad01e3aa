import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { awardeeClient, conversationPage, fetchPalette, fetchTeamMembers } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

function conversationLabel(conversation: IDataObject): string {
	const who = conversation.contact_name ?? conversation.contact_email ?? 'Visitor';
	const what = conversation.title ?? conversation.last_message_preview ?? '';
	return `${String(who)}${what ? ` — ${String(what)}` : ''} (${String(conversation.status)})`;
}

/** Awardee has no conversation search, so the list pages lazily and filters each page here. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { items, nextCursor } = await conversationPage(awardeeClient(this), paginationToken);
	return {
		results: items
			.filter((c) => matches(filter, c.id, c.title, c.contact_name, c.contact_email, c.last_message_preview))
			.map((c) => ({ name: conversationLabel(c), value: String(c.id) })),
		paginationToken: nextCursor ?? undefined,
	};
}

export async function searchMembers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const members = await fetchTeamMembers(awardeeClient(this));
	return {
		results: members
			.filter((m) => matches(filter, m.first_name, m.last_name, m.user_id, m.role))
			.map((m) => ({
				name: `${String(m.first_name ?? '')} ${String(m.last_name ?? '')}`.trim() + ` (${String(m.role ?? 'member')})`,
				value: String(m.user_id),
			})),
	};
}

export async function searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const tags = await fetchPalette(awardeeClient(this));
	return {
		results: tags.filter((t) => matches(filter, t.name, t.id)).map((t) => ({ name: String(t.name), value: String(t.id) })),
	};
}

export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const tags = await fetchPalette(awardeeClient(this));
	return tags
		.map((t) => ({ name: String(t.name), value: String(t.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
