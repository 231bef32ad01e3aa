import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { getAll };

export const description: INodeProperties[] = resourceDescription('message', 'getAll', [
	{ name: 'Get Many', value: 'getAll', action: 'Get many messages', description: 'List the messages of a chat, newest first' },
], operations);
