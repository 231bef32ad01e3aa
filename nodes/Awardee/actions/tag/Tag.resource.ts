import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as create from './create.operation';
import * as deleteTag from './delete.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { create, delete: deleteTag, getAll };

export const description: INodeProperties[] = resourceDescription('tag', 'getAll', [
	{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Add a tag to the palette' },
	{ name: 'Delete', value: 'delete', action: 'Delete a tag', description: 'Delete a tag from the palette and every conversation' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many tags', description: 'List the tag palette' },
], operations);
