import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isPlainObject } from '../../../shared/normalize';
import { renderConversation } from '../../../shared/output';
import { outputProperty, readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { normalizeConversation } from '../../normalize';
import { fetchBooking } from '../../transport';
import { clientFor, idLocator, readId } from '../common';

const properties: INodeProperties[] = [
	idLocator(
		'booking',
		'bookingId',
		'The booking the conversation led to. A booking made without a chatbot conversation gives no output item.',
	),
	outputProperty('conversation'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getByBooking'] } }, properties);

/**
 * OnceHub's API has no conversation endpoint; a conversation is reachable only through the booking it led to,
 * expanded with `expand=conversation`. A booking that did not come from a conversation is normal, not an error.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const bookingId = readId(this, itemIndex, 'bookingId', 'booking');
	const booking = await fetchBooking(clientFor(this, itemIndex), bookingId, 'conversation');
	const conversation = booking.conversation;
	if (conversation === null || conversation === undefined || conversation === '') return [];
	if (!isPlainObject(conversation)) {
		throw new NodeOperationError(
			this.getNode(),
			`OnceHub returned only the ID of booking ${bookingId}'s conversation (${String(conversation)}), not the conversation`,
			{
				description:
					'OnceHub did not expand the conversation for this booking. Use the Booking → Get operation with Output "Raw" to see what it returned.',
				itemIndex,
			},
		);
	}
	return [renderConversation(readOutputMode(this, itemIndex), normalizeConversation(conversation), conversation)];
}
