import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { SocialBoardsTrigger } from '../../nodes/SocialBoards/SocialBoardsTrigger.node';
import type { WebhookRequest, WebhookRun } from '../harness/n8n';
import { N8nHarness, StoredStaticData } from '../harness/n8n';
import type { SocialBoardsSimulator, SocialBoardsSimulatorOptions } from '../simulators/socialboards';
import { startSocialBoardsSimulator } from '../simulators/socialboards';

export const TRIGGER = 'socialBoardsTrigger';
const WEBHOOK_PATH = '/webhook/hook-under-test/webhook';

/**
 * The SocialBoards simulator and an n8n with the SocialBoards Trigger, joined by a loopback HTTP endpoint at the
 * trigger's URL: the simulator's verification GETs and its POST deliveries are handed, query, headers and bytes as
 * they came, to the trigger's real `webhook()` (static data as a deployed n8n keeps it), and answered with the
 * status and body the trigger gave.
 */
export interface SocialBoardsTriggerSetup {
	sim: SocialBoardsSimulator;
	n8n: N8nHarness;
	/** The trigger's production URL, on loopback. */
	url: string;
	/** The trigger's parameters, used by activation and by every request. */
	parameters: IDataObject;
	/** The workflow's static data, as n8n stores it between requests. */
	store: StoredStaticData;
	/** Every request the endpoint handed to the trigger, in order. */
	runs: WebhookRun[];
	/** What n8n does on activation: `checkExists`, then `create` when it said false; static data saved after. */
	activate(parameters?: IDataObject): Promise<void>;
	deactivate(parameters?: IDataObject): Promise<boolean>;
	deliver(request: WebhookRequest, parameters?: IDataObject): Promise<WebhookRun>;
	executions(): WebhookRun[];
	reset(): void;
	close(): Promise<void>;
}

export async function startSocialBoardsTrigger(options: SocialBoardsSimulatorOptions = {}): Promise<SocialBoardsTriggerSetup> {
	const sim = await startSocialBoardsSimulator(options);
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	// No credential: the trigger makes no request to SocialBoards.
	const n8n = new N8nHarness({ nodes: { [TRIGGER]: new SocialBoardsTrigger() }, credentialTypes: [], credentials: {}, webhookBaseUrl: `http://127.0.0.1:${port}/webhook` });
	const setup: SocialBoardsTriggerSetup = {
		sim,
		n8n,
		url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
		parameters: {},
		store: new StoredStaticData(),
		runs: [],
		async activate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			if (!(await n8n.hook(TRIGGER, parameters, 'checkExists', staticData))) await n8n.hook(TRIGGER, parameters, 'create', staticData);
			setup.store.save(staticData);
		},
		async deactivate(parameters = setup.parameters) {
			const staticData = setup.store.load();
			const result = await n8n.hook(TRIGGER, parameters, 'delete', staticData);
			setup.store.save(staticData);
			return result;
		},
		async deliver(request, parameters = setup.parameters) {
			const run = await n8n.webhookAsDeployed(TRIGGER, parameters, request, setup.store);
			setup.runs.push(run);
			return run;
		},
		executions: () => setup.runs.filter((run) => run.executed),
		reset() {
			sim.reset();
			setup.parameters = {};
			setup.store = new StoredStaticData();
			setup.runs.length = 0;
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
					if (url.pathname !== WEBHOOK_PATH || (request.method !== 'GET' && request.method !== 'POST')) {
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
						const run = await setup.deliver({ headers, body, rawBody, method: request.method, query });
						status = run.statusCode;
						answer = typeof run.responseBody === 'string' ? run.responseBody : JSON.stringify(run.responseBody ?? '');
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
