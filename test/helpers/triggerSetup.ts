import * as http from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INodeType } from 'n8n-workflow';

import type { WebhookRequest, WebhookRun } from '../harness/n8n';
import { N8nHarness, StoredStaticData } from '../harness/n8n';

const WEBHOOK_PATH = '/webhook/hook-under-test/webhook';

/** What the setup needs of a simulator: it is reset between tests and closed at the end. */
export interface TriggerSimulator {
	reset(): void;
	close(): Promise<void>;
}

export interface TriggerSetupSpec<Sim extends TriggerSimulator> {
	/** The vendor's simulator, started: it delivers to `url`. */
	sim: Sim;
	/** The trigger's node type name, a key of `nodes`. */
	triggerType: string;
	/** Every node the harness knows (the trigger, and an action node where tests run one). */
	nodes: Record<string, INodeType>;
	credentialTypes?: ICredentialType[];
	/** Decrypted credential data by credential type name; none when the trigger makes no request. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

/**
 * A vendor's simulator and an n8n with its trigger, joined by a loopback HTTP endpoint at the trigger's URL: what
 * the simulator sends there (with a method the trigger has a webhook for) is handed, query, headers and bytes as
 * they came, to the trigger's real `webhook()` (static data as a deployed n8n keeps it), and answered with the
 * status and body the trigger gave.
 */
export interface TriggerSetup<Sim extends TriggerSimulator> {
	sim: Sim;
	n8n: N8nHarness;
	/** The trigger's production URL, on loopback. */
	url: string;
	/** The trigger's parameters, used by activation and by every request. */
	parameters: IDataObject;
	/** The workflow's static data, as n8n stores it between requests. */
	store: StoredStaticData;
	/** Every request the endpoint handed to the trigger, in order. */
	runs: WebhookRun[];
	/** Statuses answered instead of the trigger's (after it ran), one per request: a response lost on its way. */
	failResponses: number[];
	/** What n8n does on activation: `checkExists`, then `create` when it said false; static data saved after. */
	activate(parameters?: IDataObject): Promise<void>;
	deactivate(parameters?: IDataObject): Promise<boolean>;
	/** The node's own static data (`node:<name>`), without the mark every activation leaves (see ACTIVATION_MARK). */
	nodeState(): IDataObject;
	deliver(request: WebhookRequest, parameters?: IDataObject): Promise<WebhookRun>;
	executions(): WebhookRun[];
	reset(): void;
	close(): Promise<void>;
}

export async function startTriggerSetup<Sim extends TriggerSimulator>(spec: TriggerSetupSpec<Sim>): Promise<TriggerSetup<Sim>> {
	const { sim, triggerType } = spec;
	const methods = new Set((spec.nodes[triggerType].description.webhooks ?? []).map((webhook) => webhook.httpMethod));
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const n8n = new N8nHarness({
		nodes: spec.nodes,
		credentialTypes: spec.credentialTypes ?? [],
		credentials: spec.credentials ?? {},
		webhookBaseUrl: `http://127.0.0.1:${port}/webhook`,
	});
	const setup: TriggerSetup<Sim> = {
		sim,
		n8n,
		url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
		parameters: {},
		store: new StoredStaticData(),
		runs: [],
		failResponses: [],
		async activate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			if (!(await n8n.hook(triggerType, parameters, 'checkExists', staticData))) await n8n.hook(triggerType, parameters, 'create', staticData);
			setup.store.save(staticData);
		},
		async deactivate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			const result = await n8n.hook(triggerType, parameters, 'delete', staticData);
			setup.store.save(staticData);
			return result;
		},
		nodeState: () => {
			const { activated: _mark, ...state } = (setup.store.load()['node:Node'] ?? {}) as IDataObject;
			return state;
		},
		async deliver(request, parameters = setup.parameters) {
			const run = await n8n.webhookAsDeployed(triggerType, parameters, request, setup.store);
			setup.runs.push(run);
			return run;
		},
		executions: () => setup.runs.filter((run) => run.executed),
		reset() {
			sim.reset();
			setup.parameters = {};
			setup.store = new StoredStaticData();
			setup.runs.length = 0;
			setup.failResponses.length = 0;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await sim.close();
		},
	};
	server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			void (async () => {
				let status = 500;
				let answer = '';
				try {
					const url = new URL(request.url ?? '/', 'http://127.0.0.1');
					const method = request.method;
					// n8n answers 404 on a path or a method the trigger has no webhook for.
					if (url.pathname !== WEBHOOK_PATH || (method !== 'GET' && method !== 'POST') || !methods.has(method)) {
						status = 404;
					} else {
						const headers = Object.fromEntries(
							Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : String(value)]),
						);
						let body: IDataObject = {};
						try {
							body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
						} catch {
							// n8n hands a body it cannot parse over as an empty object; the raw bytes stay in rawBody.
						}
						const query = Object.fromEntries(url.searchParams.entries());
						const run = await setup.deliver({ headers, body, rawBody, method, query });
						const lost = setup.failResponses.shift();
						if (lost !== undefined) {
							status = lost;
						} else {
							status = run.statusCode;
							answer = typeof run.responseBody === 'string' ? run.responseBody : JSON.stringify(run.responseBody ?? '');
						}
					}
				} finally {
					response.writeHead(status);
					response.end(answer);
				}
			})();
		});
	});
	return setup;
}
