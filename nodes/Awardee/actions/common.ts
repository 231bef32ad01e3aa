import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidInput, quoteInMessage } from '../../shared/execute';
import { readClientOptions, readIdParameter, uuidLocatorProperty } from '../../shared/parameters';
import type { ApiClient } from '../../shared/transport/client';
import { AWARDEE_UUID, awardeeClient, fetchConversationTags } from '../transport';
import { normalizeConversation } from '../normalize';
import type { OutputMode } from '../../shared/output';
import { renderConversation } from '../../shared/output';

const EXAMPLE_UUID = '8f3a9d2e-1b4c-4f5d-9e8a-7c3b2a1d0f9e';

/** A UUID resource locator; an optional one also accepts an empty ID (the editor validates ID mode). */
export function uuidLocator(displayName: string, name: string, searchListMethod: string, what: string, optional = false) {
	return uuidLocatorProperty({ displayName, name, searchListMethod, what, example: EXAMPLE_UUID, optional });
}

export const conversationIdProperty = uuidLocator(
	'Conversation',
	'conversationId',
	'searchConversations',
	'Awardee conversation',
);

/** Reads a UUID parameter (a resource locator or a plain string) and refuses anything else before any request. */
export function readUuid(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): string {
	const value = readIdParameter(ctx, itemIndex, name, label);
	if (!AWARDEE_UUID.test(value)) {
		throw invalidInput(
			ctx,
			itemIndex,
			value === '' ? `${label} is empty` : `${label} ${quoteInMessage(value)} is not an Awardee ID`,
			`Pick the ${label.toLowerCase()} from the list, or enter its UUID, e.g. ${EXAMPLE_UUID}.`,
		);
	}
	return value;
}

export function readConversationId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readUuid(ctx, itemIndex, 'conversationId', 'Conversation ID');
}

export function clientFor(ctx: IExecuteFunctions, itemIndex: number): ApiClient {
	return awardeeClient(ctx, readClientOptions(ctx, itemIndex));
}

/**
 * The conversation as the user asked to see it. Awardee's conversation object has no tags, so in the
 * normalized and simplified modes they are loaded from `/conversations/{id}/tags` when asked for.
 */
export async function renderAwardeeConversation(
	client: ApiClient,
	mode: OutputMode,
	raw: IDataObject,
	includeTags: boolean,
): Promise<IDataObject> {
	const tags = includeTags && mode === 'normalized' ? await fetchConversationTags(client, String(raw.id)) : null;
	return renderConversation(mode, normalizeConversation(raw, tags), raw);
}
