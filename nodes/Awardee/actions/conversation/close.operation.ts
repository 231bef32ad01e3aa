import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { patchConversation } from '../../transport';
import { clientFor, conversationIdProperty, readConversationId, renderAwardeeConversation } from '../common';

const properties: INodeProperties[] = [conversationIdProperty, outputProperty('conversation'), requestOptionsProperty];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['close'] } }, properties);

/** Closing is Awardee's "done, not necessarily solved" status; Update sets Resolved or Archived. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const client = clientFor(this, itemIndex);
	const raw = await patchConversation(client, conversationId, { status: 'closed' });
	return await renderAwardeeConversation(client, readOutputMode(this, itemIndex), raw, true);
}
