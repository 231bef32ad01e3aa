import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/execute';
import type { Operation } from '../../shared/operation';
import * as conversation from './conversation/Conversation.resource';
import * as message from './message/Message.resource';

const operations: Record<string, Record<string, Operation>> = {
	conversation: {
		assign: conversation.assign,
		get: conversation.get,
		getAll: conversation.getAll,
		reply: conversation.reply,
		update: conversation.update,
	},
	message: { getAll: message.getAll },
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
