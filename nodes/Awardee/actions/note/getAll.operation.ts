import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { forOperations } from '../../../shared/operation';
import { normalizeNote } from '../../normalize';
import { listThread, threadListProperties } from '../threadList';

export const description = forOperations('note', ['getAll'], threadListProperties('note'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listThread(this, itemIndex, 'notes', normalizeNote);
}
