import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireObject } from '../../shared/normalize';
import { messageRenderer } from '../../shared/output';
import { readThreadListing, threadListProperties as conversationThreadProperties } from '../../shared/threadList';
import type { Message } from '../../shared/types';
import { listByCursor } from '../transport';
import { clientFor, conversationIdProperty, readConversationId } from './common';

/** The parameters of a list that belongs to one conversation: its messages or its notes. */
export function threadListProperties(objectName: 'message' | 'note'): INodeProperties[] {
	return conversationThreadProperties(conversationIdProperty, objectName);
}

/** Pages through `/conversations/{id}/<collection>`, oldest first, each entry as a normalized message. */
export async function listThread(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: 'messages' | 'notes',
	normalize: (raw: IDataObject, conversationId: string) => Message,
): Promise<IDataObject[]> {
	const { conversationId, mode, client, take } = readThreadListing(ctx, itemIndex, { readConversationId, clientFor });
	const objectName = collection === 'messages' ? 'a message' : 'a note';
	return await listByCursor(
		client,
		`/conversations/${conversationId}/${collection}`,
		take,
		{},
		messageRenderer(mode, (raw) => normalize(raw, conversationId), (raw) => requireObject('Awardee', objectName, raw)),
	);
}
