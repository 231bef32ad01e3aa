import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeToOperation } from '../shared/operation';
import * as conversation from './actions/conversation/Conversation.resource';
import * as message from './actions/message/Message.resource';
import { searchAgents, searchConversations } from './methods';

const resources = { conversation: conversation.operations, message: message.operations };

export class Voipbin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VoIPbin',
		name: 'voipbin',
		icon: { light: 'file:../../icons/voipbin.svg', dark: 'file:../../icons/voipbin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, answer and assign VoIPbin SMS and LINE conversations',
		defaults: { name: 'VoIPbin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'voipbinApi', required: true }],
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
		listSearch: { searchAgents, searchConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeToOperation(this, resources);
	}
}
