import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeTags, tagChangeProperties } from './tagChange';

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['removeTags'] } }, tagChangeProperties('remove'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeTags(this, itemIndex, 'remove');
}
