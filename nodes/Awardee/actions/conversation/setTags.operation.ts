import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { forOperations } from '../../../shared/operation';
import { changeTags, tagChangeProperties } from './tagChange';

export const description = forOperations('conversation', ['setTags'], tagChangeProperties('set'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeTags(this, itemIndex, 'set');
}
