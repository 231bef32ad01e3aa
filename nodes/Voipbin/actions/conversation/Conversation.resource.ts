import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as assign from './assign.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as reply from './reply.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { get, getAll, update, assign, reply };

/** No tag, close or delete operations: VoIPbin's API has none for conversations. */
export const description: INodeProperties[] = resourceDescription('conversation', 'get', [
	{ name: 'Assign', value: 'assign', action: 'Assign a conversation', description: 'Assign to an agent, or unassign' },
	{ name: 'Get', value: 'get', action: 'Get a conversation', description: 'Get one conversation' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many conversations', description: 'List conversations, newest first' },
	{ name: 'Reply', value: 'reply', action: 'Reply to a conversation', description: 'Send a message to the contact' },
	{ name: 'Update', value: 'update', action: 'Update a conversation', description: 'Change the name or detail' },
], operations);
