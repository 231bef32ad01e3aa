import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { VoipbinTrigger } from '../../nodes/Voipbin/VoipbinTrigger.node';
import type { WebhookRequest, WebhookRun } from '../harness/n8n';
import { N8nHarness, StoredStaticData } from '../harness/n8n';
import type { VoipbinSimulator, VoipbinSimulatorOptions } from '../simulators/voipbin';
import { startVoipbinSimulator } from '../simulators/voipbin';

/**
 * The VoIPbin simulator and an n8n with the VoIPbin nodes, joined by a loopback HTTP endpoint at the trigger's
 * URL: what the simulator delivers there is handed, bytes and headers as they came, to the trigger's real
 * `webhook()` (static data as a deployed n8n keeps it), and answered with the status the trigger gave.
 */
export interface VoipbinTriggerSetup {
	sim: VoipbinSimulator;
	n8n: N8nHarness;
	/** The trigger's production URL, on loopback. */
	url: string;
	/** The trigger's parameters, used by activation and by every delivery. */
	parameters: IDataObject;
	/** The workflow's static data, as n8n stores it between requests. */
	store: StoredStaticData;
	/** Every delivery the endpoint handed to the trigger, in order. */
	runs: WebhookRun[];
	/** Statuses answered instead of the trigger's (after it ran), one per delivery: a response lost on its way. */
	failResponses: number[];
	/** What n8n does on activation: `checkExists`, then `create` when it said false; static data saved after. */
	activate(parameters?: IDataObject): Promise<void>;
	deactivate(parameters?: IDataObject): Promise<boolean>;
	/** The node's own static data (`node:<name>`). */
	nodeState(): IDataObject;
	deliver(request: WebhookRequest, parameters?: IDataObject): Promise<WebhookRun>;
	executions(): WebhookRun[];
	reset(): void;
	close(): Promise<void>;
}

export async function startVoipbinTrigger(options: VoipbinSimulatorOptions = {}): Promise<VoipbinTriggerSetup> {
	const sim = await startVoipbinSimulator({ deliveryRetryDelayMs: 20, ...options });
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const n8n = new N8nHarness({
		nodes: { voipbin: new Voipbin(), voipbinTrigger: new VoipbinTrigger() },
		credentialTypes: [new VoipbinApi()],
		credentials: { voipbinApi: { accessKey: sim.accessKey, baseUrl: sim.baseUrl } },
		webhookBaseUrl: `http://127.0.0.1:${port}/webhook`,
	});
	const setup: VoipbinTriggerSetup = {
		sim,
		n8n,
		url: `http://127.0.0.1:${port}/webhook/hook-under-test/webhook`,
		parameters: {},
		store: new StoredStaticData(),
		runs: [],
		failResponses: [],
		async activate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			if (!(await n8n.hook('voipbinTrigger', parameters, 'checkExists', staticData))) {
				await n8n.hook('voipbinTrigger', parameters, 'create', staticData);
			}
			setup.store.save(staticData);
		},
		async deactivate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			const result = await n8n.hook('voipbinTrigger', parameters, 'delete', staticData);
			setup.store.save(staticData);
			return result;
		},
		// Without the mark every activation leaves (see ACTIVATION_MARK).
		nodeState: () => {
			const { activated: _mark, ...state } = (setup.store.load()['node:Node'] ?? {}) as IDataObject;
			return state;
		},
		async deliver(request, parameters = setup.parameters) {
			const run = await n8n.webhookAsDeployed('voipbinTrigger', parameters, request, setup.store);
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
				try {
					if (request.url !== '/webhook/hook-under-test/webhook') {
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
						const run = await setup.deliver({ headers, body, rawBody, method: request.method as 'POST' });
						status = setup.failResponses.shift() ?? run.statusCode;
					}
				} finally {
					response.writeHead(status);
					response.end();
				}
			})();
		});
	});
	return setup;
}
