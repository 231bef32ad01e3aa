/**
 * The floor inside n8n: a node that does nothing but walk the given pages with n8n's own
 * `httpRequestWithAuthentication` and the same credential, emitting each listed object as it came. No retries,
 * no pace, no checks, no normalization: what any node must pay for the same requests.
 */
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, INodeType } from 'n8n-workflow';

export interface FloorPlan {
	baseUrl: string;
	pages: Array<{ path: string; query: Record<string, string> }>;
	itemsOf(body: unknown): unknown[];
}

export function floorNode(plan: FloorPlan, credentialType: string): INodeType {
	return {
		description: {
			displayName: 'Floor',
			name: 'floor',
			group: ['transform'],
			version: 1,
			description: 'Bench floor',
			defaults: { name: 'Floor' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const out: INodeExecutionData[] = [];
			for (const page of plan.pages) {
				const options: IHttpRequestOptions = {
					method: 'GET',
					url: plan.baseUrl + page.path,
					qs: page.query,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				};
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, options)) as {
					statusCode: number;
					body: unknown;
				};
				if (response.statusCode !== 200) throw new Error(`the floor's GET ${page.path} answered ${response.statusCode}`);
				for (const item of plan.itemsOf(response.body)) out.push({ json: item as INodeExecutionData['json'], pairedItem: { item: 0 } });
			}
			return [out];
		},
	} as unknown as INodeType;
}
