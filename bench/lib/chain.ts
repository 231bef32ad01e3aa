/**
 * A chain of nodes (Start → A → B …) run through n8n-core's WorkflowExecute, for figure 2, where n8n's own HTTP
 * Request and Split Out nodes run next to the package's node. Credentials are applied as the tests' harness
 * (test/harness/n8n.ts) and n8n's CredentialsHelper apply a declarative `authenticate`.
 */
import 'reflect-metadata';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

export interface ChainStep {
	type: string;
	typeVersion?: number;
	parameters: IDataObject;
	/** Credential type names this node uses. */
	credentials?: string[];
}

class StartNode {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Bench start',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: { getInputData(): INodeExecutionData[] }) {
		return [this.getInputData()];
	}
}

export class ChainRunner {
	private readonly nodeTypes: INodeTypes;
	private readonly credentialTypes: Map<string, ICredentialType>;

	constructor(
		registry: Record<string, INodeType | IVersionedNodeType>,
		credentialTypes: ICredentialType[],
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		const all: Record<string, INodeType | IVersionedNodeType> = { start: new StartNode() as unknown as INodeType, ...registry };
		const resolve = (type: string, version?: number) => {
			const nodeType = all[type];
			if (!nodeType) throw new Error(`no node type ${type}`);
			return 'nodeVersions' in nodeType ? nodeType.getNodeType(version) : nodeType;
		};
		this.nodeTypes = {
			getByName: (type: string) => resolve(type),
			getByNameAndVersion: (type: string, version?: number) => resolve(type, version),
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		this.credentialTypes = new Map(credentialTypes.map((type) => [type.name, type]));
	}

	/** Runs the chain on one empty item and returns the last node's first output. */
	async run(steps: ChainStep[]): Promise<INodeExecutionData[]> {
		const nodes: INode[] = [
			{ id: 'start', name: 'Start', type: 'start', typeVersion: 1, position: [0, 0], parameters: {} },
			...steps.map((step, index) => ({
				id: `step-${index}`,
				name: `Step ${index}`,
				type: step.type,
				typeVersion: step.typeVersion ?? 1,
				position: [200 * (index + 1), 0] as [number, number],
				parameters: step.parameters as INode['parameters'],
				credentials: Object.fromEntries((step.credentials ?? []).map((name) => [name, { id: '1', name }])),
			})),
		];
		const connections: IDataObject = {};
		nodes.slice(0, -1).forEach((node, index) => {
			connections[node.name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
		});
		const workflow = new Workflow({
			id: 'wf-chain',
			name: 'chain',
			nodes,
			connections: connections as never,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData: {},
			settings: { executionOrder: 'v1' },
		});
		const hooks = new ExecutionLifecycleHooks('manual', '1', { id: workflow.id, name: workflow.name, nodes, connections, active: false, settings: {} } as never);
		let finish!: (run: IRun) => void;
		const finished = new Promise<IRun>((resolve) => (finish = resolve));
		hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
		const runData = {
			startData: {},
			resultData: { runData: {} },
			executionData: {
				contextData: {},
				metadata: {},
				waitingExecution: {},
				waitingExecutionSource: null,
				nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
			},
		} as unknown as IRunExecutionData;
		await new WorkflowExecute(this.additionalData(hooks), 'manual', runData).processRunExecutionData(workflow);
		const run = await finished;
		const last = nodes[nodes.length - 1].name;
		const error = run.data.resultData.error ?? run.data.resultData.runData[last]?.[0]?.error;
		if (run.status !== 'success' || error) throw new Error(`the chain ${steps.map((step) => step.type).join(' → ')} failed: ${error?.message ?? run.status}`);
		return run.data.resultData.runData[last]?.[0]?.data?.main?.[0] ?? [];
	}

	private additionalData(hooks: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		return {
			executionId: '1',
			variables: {},
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost/',
			webhookBaseUrl: 'https://hooks.example.com/webhook',
			webhookWaitingBaseUrl: 'https://hooks.example.com/webhook-waiting',
			webhookTestBaseUrl: 'https://hooks.example.com/webhook-test',
			formWaitingBaseUrl: 'http://localhost/form-waiting',
			currentNodeParameters: undefined,
			hooks,
			credentialsHelper: {
				getParentTypes: () => [],
				isCredentialUsableByNode: () => true,
				getCredentialsProperties: (type: string) => this.credentialTypes.get(type)?.properties ?? [],
				preAuthentication: async () => undefined,
				getDecrypted: async (_data: unknown, _node: unknown, type: string) => this.decrypt(type),
				authenticate: async (credentials: ICredentialDataDecryptedObject, type: string, options: IHttpRequestOptions, workflow: Workflow, node: INode) =>
					this.authenticate(credentials, type, options, workflow, node),
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private decrypt(type: string): ICredentialDataDecryptedObject {
		const defaults = Object.fromEntries((this.credentialTypes.get(type)?.properties ?? []).map((p) => [p.name, p.default]));
		return { ...defaults, ...this.credentials[type] } as ICredentialDataDecryptedObject;
	}

	/** What n8n's CredentialsHelper.authenticate does for a declarative (`generic`) credential. */
	private async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, options: IHttpRequestOptions, workflow: Workflow, node: INode) {
		const authenticate = this.credentialTypes.get(typeName)?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate?.type !== 'generic') return options;
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials } as never, undefined, '')
				: value;
		const sections = options as unknown as Record<string, IDataObject>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			sections[section] ??= {};
			for (const [key, value] of Object.entries(entries as IDataObject)) sections[section][String(resolve(key))] = resolve(value) as string;
		}
		return options;
	}
}
