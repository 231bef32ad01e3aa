import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requestOptionsProperty } from '../../../shared/parameters';
import { clientFor, readUuid, uuidLocator } from '../common';

const properties: INodeProperties[] = [
	{
		...uuidLocator('Tag', 'tagId', 'searchTags', 'Awardee tag'),
		description: 'Deleting a tag also removes it from every conversation that has it',
	},
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const tagId = readUuid(this, itemIndex, 'tagId', 'Tag ID');
	await clientFor(this, itemIndex).request({
		method: 'DELETE',
		path: `/conversation-tags/${tagId}`,
		resource: `Tag ${tagId}`,
	});
	return { id: tagId, deleted: true };
}
