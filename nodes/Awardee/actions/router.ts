import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/execute';
import type { Operation } from '../../shared/operation';
import * as addTags from './conversation/addTags.operation';
import * as assign from './conversation/assign.operation';
import * as close from './conversation/close.operation';
import * as getConversation from './conversation/get.operation';
import * as getAllConversations from './conversation/getAll.operation';
import * as removeTags from './conversation/removeTags.operation';
import * as reply from './conversation/reply.operation';
import * as setTags from './conversation/setTags.operation';
import * as update from './conversation/update.operation';
import * as getAllMessages from './message/getAll.operation';
import * as createNote from './note/create.operation';
import * as getAllNotes from './note/getAll.operation';
import * as createTag from './tag/create.operation';
import * as deleteTag from './tag/delete.operation';
import * as getAllTags from './tag/getAll.operation';

export const operations: Record<string, Record<string, Operation>> = {
	conversation: {
		addTags,
		assign,
		close,
		get: getConversation,
		getAll: getAllConversations,
		removeTags,
		reply,
		setTags,
		update,
	},
	message: { getAll: getAllMessages },
	note: { create: createNote, getAll: getAllNotes },
	tag: { create: createTag, delete: deleteTag, getAll: getAllTags },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await runPerItem(this, (itemIndex) => selected.execute.call(this, itemIndex))];
}
