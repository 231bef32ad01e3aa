import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeToOperation } from '../shared/operation';
import * as conversation from './actions/conversation/Conversation.resource';
import * as message from './actions/message/Message.resource';
import { getTags, searchConversations, searchTeammates } from './methods';

const resources = { conversation: conversation.operations, message: message.operations };

export class SocialBoards implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SocialBoards',
		name: 'socialBoards',
		icon: { light: 'file:../../icons/socialboards.svg', dark: 'file:../../icons/socialboards.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, answer, assign, tag and close SocialBoards chat conversations',
		defaults: { name: 'SocialBoards' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'socialBoardsApi', required: true }],
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
				],
			},
			...conversation.description,
			...message.description,
		],
	};

	methods = {
		listSearch: { searchConversations, searchTeammates },
		loadOptions: { getTags },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeToOperation(this, resources);
	}
}
