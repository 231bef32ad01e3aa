import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { fetchPalette, fetchTeammates, socialBoardsClient, ticketPage, TICKET_PAGE_SIZE } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => (typeof text === 'string' || typeof text === 'number') && String(text).toLowerCase().includes(needle));
}

function authorName(ticket: IDataObject): string {
	const author = (typeof ticket.author === 'object' && ticket.author !== null ? ticket.author : {}) as IDataObject;
	return String(author.name ?? author.email ?? 'Visitor');
}

/** SocialBoards has no ticket search: the list pages lazily (latest activity first) and each page is filtered here. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const skip = Number(paginationToken ?? 0) || 0;
	const tickets = await ticketPage(socialBoardsClient(this), skip);
	return {
		results: tickets
			.filter((t) => matches(filter, t.id, t.title, t.message, authorName(t)))
			.map((t) => ({
				name: `${authorName(t)}${t.title ? ` — ${String(t.title)}` : ''} (${String(t.status ?? 'unknown')})`,
				value: String(t.id),
			})),
		paginationToken: tickets.length < TICKET_PAGE_SIZE ? undefined : String(skip + tickets.length),
	};
}

/** Teammates who can be assigned or written as: admins and agents (A10: each with its Guid). */
export async function searchTeammates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const teammates = await fetchTeammates(socialBoardsClient(this));
	return {
		results: teammates
			.filter((t) => t.role !== 'read_only_user' && t.role !== 'vendor')
			.filter((t) => matches(filter, t.name, t.email, t.id))
			.map((t) => ({ name: `${String(t.name ?? t.email ?? t.id)}${t.role ? ` (${String(t.role)})` : ''}`, value: String(t.id) })),
	};
}

export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const tags = await fetchPalette(socialBoardsClient(this));
	return tags
		.map((t) => ({ name: String(t.name), value: String(t.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
