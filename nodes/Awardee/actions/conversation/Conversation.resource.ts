import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as addTags from './addTags.operation';
import * as assign from './assign.operation';
import * as close from './close.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeTags from './removeTags.operation';
import * as reply from './reply.operation';
import * as setTags from './setTags.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { addTags, assign, close, get, getAll, removeTags, reply, setTags, update };

export const description: INodeProperties[] = resourceDescription('conversation', 'get', [
	{ name: 'Add Tags', value: 'addTags', action: 'Add tags to a conversation', description: 'Add tags, keeping the ones it has' },
	{ name: 'Assign', value: 'assign', action: 'Assign a conversation', description: 'Assign to a team member, or unassign' },
	{ name: 'Close', value: 'close', action: 'Close a conversation', description: 'Set the status to Closed' },
	{ name: 'Get', value: 'get', action: 'Get a conversation', description: 'Get one conversation' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many conversations', description: 'List conversations, newest first' },
	{ name: 'Remove Tags', value: 'removeTags', action: 'Remove tags from a conversation', description: 'Remove tags, keeping the others' },
	{ name: 'Reply', value: 'reply', action: 'Reply to a conversation', description: 'Send an agent reply (takes over from the bot)' },
	{ name: 'Set Tags', value: 'setTags', action: 'Set the tags of a conversation', description: 'Replace all tags' },
	{ name: 'Update', value: 'update', action: 'Update a conversation', description: 'Change status, priority, title or contact' },
], operations);
