import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** One operation of an action node: its parameters and what it does for one input item. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** Shows a set of parameters only for one resource and some of its operations. */
export function forOperations(
	resource: string,
	operations: string[],
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: operations },
		},
	}));
}
