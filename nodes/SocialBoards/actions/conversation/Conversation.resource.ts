import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as addTags from './addTags.operation';
import * as assign from './assign.operation';
import * as close from './close.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getTakeover from './getTakeover.operation';
import * as removeTags from './removeTags.operation';
import * as reply from './reply.operation';
import * as setTags from './setTags.operation';
import * as setTakeover from './setTakeover.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = {
	get,
	getAll,
	update,
	reply,
	assign,
	close,
	getTakeover,
	setTakeover,
	addTags,
	removeTags,
	setTags,
};

/** One resource over both APIs: a chat conversation is a ticket with the same id. */
export const description: INodeProperties[] = resourceDescription('conversation', 'get', [
	{ name: 'Add Tags', value: 'addTags', action: 'Add tags to a conversation', description: 'Add tags, keeping the others' },
	{ name: 'Assign', value: 'assign', action: 'Assign a conversation', description: 'Assign to a teammate, or unassign' },
	{ name: 'Close', value: 'close', action: 'Close a conversation', description: 'Close the chat; its ticket becomes Closed' },
	{ name: 'Get', value: 'get', action: 'Get a conversation', description: 'Get one conversation, optionally with its latest messages' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many conversations', description: 'List the inbox’s conversations (tickets)' },
	{ name: 'Get Takeover', value: 'getTakeover', action: 'Get the takeover state of a conversation', description: 'Whether the bot or a person handles the chat' },
	{ name: 'Remove Tags', value: 'removeTags', action: 'Remove tags from a conversation', description: 'Remove tags, keeping the others' },
	{ name: 'Reply', value: 'reply', action: 'Reply to a conversation', description: 'Post a message in the chat as a teammate or as the bot' },
	{ name: 'Set Tags', value: 'setTags', action: 'Set the tags of a conversation', description: 'Replace all tags' },
	{ name: 'Set Takeover', value: 'setTakeover', action: 'Set the takeover state of a conversation', description: 'Take the chat over from the bot, or hand it back' },
	{ name: 'Update', value: 'update', action: 'Update a conversation', description: 'Change the ticket status' },
], operations);
