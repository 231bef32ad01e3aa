/**
 * A small in-process n8n: runs our nodes through n8n-core's real WorkflowExecute, HookContext,
 * WebhookContext and LoadOptionsContext, with a credentials helper that applies each credential type's
 * declarative `authenticate` exactly as n8n's CLI does. No server, no database; HTTP goes to the simulators.
 */
import 'reflect-metadata';
import {
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IRunExecutionData,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

const START = 'Start';
const UNDER_TEST = 'Node';

/** Stand-in for n8n's Manual Trigger: hands its input items to the node under test. */
class StartNode implements INodeType {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Test start',
		defaults: { name: START },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: { getInputData(): INodeExecutionData[] }) {
		return [this.getInputData()];
	}
}

export interface HarnessSetup {
	/** Node classes by their type name, e.g. `awardee`. */
	nodes: Record<string, INodeType>;
	credentialTypes: ICredentialType[];
	/** Decrypted credential data by credential type name. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	webhookBaseUrl?: string;
}

export interface NodeRun {
	status: IRun['status'];
	/** The node's first output, items with their `json` and `pairedItem`. */
	items: INodeExecutionData[];
	error?: Error & { description?: string; httpCode?: string };
}

export interface WebhookRequest {
	headers: Record<string, string>;
	body: IDataObject;
	rawBody: Buffer | string;
	/** POST unless told otherwise; the node's webhook with this method answers. */
	method?: 'GET' | 'POST';
	query?: Record<string, string>;
}

/**
 * How n8n runs the execution a delivery starts. `regular`: in the process that took the request, over static
 * data read again from the database. `queue` (as n8n 2.41.1 does it, e2e/repro/static-data/queue.js): the
 * worker runs the execution over empty static data, whose save replaces the workflow's whole static data.
 * The request's own save is the same in both.
 */
export type Deployment = 'regular' | 'queue';

/** Where a workflow's static data is saved between requests: n8n's database. */
export interface StaticDataStore {
	load(): IDataObject;
	save(data: IDataObject): void;
}

/**
 * A workflow's saved static data, as n8n 2.41.1's database holds it: every webhook request and every
 * execution reads its own copy, and a save writes the whole object (the last save wins).
 */
export class StoredStaticData implements StaticDataStore {
	private stored = '{}';

	load(): IDataObject {
		return JSON.parse(this.stored) as IDataObject;
	}

	save(data: IDataObject): void {
		this.stored = JSON.stringify(data);
	}
}

/** A plain object standing for the saved static data: read as a copy, saved by replacing its members. */
function storeIn(saved: IDataObject): StaticDataStore {
	return {
		load: () => JSON.parse(JSON.stringify(saved)) as IDataObject,
		save(data) {
			const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
			for (const key of Object.keys(saved)) delete saved[key];
			Object.assign(saved, copy);
		},
	};
}

export interface WebhookRun {
	/** What n8n answered the vendor with. */
	statusCode: number;
	responseBody: unknown;
	/** Response headers the node set, by lower-case name. */
	headers: Record<string, string>;
	/** Whether a workflow execution started. */
	executed: boolean;
	/** The trigger's output items in that execution. */
	items: INodeExecutionData[];
	/** Every node's runs in that execution, by node name (empty when none started). */
	runData: IRunData;
}

/** A node that runs after the node under test; `downstream` lists are chained in order, output 0 to input 0. */
export interface DownstreamNode {
	name: string;
	type: string;
	parameters?: IDataObject;
}

function isStore(value: IDataObject | StaticDataStore): value is StaticDataStore {
	return typeof value.load === 'function' && typeof value.save === 'function';
}

export class N8nHarness {
	private readonly credentialTypes: Map<string, ICredentialType>;
	private readonly nodeTypes: INodeTypes;
	private readonly registry: Record<string, INodeType>;
	/** The credentials as saved: what `preAuthentication` returns is written here, as n8n writes it to its database. */
	private readonly stored: Record<string, ICredentialDataDecryptedObject>;

