import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { get, getAll, update };

export const description: INodeProperties[] = resourceDescription('contact', 'get', [
	{ name: 'Get', value: 'get', action: 'Get a contact', description: 'Get one contact, such as a conversation’s visitor' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many contacts', description: 'List contacts, newest first' },
	{ name: 'Update', value: 'update', action: 'Update a contact', description: 'Change a contact’s name, company, status or other fields' },
], operations);
