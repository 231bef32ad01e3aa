/**
 * Stand-ins for the n8n core nodes that sit between a trigger and an action in real workflows, each pairing
 * its output items the way the node it stands for does (n8n-nodes-base is not a dependency of this package).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

function describe(name: string, properties: INodeTypeDescription['properties'] = []): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: name,
		defaults: { name },
		inputs: ['main'],
		outputs: ['main'],
		properties,
	} as unknown as INodeTypeDescription;
}

/** Like Edit Fields (Set): adds `field` = `value` to every item, each paired to its input. */
export class EditFieldsNode implements INodeType {
	description = describe('editFields', [
		{ displayName: 'Field', name: 'field', type: 'string', default: 'edited' },
		{ displayName: 'Value', name: 'value', type: 'string', default: 'yes' },
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => ({
				json: { ...item.json, [this.getNodeParameter('field', index) as string]: this.getNodeParameter('value', index) },
				pairedItem: { item: index },
			})),
		];
	}
}

/** Like Split Out: one item per comma-separated entry of `parts`, each paired to the item it came from. */
export class SplitNode implements INodeType {
	description = describe('split', [{ displayName: 'Parts', name: 'parts', type: 'string', default: '' }]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().flatMap((item, index) =>
				String(this.getNodeParameter('parts', index))
					.split(',')
					.map((part) => ({ json: { ...item.json, part: part.trim() }, pairedItem: { item: index } })),
			),
		];
	}
}

/** Like Aggregate: one item holding every input item, paired to all of them. */
export class AggregateNode implements INodeType {
	description = describe('aggregate');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [
			[
				{
					json: { ...items[0].json, items: items.map((item) => item.json) as IDataObject[] },
					pairedItem: items.map((_, index) => ({ item: index })),
				},
			],
		];
	}
}

/**
 * Like a Code node that returns new objects: one more item than it got, none of them paired, so n8n can
 * trace none of them back (with as many items out as in, n8n would pair them by position itself).
 */
export class RebuildNode implements INodeType {
	description = describe('rebuild');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [[...items, items[items.length - 1]].map((item) => ({ json: { ...item.json } }))];
	}
}

export const pipelineNodes = {
	editFields: new EditFieldsNode(),
	split: new SplitNode(),
	aggregate: new AggregateNode(),
	rebuild: new RebuildNode(),
};
