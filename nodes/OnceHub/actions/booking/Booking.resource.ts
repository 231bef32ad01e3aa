import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { get, getAll };

export const description: INodeProperties[] = resourceDescription('booking', 'get', [
	{ name: 'Get', value: 'get', action: 'Get a booking', description: 'Get one booking, with the conversation it came from' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many bookings', description: 'List bookings, newest first, for example those of one contact' },
], operations);
