import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalizeMessage } from '../../normalize';
import { listThread, threadListProperties } from '../threadList';

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getAll'] } }, threadListProperties('message'));

/** The thread oldest first: visitor turns, bot and agent replies, and system markers. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listThread(this, itemIndex, 'messages', normalizeMessage);
}