	constructor(private readonly setup: HarnessSetup) {
		this.credentialTypes = new Map(setup.credentialTypes.map((type) => [type.name, type]));
		this.stored = Object.fromEntries(Object.entries(setup.credentials).map(([type, data]) => [type, { ...data }]));
		this.registry = { start: new StartNode(), ...setup.nodes };
		this.nodeTypes = {
			getByName: (type: string) => this.registry[type],
			getByNameAndVersion: (type: string) => this.registry[type],
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
	}

	/** Runs Start → node with the given items, as a manual execution would. */
	async execute(
		type: string,
		parameters: IDataObject,
		items: IDataObject[] = [{}],
		options: { continueOnFail?: boolean } = {},
	): Promise<NodeRun> {
		const workflow = this.workflow(type, parameters, {}, { onError: options.continueOnFail ? 'continueRegularOutput' : undefined });
		const run = await this.runFrom(workflow, 'manual', START, items.map((json) => ({ json })));
		const nodeRun = run.data.resultData.runData[UNDER_TEST]?.[0];
		return {
			status: run.status,
			items: nodeRun?.data?.main?.[0] ?? [],
			error: (nodeRun?.error ?? run.data.resultData.error) as NodeRun['error'],
		};
	}

	/** Calls a webhook lifecycle method (`checkExists`, `create`, `delete`) with n8n's HookContext. */
	async hook(
		type: string,
		parameters: IDataObject,
		method: 'checkExists' | 'create' | 'delete',
		staticData: IDataObject,
	): Promise<boolean> {
		const workflow = this.workflow(type, parameters, staticData);
		const node = workflow.getNode(UNDER_TEST) as INode;
		const context = new HookContext(
			workflow,
			node,
			this.additionalData(),
			'trigger',
			'activate',
			this.webhookData(workflow, node),
		);
		const methods = this.registry[type].webhookMethods?.default;
		return await (methods![method] as (this: HookContext) => Promise<boolean>).call(context);
	}

	/**
	 * Delivers one HTTP request to the trigger's `webhook()`, then runs the workflow if it emitted items, with
	 * static data handled as n8n 2.41.1 handles it for a live webhook. `staticData` is the workflow's saved
	 * static data: the request works on a copy of it, which n8n saves back when it answers the request, if
	 * `webhook()` changed it by then. That is before the execution starts when the delivery starts none, or
	 * when `webhook()` answered itself (`noWebhookResponse`). Otherwise n8n answers after its WorkflowRunner
	 * has wrapped the same object in a second Workflow, whose ObservableObject resets the "changed" flag, so
	 * what `webhook()` wrote is lost. The execution runs over a copy read again from the database (regular
	 * mode) or over none (a queue worker), which n8n saves when the execution ends if the nodes changed it
	 * (`hookFunctionsSave`).
	 */
	async webhook(
		type: string,
		parameters: IDataObject,
		request: WebhookRequest,
		staticData: IDataObject | StaticDataStore,
		downstream: DownstreamNode[] = [],
		deployment: Deployment = 'regular',
	): Promise<WebhookRun> {
		const store = isStore(staticData) ? staticData : storeIn(staticData);
		const workflow = this.workflow(type, parameters, store.load(), {}, downstream);
		const node = workflow.getNode(UNDER_TEST) as INode;
		const method = request.method ?? 'POST';
		const response = { statusCode: 200, body: undefined as unknown, headers: {} as Record<string, string> };
		const httpResponse = {
			status(code: number) {
				response.statusCode = code;
				return this;
			},
			setHeader(name: string, value: string) {
				response.headers[name.toLowerCase()] = String(value);
				return this;
			},
			type() {
				return this;
			},
			json(body: unknown) {
				response.body = body;
				return this;
			},
			send(body: unknown) {
				response.body = body;
				return this;
			},
			end() {
				return this;
			},
		};
		const headers = Object.fromEntries(
			Object.entries(request.headers).map(([key, value]) => [key.toLowerCase(), value]),
		);
		const httpRequest = {
			method,
			headers,
			body: request.body,
			rawBody: Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody),
			query: request.query ?? {},
			params: {},
		};
		const additionalData = this.additionalData({ httpRequest, httpResponse });
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', this.webhookData(workflow, node, method), [], null);
		const result = await this.registry[type].webhook!.call(context);
		const answeredBeforeRun = !result.workflowData || result.noWebhookResponse === true;
		if (answeredBeforeRun && workflow.staticData.__dataChanged === true) store.save(workflow.staticData);
		if (!result.workflowData) {
			if (!result.noWebhookResponse) response.body = result.webhookResponse ?? { message: 'Workflow was started' };
			return { ...response, responseBody: response.body, executed: false, items: [], runData: {} };
		}
		// A queue worker runs the execution over the workflow stored with it, which has no static data.
		const execution = this.workflow(type, parameters, deployment === 'queue' ? {} : store.load(), {}, downstream);
		const run = await this.runFrom(execution, 'webhook', UNDER_TEST, result.workflowData[0], (saved) => store.save(saved));
		return {
			...response,
			responseBody: response.body,
			executed: true,
			items: run.data.resultData.runData[UNDER_TEST]?.[0]?.data?.main?.[0] ?? [],
			runData: run.data.resultData.runData,
		};
	}

