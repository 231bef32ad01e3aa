import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redactError, redactValue, secretsOf } from './transport/redact';

/** How much of a value an error message quotes; the rest is cut with an ellipsis. */
const MAX_QUOTED = 80;

/** How many entries of a list an error message names before it counts the rest. */
const MAX_LISTED = 10;

/** A value as an error message quotes it: in quotes, and at most a line long. */
export function quoteInMessage(text: string): string {
	return `"${text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text}"`;
}

/** Names the first entries of a list and counts the rest: `"a", "b" … and 4,990 more`. */
export function listInMessage(entries: string[], max = MAX_LISTED): string {
	const named = entries.slice(0, max).map(quoteInMessage).join(', ');
	const rest = entries.length - max;
	return rest > 0 ? `${named} … and ${rest.toLocaleString('en-US')} more` : named;
}

/** What a wrongly typed input was, for a message: its type and a short form of it. */
export function describeValue(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (typeof value === 'string') return value.trim() === '' ? 'empty' : quoteInMessage(value);
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `the number ${String(value)}`;
	if (typeof value === 'boolean') return `the boolean ${String(value)}`;
	let json: string;
	try {
		json = JSON.stringify(value) ?? String(value);
	} catch {
		json = String(value);
	}
	const short = json.length > MAX_QUOTED ? `${json.slice(0, MAX_QUOTED - 1)}…` : json;
	return Array.isArray(value) ? `a list (${short})` : `an object (${short})`;
}

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
 * Output and errors pass the run's redaction, so no secret the run knows leaves the node.
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
			const secrets = secretsOf(ctx);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json: redactValue(json, secrets), pairedItem: { item: itemIndex } });
			}
		} catch (caught) {
			const error = redactError(asNodeError(ctx.getNode(), caught), secretsOf(ctx));
			if (!ctx.continueOnFail()) throw error;
			output.push({
				json: {
					error: error.message,
					...(error.description ? { description: error.description } : {}),
					...((error as { httpCode?: string | null }).httpCode ? { httpCode: (error as { httpCode?: string }).httpCode } : {}),
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
