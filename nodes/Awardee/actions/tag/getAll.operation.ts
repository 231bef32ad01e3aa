import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { forOperations } from '../../../shared/operation';
import { readTake, limitProperty, requestOptionsProperty, returnAllProperty } from '../../../shared/parameters';
import { listByOffset } from '../../transport';
import { clientFor } from '../common';
import { tagOutput } from './common';

const properties: INodeProperties[] = [returnAllProperty, limitProperty, requestOptionsProperty];

export const description = forOperations('tag', ['getAll'], properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const tags = await listByOffset(clientFor(this, itemIndex), '/conversation-tags', readTake(this, itemIndex));
	return tags.map(tagOutput);
}
