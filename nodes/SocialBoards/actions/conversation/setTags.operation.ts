import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeTags, tagChangeProperties } from './tagChange';

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['setTags'] } }, tagChangeProperties('set'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeTags(this, itemIndex, 'set');
}
