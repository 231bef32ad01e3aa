import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ownerIdOrNull } from '../normalize';
import { listPage, voipbinClient } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

function peerOf(conversation: IDataObject): IDataObject {
	return typeof conversation.peer === 'object' && conversation.peer !== null ? (conversation.peer as IDataObject) : {};
}

function conversationLabel(conversation: IDataObject): string {
	const peer = peerOf(conversation);
	const name = conversation.name ?? peer.target_name ?? peer.target ?? conversation.id;
	return `${String(name)}${ownerIdOrNull(conversation.owner_id) ? '' : ' (unassigned)'}`;
}

/** VoIPbin has no conversation search, so the list pages lazily (newest first) and filters each page here. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { items, nextToken } = await listPage(voipbinClient(this), '/conversations', paginationToken);
	return {
		results: items
			.filter((c) => matches(filter, c.id, c.name, c.detail, c.dialog_id, peerOf(c).target, peerOf(c).target_name))
			.map((c) => ({ name: conversationLabel(c), value: String(c.id) })),
		paginationToken: nextToken ?? undefined,
	};
}

export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { items, nextToken } = await listPage(voipbinClient(this), '/agents', paginationToken);
	return {
		results: items
			.filter((a) => matches(filter, a.id, a.name, a.username))
			.map((a) => ({
				name: `${String(a.name || a.username || a.id)}${a.status ? ` (${String(a.status)})` : ''}`,
				value: String(a.id),
			})),
		paginationToken: nextToken ?? undefined,
	};
}