	/**
	 * Runs a workflow from the trigger (the node under test) with the given output items through the
	 * `downstream` nodes, as n8n runs it again for the same event (a retried execution, another process).
	 */
	async runAfterTrigger(
		type: string,
		parameters: IDataObject,
		triggerItems: INodeExecutionData[],
		downstream: DownstreamNode[],
		mode: WorkflowExecuteMode = 'webhook',
	): Promise<IRunData> {
		const workflow = this.workflow(type, parameters, {}, {}, downstream);
		const run = await this.runFrom(workflow, mode, UNDER_TEST, triggerItems);
		return run.data.resultData.runData;
	}

	/** `webhook()` with a StoredStaticData as the saved static data. */
	async webhookAsDeployed(
		type: string,
		parameters: IDataObject,
		request: WebhookRequest,
		store: StaticDataStore,
	): Promise<WebhookRun> {
		return await this.webhook(type, parameters, request, store);
	}

	async listSearch(
		type: string,
		parameters: IDataObject,
		method: string,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const context = this.loadOptionsContext(type, parameters);
		const search = this.registry[type].methods!.listSearch![method];
		return await search.call(context as never, filter, paginationToken);
	}

	async loadOptions(type: string, parameters: IDataObject, method: string): Promise<INodePropertyOptions[]> {
		const context = this.loadOptionsContext(type, parameters);
		return await this.registry[type].methods!.loadOptions![method].call(context as never);
	}

	/** The saved data of a credential, with what `preAuthentication` wrote into it (an access token). */
	storedCredential(type: string): ICredentialDataDecryptedObject {
		return { ...this.decrypt(type) };
	}

	/** Changes saved credential data, as a user editing the credential does. */
	updateStoredCredential(type: string, data: ICredentialDataDecryptedObject): void {
		this.stored[type] = { ...this.stored[type], ...data };
	}

