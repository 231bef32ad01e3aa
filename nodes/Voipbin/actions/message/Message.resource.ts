import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		default: 'getAll',
		options: [
			{ name: 'Get Many', value: 'getAll', action: 'Get many messages', description: 'List the messages of a conversation, newest first' },
		],
	},
	...getAll.description,
];
