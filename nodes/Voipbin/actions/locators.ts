import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../../shared/execute';
import { readIdParameter, uuidLocatorProperty } from '../../shared/parameters';
import { VOIPBIN_UUID } from '../transport';

const EXAMPLE_UUID = 'a7bc12b7-f95c-43e6-82a1-38f4b7ff9b3f';

/**
 * A UUID resource locator: From list, then By ID. VoIPbin has no web address for a conversation or an agent, so
 * there is no By URL. An optional locator also accepts an empty ID (the editor validates ID mode).
 */
export function uuidLocator(
	displayName: string,
	name: string,
	searchListMethod: string,
	what: string,
	optional = false,
): INodeProperties {
	return uuidLocatorProperty({ displayName, name, searchListMethod, what, example: EXAMPLE_UUID, optional });
}

export const conversationIdProperty = uuidLocator('Conversation', 'conversationId', 'searchConversations', 'VoIPbin conversation');

/** Reads a UUID from a resource locator or a plain string, and refuses anything else before any request. */
export function readUuid(ctx: IExecuteFunctions, itemIndex: number, value: unknown, label: string): string {
	const text = String(value ?? '').trim();
	if (!VOIPBIN_UUID.test(text)) {
		throw invalidInput(
			ctx,
			itemIndex,
			text === '' ? `${label} is empty` : `${label} "${text}" is not a VoIPbin ID`,
			`Pick it from the list, or enter its UUID, e.g. ${EXAMPLE_UUID}.`,
		);
	}
	return text.toLowerCase();
}

export function readConversationId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readUuid(ctx, itemIndex, readIdParameter(ctx, itemIndex, 'conversationId', 'Conversation ID'), 'Conversation ID');
}
