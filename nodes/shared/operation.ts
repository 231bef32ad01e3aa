import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from './execute';

/** One operation of an action node: its parameters and what it does for one input item. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** A resource's operation picker followed by the parameters of each of its operations. */
export function resourceDescription(
	resource: string,
	defaultOperation: string,
	options: INodePropertyOptions[],
	operations: Record<string, Operation>,
): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			default: defaultOperation,
			options,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}

/** Runs the chosen operation of the chosen resource once per input item. */
export async function routeToOperation(
	ctx: IExecuteFunctions,
	resources: Record<string, Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const selected = resources[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await runPerItem(ctx, (itemIndex) => selected.execute.call(ctx, itemIndex))];
}
