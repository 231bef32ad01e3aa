import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operations, route } from './actions/router';
import { getTags, searchConversations, searchMembers, searchTags } from './methods';

const operationProperties = Object.values(operations).flatMap((byName) =>
	Object.values(byName).flatMap((operation) => operation.description),
);

export class Awardee implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Awardee',
		name: 'awardee',
		icon: { light: 'file:../../icons/awardee.svg', dark: 'file:../../icons/awardee.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, answer, assign and tag Awardee chatbot conversations',
		defaults: { name: 'Awardee' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'awardeeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'conversation',
				options: [
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Message', value: 'message' },
					{ name: 'Note', value: 'note' },
					{ name: 'Tag', value: 'tag' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['conversation'] } },
				default: 'get',
				options: [
					{ name: 'Add Tags', value: 'addTags', action: 'Add tags to a conversation', description: 'Add tags, keeping the ones it has' },
					{ name: 'Assign', value: 'assign', action: 'Assign a conversation', description: 'Assign to a team member, or unassign' },
					{ name: 'Close', value: 'close', action: 'Close a conversation', description: 'Set the status to Closed' },
					{ name: 'Get', value: 'get', action: 'Get a conversation', description: 'Get one conversation' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many conversations', description: 'List conversations, newest first' },
					{ name: 'Remove Tags', value: 'removeTags', action: 'Remove tags from a conversation', description: 'Remove tags, keeping the others' },
					{ name: 'Reply', value: 'reply', action: 'Reply to a conversation', description: 'Send an agent reply (takes over from the bot)' },
					{ name: 'Set Tags', value: 'setTags', action: 'Set the tags of a conversation', description: 'Replace all tags' },
					{ name: 'Update', value: 'update', action: 'Update a conversation', description: 'Change status, priority, title or contact' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['message'] } },
				default: 'getAll',
				options: [
					{ name: 'Get Many', value: 'getAll', action: 'Get many messages', description: 'List the messages of a conversation' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['note'] } },
				default: 'create',
				options: [
					{ name: 'Create', value: 'create', action: 'Create a note', description: 'Add an internal note to a conversation' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many notes', description: 'List the internal notes of a conversation' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['tag'] } },
				default: 'getAll',
				options: [
					{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Add a tag to the palette' },
					{ name: 'Delete', value: 'delete', action: 'Delete a tag', description: 'Delete a tag from the palette and every conversation' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many tags', description: 'List the tag palette' },
				],
			},
			...operationProperties,
		],
	};

	methods = {
		listSearch: { searchConversations, searchMembers, searchTags },
		loadOptions: { getTags },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
