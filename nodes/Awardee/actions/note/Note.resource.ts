import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as create from './create.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { create, getAll };

export const description: INodeProperties[] = resourceDescription('note', 'create', [
	{ name: 'Create', value: 'create', action: 'Create a note', description: 'Add an internal note to a conversation' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many notes', description: 'List the internal notes of a conversation' },
], operations);
