import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeToOperation } from '../shared/operation';
import * as conversation from './actions/conversation/Conversation.resource';
import * as message from './actions/message/Message.resource';
import * as note from './actions/note/Note.resource';
import * as tag from './actions/tag/Tag.resource';
import { getTags, searchConversations, searchMembers, searchTags } from './methods';

const resources = { conversation: conversation.operations, message: message.operations, note: note.operations, tag: tag.operations };

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
			...conversation.description,
			...message.description,
			...note.description,
			...tag.description,
		],
	};

	methods = {
		listSearch: { searchConversations, searchMembers, searchTags },
		loadOptions: { getTags },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeToOperation(this, resources);
	}
}
