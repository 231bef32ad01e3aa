import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../../shared/execute';
import { isPlainObject } from '../../shared/normalize';
import { UUID_PATTERN, idLocatorProperty, readIdParameter, uuidLocatorProperty } from '../../shared/parameters';

const EXAMPLE_ID = '2555100';
const EXAMPLE_LINK = 'https://inbox.socialboards.com/exampleshop/tickets?ticketId=2555100';
const EXAMPLE_TEAMMATE = '31aee6af-3e38-40d9-98b1-aa2b9238f24d';

/** The inbox link of a conversation (its ticket), as SocialBoards' events carry it: `…/<community>/tickets?ticketId=N`. */
const INBOX_LINK_SOURCE = '^https?://[^/?#]+/[^/?#]+/tickets/?\\?(?:[^#]*&)?ticketId=([1-9]\\d{0,15})(?:[&#].*)?$';
const INBOX_LINK = new RegExp(INBOX_LINK_SOURCE, 'i');

/** Conversation ids are positive integers (a chat's id is its ticket's). */
export const conversationIdProperty: INodeProperties = idLocatorProperty({
	displayName: 'Conversation',
	name: 'conversationId',
	searchListMethod: 'searchConversations',
	idPattern: {
		regex: '^\\s*[1-9]\\d{0,15}\\s*$',
		errorMessage: 'Not a SocialBoards conversation ID (a whole number, e.g. 2555100)',
		placeholder: `e.g. ${EXAMPLE_ID}`,
	},
	urlPattern: { regex: INBOX_LINK_SOURCE, extract: INBOX_LINK_SOURCE, placeholder: `e.g. ${EXAMPLE_LINK}` },
});

/** A teammate (a Guid from `GET /Teammates`, A10): From list, then By ID; SocialBoards gives teammates no web address. */
export function teammateLocator(displayName: string, name: string, description: string): INodeProperties {
	return {
		...uuidLocatorProperty({
			displayName,
			name,
			searchListMethod: 'searchTeammates',
			what: 'SocialBoards teammate',
			example: EXAMPLE_TEAMMATE,
			optional: true,
		}),
		description,
	};
}

/**
 * The conversation's id from the locator: digits (By ID, From list) or the `ticketId` of an inbox link (By URL),
 * refused before any request unless it is a positive whole number.
 */
export function readConversationId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value: unknown = ctx.getNodeParameter('conversationId', itemIndex, '');
	if (isPlainObject(value) && value.mode === 'url') {
		const link = typeof value.value === 'string' ? value.value.trim() : '';
		const match = INBOX_LINK.exec(link);
		if (!match) {
			throw invalidInput(
				ctx,
				itemIndex,
				link === '' ? 'Conversation URL is empty' : `Conversation URL "${link.slice(0, 80)}" is not a SocialBoards inbox link`,
				`Paste the conversation’s link from the inbox, e.g. ${EXAMPLE_LINK}, or choose By ID.`,
			);
		}
		return match[1];
	}
	const id = readIdParameter(ctx, itemIndex, 'conversationId', 'Conversation ID', 'integer');
	if (id === '') {
		throw invalidInput(ctx, itemIndex, 'Conversation ID is empty', `Pick the conversation from the list, or enter its number, e.g. ${EXAMPLE_ID}.`);
	}
	return id;
}

/** A teammate's Guid, or null when the field is empty (which unassigns, or leaves the choice to SocialBoards). */
export function readTeammateId(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): string | null {
	const id = readIdParameter(ctx, itemIndex, name, label);
	if (id === '') return null;
	if (!UUID_PATTERN.test(id)) {
		throw invalidInput(
			ctx,
			itemIndex,
			`${label} "${id.slice(0, 80)}" is not a SocialBoards teammate ID`,
			`Pick the teammate from the list, or enter their ID (a UUID), e.g. ${EXAMPLE_TEAMMATE}.`,
		);
	}
	return id.toLowerCase();
}
