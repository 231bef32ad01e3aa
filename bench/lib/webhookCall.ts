/**
 * Calls a trigger's `webhook()` with n8n-core's own WebhookContext, as n8n's webhook service does for each
 * request, without running the workflow afterwards: what figure 6 times is the delivery pipeline itself (read,
 * verify, de-duplicate, normalize).
 */
import 'reflect-metadata';
import { WebhookContext } from 'n8n-core';
import type { IDataObject, INode, INodeType, INodeTypes, IWebhookData, IWebhookResponseData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ACTIVATION_MARK } from '../../nodes/shared/webhook/trigger';
import { StoredStaticData } from '../../test/harness/n8n';

export interface SignedRequest {
	headers: Record<string, string>;
	rawBody: string;
	body: unknown;
}

export interface PreparedRequest {
	headers: Record<string, string>;
	rawBody: Buffer;
	body: IDataObject;
}

export function prepare(request: SignedRequest): PreparedRequest {
	return {
		headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
		rawBody: Buffer.from(request.rawBody),
		body: request.body as IDataObject,
	};
}

/**
 * One trigger node as n8n's live webhooks serve it: per request a new Workflow over the static data loaded from
 * the store, a new WebhookContext, then `webhook()`. Only the context and the `webhook()` call are timed: the
 * Workflow is n8n's cost, built before the clock starts.
 *
 * The static data is that of an activated trigger (activation leaves its mark, which n8n saves), and it is saved
 * back after every delivery: n8n 2.41.1 saves it itself when a delivery starts no execution, and otherwise the
 * execution does when it ends, holding the event keys the trigger's `execute()` records (the same keys
 * `webhook()` wrote). So, as in a running n8n, the de-duplication window in static data fills up to its capacity
 * and every delivery reads and updates a full window.
 */
export class TriggerDriver {
	private readonly node: INode;
	private readonly nodeTypes: INodeTypes;
	private readonly webhookData: IWebhookData;
	private readonly store = new StoredStaticData();

	constructor(
		private readonly nodeType: INodeType,
		type: string,
		parameters: IDataObject,
	) {
		this.nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		this.node = {
			id: 'trigger-under-bench',
			name: 'Trigger',
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			webhookId: 'hook-under-bench',
		};
		const description = nodeType.description.webhooks!.find((webhook) => webhook.httpMethod === 'POST')!;
		this.store.save({ [`node:${this.node.name}`]: { [ACTIVATION_MARK]: true } });
		this.webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			workflowId: 'wf-bench',
			webhookDescription: description,
			path: String(description.path),
			isTest: false,
		} as IWebhookData;
	}

	/** Delivers one request; `ns` is the time of the context and the `webhook()` call. */
	async deliver(request: PreparedRequest): Promise<{ statusCode: number; result: IWebhookResponseData; ns: bigint }> {
		const staticData = this.store.load();
		const workflow = new Workflow({
			id: 'wf-bench',
			name: 'bench',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
		const response = { statusCode: 200 };
		const httpResponse = {
			status(code: number) {
				response.statusCode = code;
				return this;
			},
			type() {
				return this;
			},
			json() {
				return this;
			},
			send() {
				return this;
			},
			end() {
				return this;
			},
		};
		const httpRequest = { method: 'POST', headers: request.headers, body: request.body, rawBody: request.rawBody, query: {}, params: {} };
		const additionalData = {
			executionId: '1',
			variables: {},
			webhookBaseUrl: 'https://hooks.example.com/webhook',
			webhookTestBaseUrl: 'https://hooks.example.com/webhook-test',
			webhookWaitingBaseUrl: 'https://hooks.example.com/webhook-waiting',
			httpRequest,
			httpResponse,
		} as unknown as IWorkflowExecuteAdditionalData;
		const started = process.hrtime.bigint();
		const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', this.webhookData, [], null);
		const result = await this.nodeType.webhook!.call(context);
		const ns = process.hrtime.bigint() - started;
		this.store.save(workflow.staticData as IDataObject);
		return { statusCode: response.statusCode, result, ns };
	}
}
