import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readTake, limitProperty, requestOptionsProperty, returnAllProperty } from '../../../shared/parameters';
import { listByOffset } from '../../transport';
import { clientFor } from '../common';
import { tagOutput } from './common';

const properties: INodeProperties[] = [returnAllProperty, limitProperty, requestOptionsProperty];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const tags = await listByOffset(clientFor(this, itemIndex), '/conversation-tags', readTake(this, itemIndex));
	return tags.map(tagOutput);
}
