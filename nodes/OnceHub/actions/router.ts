import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/execute';
import type { Operation } from '../../shared/operation';
import * as getBooking from './booking/get.operation';
import * as getAllBookings from './booking/getAll.operation';
import * as getContact from './contact/get.operation';
import * as getAllContacts from './contact/getAll.operation';
import * as updateContact from './contact/update.operation';
import * as getByBooking from './conversation/getByBooking.operation';
import * as getUser from './user/get.operation';
import * as getAllUsers from './user/getAll.operation';

export const operations: Record<string, Record<string, Operation>> = {
	booking: { get: getBooking, getAll: getAllBookings },
	contact: { get: getContact, getAll: getAllContacts, update: updateContact },
	conversation: { getByBooking },
	user: { get: getUser, getAll: getAllUsers },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await runPerItem(this, (itemIndex) => selected.execute.call(this, itemIndex))];
}
