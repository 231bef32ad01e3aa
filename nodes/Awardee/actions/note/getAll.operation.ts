import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalizeNote } from '../../normalize';
import { listThread, threadListProperties } from '../threadList';

export const description = updateDisplayOptions({ show: { resource: ['note'], operation: ['getAll'] } }, threadListProperties('note'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listThread(this, itemIndex, 'notes', normalizeNote);
}
