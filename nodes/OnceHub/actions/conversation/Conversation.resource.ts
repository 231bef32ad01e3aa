import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/operation';
import { resourceDescription } from '../../../shared/operation';
import * as getByBooking from './getByBooking.operation';

export const operations: Record<string, Operation> = { getByBooking };

export const description: INodeProperties[] = resourceDescription('conversation', 'getByBooking', [
	{
		name: 'Get by Booking',
		value: 'getByBooking',
		action: 'Get the conversation of a booking',
		description: 'Get the chatbot conversation a booking came from',
	},
], operations);
