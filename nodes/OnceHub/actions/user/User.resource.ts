import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { get, getAll };

export const description: INodeProperties[] = resourceDescription('user', 'get', [
	{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user, such as a conversation’s owner' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List the users of the account' },
], operations);