	/**
	 * Sends the credential type's `test` request with its authentication applied, as n8n's tester does. For a
	 * credential with `preAuthentication` it goes through n8n-core's httpRequestWithAuthentication, as n8n's tester
	 * does (its routing node): the exchange runs when the expirable field is empty, or after a 401 (n8n 2.41.1's
	 * tester node has no `temp` parameter value, so its "testing" shortcut does not apply); an error of the exchange
	 * is thrown as the dialog would show it, a persisting 401 answered as a status.
	 */
	async testCredential(credentialType: string): Promise<{ statusCode: number; body: unknown }> {
		const type = this.credentialTypes.get(credentialType)!;
		const workflow = this.workflow(Object.keys(this.setup.nodes)[0], {});
		const node = workflow.getNode(UNDER_TEST) as INode;
		const credentials = this.decrypt(credentialType);
		const request = type.test!.request;
		if (typeof type.preAuthentication === 'function') {
			const context = this.loadOptionsContext(Object.keys(this.setup.nodes)[0], {});
			const options: IHttpRequestOptions = {
				method: request.method ?? 'GET',
				baseURL: this.resolve(workflow, node, request.baseURL, credentials) as string,
				url: this.resolve(workflow, node, request.url, credentials) as string,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: { ignore: true, except: [401] },
			};
			try {
				const response = (await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options)) as {
					statusCode: number;
					body: unknown;
				};
				return { statusCode: response.statusCode, body: response.body };
			} catch (error) {
				const answer = (error as { cause?: { response?: { status: number; data: unknown } } }).cause?.response;
				if (answer) return { statusCode: answer.status, body: answer.data };
				throw error;
			}
		}
		const options: IHttpRequestOptions = {
			method: request.method ?? 'GET',
			baseURL: this.resolve(workflow, node, request.baseURL, credentials) as string,
			url: this.resolve(workflow, node, request.url, credentials) as string,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const authenticated = await this.authenticate(credentials, credentialType, options, workflow, node);
		const context = this.loadOptionsContext(Object.keys(this.setup.nodes)[0], {});
		const response = (await context.helpers.httpRequest(authenticated)) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: response.body };
	}

	private loadOptionsContext(type: string, parameters: IDataObject): LoadOptionsContext {
		const workflow = this.workflow(type, parameters);
		const node = workflow.getNode(UNDER_TEST) as INode;
		return new LoadOptionsContext(workflow, node, this.additionalData(), '');
	}

	private workflow(
		type: string,
		parameters: IDataObject,
		staticData: IDataObject = {},
		extra: Partial<INode> = {},
		downstream: DownstreamNode[] = [],
	) {
		const credentialsOf = (nodeType: INodeType) =>
			Object.fromEntries(
				(nodeType.description.credentials ?? []).map((credential) => [
					credential.name,
					{ id: '1', name: `${credential.name} account` },
				]),
			);
		const credentials = credentialsOf(this.registry[type]);
		const chained: INode[] = downstream.map((node, index) => ({
			id: `downstream-${index + 1}`,
			name: node.name,
			type: node.type,
			typeVersion: 1,
			position: [400 + 200 * index, 0],
			parameters: (node.parameters ?? {}) as INode['parameters'],
			credentials: credentialsOf(this.registry[node.type]),
		}));
		// With nodes after it, the node under test is a trigger: the start of the chain, with no input.
		const chain = chained.length > 0 ? [UNDER_TEST, ...chained.map((node) => node.name)] : [START, UNDER_TEST];
		const connections = Object.fromEntries(
			chain.slice(1).map((to, index) => [chain[index], { main: [[{ node: to, type: 'main' as const, index: 0 }]] }]),
		);
		const nodes: INode[] = [
			{ id: 'start-node', name: START, type: 'start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'node-under-test',
				name: UNDER_TEST,
				type,
				typeVersion: 1,
				position: [200, 0],
				parameters: parameters as INode['parameters'],
				credentials,
				webhookId: 'hook-under-test',
				...extra,
			},
			...chained,
		];
		return new Workflow({
			id: 'wf-test',
			name: 'test',
			nodes,
			connections,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
	}

	private webhookData(workflow: Workflow, node: INode, method = 'POST'): IWebhookData {
		const webhooks = this.registry[node.type].description.webhooks!;
		const description = webhooks.find((webhook) => webhook.httpMethod === method) ?? webhooks[0];
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			workflowId: workflow.id,
			webhookDescription: description,
			path: String(description.path),
			isTest: false,
		} as IWebhookData;
	}

	private async runFrom(
		workflow: Workflow,
		mode: WorkflowExecuteMode,
		startNodeName: string,
		items: INodeExecutionData[],
		saveStaticData?: (staticData: IDataObject) => void,
	): Promise<IRun> {
		const hooks = new ExecutionLifecycleHooks(mode, '1', {
			id: workflow.id,
			name: workflow.name,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			active: false,
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		let finish!: (run: IRun) => void;
		const finished = new Promise<IRun>((resolve) => (finish = resolve));
		// n8n-core hands the static data over here only when the execution changed it.
		hooks.addHandler('workflowExecuteAfter', (run, newStaticData) => {
			if (newStaticData && saveStaticData) saveStaticData(newStaticData);
			finish(run);
		});
		const startNode = workflow.getNode(startNodeName) as INode;
		const runData = {
			startData: {},
			resultData: { runData: {} },
			executionData: {
				contextData: {},
				metadata: {},
				waitingExecution: {},
				waitingExecutionSource: null,
				nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }],
			},
		} as unknown as IRunExecutionData;
		await new WorkflowExecute(this.additionalData({ hooks }), mode, runData).processRunExecutionData(workflow);
		return await finished;
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		const base = this.setup.webhookBaseUrl ?? 'https://hooks.example.com/webhook';
		return {
			executionId: '1',
			variables: {},
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost/',
			webhookBaseUrl: base,
			webhookWaitingBaseUrl: `${base}-waiting`,
			webhookTestBaseUrl: `${base}-test`,
			formWaitingBaseUrl: 'http://localhost/form-waiting',
			currentNodeParameters: undefined,
			credentialsHelper: this.credentialsHelper(),
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private decrypt(type: string): ICredentialDataDecryptedObject {
		const credentialType = this.credentialTypes.get(type);
		const defaults = Object.fromEntries((credentialType?.properties ?? []).map((p) => [p.name, p.default]));
		return { ...defaults, ...this.stored[type] } as ICredentialDataDecryptedObject;
	}

	/**
	 * What n8n's CredentialsHelper.preAuthentication does (n8n 2.41.1, packages/cli): for a credential type with an
	 * expirable hidden field and a `preAuthentication` function, run it when that field is empty or n8n-core says
	 * the credential expired (a 401), save what it returns into the stored credential, and hand it back merged.
	 */
	private async preAuthentication(
		helpers: { helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> } },
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.get(typeName);
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!type || expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		this.stored[typeName] = { ...this.stored[typeName], ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	}

	private resolve(workflow: Workflow, node: INode, value: unknown, credentials: ICredentialDataDecryptedObject) {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials } as never, undefined, '');
	}

	/** What n8n's CredentialsHelper.authenticate does for a declarative (`generic`) credential. */
	private async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.credentialTypes.get(typeName);
		const authenticate = type?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;
		const options = requestOptions as unknown as Record<string, IDataObject>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			options[section] ??= {};
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				const resolvedKey = String(this.resolve(workflow, node, key, credentials));
				options[section][resolvedKey] = this.resolve(workflow, node, value, credentials) as string;
			}
		}
		return requestOptions;
	}

	private credentialsHelper() {
		return {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			getCredentialsProperties: (type: string) => this.credentialTypes.get(type)?.properties ?? [],
			preAuthentication: async (...args: Parameters<N8nHarness['preAuthentication']>) =>
				await this.preAuthentication(...args),
			getDecrypted: async (_additionalData: unknown, _nodeCredentials: unknown, type: string) => this.decrypt(type),
			authenticate: async (
				credentials: ICredentialDataDecryptedObject,
				typeName: string,
				requestOptions: IHttpRequestOptions,
				workflow: Workflow,
				node: INode,
			) => await this.authenticate(credentials, typeName, requestOptions, workflow, node),
		};
	}
}
