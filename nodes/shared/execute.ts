import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** A refusal of bad input, before any request: names the item and says how to fix it. */
export function invalidInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] ${message}`, {
		description: fix,
		itemIndex,
	});
}

/**
 * Runs one operation per input item. Every item yields output items or, with Continue On Fail, one error
 * item; each carries `pairedItem`, so no item is lost and n8n can trace every result back to its input.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation(itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error);
			const failure = error as { message: string; description?: string | null; httpCode?: string | null };
			output.push({
				json: {
					error: failure.message,
					...(failure.description ? { description: failure.description } : {}),
					...(failure.httpCode ? { httpCode: failure.httpCode } : {}),
					itemIndex,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}

/** Errors leave a node as n8n errors: ours pass unchanged, anything unexpected is wrapped. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}
