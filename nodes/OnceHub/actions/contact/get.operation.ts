import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readOutputMode, requestOptionsProperty } from '../../../shared/parameters';
import { normalizeContact, simplifyContact } from '../../normalize';
import { fetchContact } from '../../transport';
import { clientFor, idLocator, readId, recordOutputProperty } from '../common';
import { renderRecord } from '../../../shared/output';

const properties: INodeProperties[] = [
	idLocator('contact', 'contactId', 'The contact, such as the visitor of a conversation (its contact ID)'),
	recordOutputProperty('contact'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = readId(this, itemIndex, 'contactId', 'contact');
	const raw = await fetchContact(clientFor(this, itemIndex), contactId);
	return renderRecord(readOutputMode(this, itemIndex), normalizeContact(raw), simplifyContact, raw);
}
