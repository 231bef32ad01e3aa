import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	readOutputMode,
	readParameter,
	requestOptionsProperty,
} from '../../../shared/parameters';
import { normalizeBooking, simplifyBooking } from '../../normalize';
import { fetchBooking } from '../../transport';
import { clientFor, idLocator, readId, recordOutputProperty } from '../common';
import { renderRecord } from '../../../shared/output';

const properties: INodeProperties[] = [
	idLocator('booking', 'bookingId'),
	recordOutputProperty('booking'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Conversation',
				name: 'includeConversation',
				type: 'boolean',
				default: true,
				description:
					'Whether to ask OnceHub to expand the chatbot conversation the booking came from (same request)',
			},
		],
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const bookingId = readId(this, itemIndex, 'bookingId', 'booking');
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const expand = options.includeConversation === false ? undefined : 'conversation';
	const raw = await fetchBooking(clientFor(this, itemIndex), bookingId, expand);
	return renderRecord(readOutputMode(this, itemIndex), normalizeBooking(raw), simplifyBooking, raw);
}
