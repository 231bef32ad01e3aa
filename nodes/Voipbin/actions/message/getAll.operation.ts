import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { messageRenderer } from '../../../shared/output';
import { messageGetAllDescription, readThreadListing } from '../../../shared/threadList';
import { normalizeMessage } from '../../normalize';
import { listAll } from '../../transport';
import { clientFor } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

export const description = messageGetAllDescription(conversationIdProperty);

/** Newest first, as VoIPbin lists them, so that a Limit keeps the latest messages. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { conversationId, mode, client, take } = readThreadListing(this, itemIndex, { readConversationId, clientFor });
	return await listAll(
		client,
		`/conversations/${conversationId}/messages`,
		take,
		{},
		`Conversation ${conversationId}`,
		messageRenderer(mode, (raw) => normalizeMessage(raw, conversationId)),
	);
}
