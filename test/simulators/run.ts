/**
 * Runs one seeded simulator as its own process, for demos, benchmarks and the end-to-end tests:
 *
 *   node .build/test/simulators/run.js awardee --port 5801 [--host 127.0.0.1] [--control-port 5901]
 *
 * Prints one JSON line (`{"vendor":…,"baseUrl":…,…}`, plus `controlUrl` with --control-port) once listening,
 * and stops on SIGTERM/SIGINT.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { Changes } from './awardee';
import { startAwardeeSimulator } from './awardee';
import { startOnceHubSimulator } from './oncehub';
import { EventType, startSocialBoardsSimulator } from './socialboards';
import { startVoipbinSimulator } from './voipbin';

interface RunningSimulator {
	/** What a client needs to connect, printed after `vendor`. */
	connection: Record<string, string>;
	controls: SimulatorControls;
	close(): Promise<void>;
}

type Launcher = (listen: { port: number; host?: string }) => Promise<RunningSimulator>;

/** One entry per vendor; add new simulators here. */
export const SIMULATORS: Record<string, Launcher> = {
	awardee: async (listen) => {
		const simulator = await startAwardeeSimulator({ ...listen, seed: true });
		return {
			connection: { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey },
			controls: {
				deliver: ({ webhook, event, payload, conversationId, changes, secret, id }) =>
					simulator.deliver(webhook, event, payload ?? simulator.conversationPayload(String(conversationId), changes), {
						secret,
						deliveryId: id,
					}),
				deliveries: async () => {
					await simulator.flushDeliveries();
					return simulator.deliveries;
				},
			},
			close: () => simulator.close(),
		};
	},
	oncehub: async (listen) => {
		const simulator = await startOnceHubSimulator({ ...listen, seed: true });
		return {
			connection: { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey },
			controls: {
				// OnceHub wraps the payload (the event's `data`) in its signed event envelope.
				deliver: ({ webhook, event, payload, conversationId, secret, id }) =>
					simulator.deliver(webhook, event, payload ?? simulator.conversationEventData(String(conversationId)), {
						secret,
						eventId: id,
					}),
				deliveries: async () => simulator.deliveries,
			},
			close: () => simulator.close(),
		};
	},
	socialboards: async (listen) => {
		const simulator = await startSocialBoardsSimulator({ ...listen, seed: true });
		return {
			connection: {
				baseUrl: simulator.baseUrl,
				tokenUrl: simulator.tokenUrl,
				clientId: simulator.clientId,
				refreshToken: simulator.refreshToken,
				// For a client outside n8n (the e2e checks): a day-long token that is not counted as an exchange.
				accessToken: simulator.issueAccessToken(24 * 60 * 60),
			},
			controls: {
				// Unsigned: SocialBoards documents no signature, so `secret` has nothing to change.
				deliver: ({ webhook, event, payload, conversationId }) =>
					simulator.deliver(webhook, payload ?? simulator.eventBody(event as EventType, Number(conversationId))),
				deliveries: async () => {
					await simulator.flushDeliveries();
					return simulator.deliveries;
				},
				configureWebhook: ({ url, verifyToken, events }) =>
					simulator.configureWebhook({ url, verifyToken, events: events as EventType[] | undefined }),
				webhooks: async () => [...simulator.state.webhooks.values()],
				eventBody: async ({ event, conversationId }) => simulator.eventBody(event as EventType, Number(conversationId)),
				visitorMessage: async ({ conversationId, text }) => {
					const before = simulator.deliveries.length;
					simulator.postMessages(Number(conversationId), [{ author: 'contact', text }]);
					await simulator.flushDeliveries();
					return simulator.deliveries.slice(before);
				},
			},
			close: () => simulator.close(),
		};
	},
	voipbin: async (listen) => {
		const simulator = await startVoipbinSimulator({ ...listen, seed: true });
		return {
			connection: { baseUrl: simulator.baseUrl, accessKey: simulator.accessKey },
			controls: {
				// VoIPbin has one webhook per account: `webhook` is the URL to send to (the customer's webhook_uri
				// for a real event), `event` the delivery's `type`, the payload its `data`.
				deliver: ({ webhook, event, payload, conversationId, secret }) =>
					simulator.deliver(event, payload ?? simulator.conversationData(String(conversationId)), {
						url: webhook,
						secret,
					}),
				deliveries: async () => {
					await simulator.flushDeliveries();
					return simulator.deliveries;
				},
			},
			close: () => simulator.close(),
		};
	},
};

function parseArguments(args: string[]): { vendor: string; port: number; host?: string; controlPort?: number } {
	const [vendor = '', ...flags] = args;
	const flag = (name: string) => {
		const index = flags.indexOf(`--${name}`);
		return index === -1 ? undefined : flags[index + 1];
	};
	const portFlag = (name: string) => {
		const value = flag(name);
		const port = Number(value ?? 0);
		if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --${name}: ${value}`);
		return port;
	};
	const controlPort = flag('control-port') === undefined ? undefined : portFlag('control-port');
	return { vendor, port: portFlag('port'), host: flag('host'), controlPort };
}

async function main(): Promise<void> {
	const { vendor, port, host, controlPort } = parseArguments(process.argv.slice(2));
	const launch = SIMULATORS[vendor];
	if (!launch) {
		console.error(`Usage: run.js <${Object.keys(SIMULATORS).join('|')}> [--port N] [--host H] [--control-port N]`);
		process.exitCode = 2;
		return;
	}
	const simulator = await launch({ port, host });
	// Test controls only when asked for, so a plain run serves nothing but the vendor API.
	const control = controlPort === undefined ? undefined : await startControlServer(simulator.controls, controlPort, host);
	process.stdout.write(`${JSON.stringify({ vendor, ...simulator.connection, controlUrl: control?.url })}\n`);
	const stop = () => void Promise.all([simulator.close(), control?.close()]).then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

// ---- test controls ----
// Kept apart from the vendor API on purpose: a second loopback listener whose routes live under /__sim/, so
// nothing here can be mistaken for (or collide with) an endpoint of the vendor being simulated.

interface DeliverRequest {
	/** The registered webhook's id or URL. */
	webhook: string;
	event: string;
	/** The delivery body; without it, the vendor's payload for `conversationId` is built. */
	payload?: object;
	conversationId?: string;
	/** Awardee: the diff a `conversation.updated` payload built for `conversationId` carries. */
	changes?: Changes;
	/** Signs with this secret instead of the registered one: a wrong one makes a badly signed delivery. */
	secret?: string;
	/**
	 * The vendor's id of the delivery (Awardee's X-Awardee-Delivery, OnceHub's event id); default a fresh one.
	 * A second delivery with the same id is the vendor sending the same event again.
	 */
	id?: string;
}

interface SimulatorControls {
	/** POST /__sim/deliver: sends one signed delivery and answers with the receiver's status and body. */
	deliver(request: DeliverRequest): Promise<{ status: number; body: string }>;
	/** GET /__sim/deliveries: every delivery sent so far (after waiting for those in flight) and its answer. */
	deliveries(): Promise<unknown[]>;
	/**
	 * POST /__sim/webhook, for vendors whose webhooks are set up in a dashboard only: saves the webhook as an admin
	 * would and answers with the vendor's verification of it.
	 */
	configureWebhook?(request: ConfigureWebhookRequest): Promise<unknown>;
	/** GET /__sim/webhooks, for the same vendors: the webhooks saved in the dashboard, as the dashboard lists them. */
	webhooks?(): Promise<unknown[]>;
	/**
	 * POST /__sim/event-body `{event, conversationId}`: the body the vendor would send now for that event, not sent.
	 * Sent later through /__sim/deliver as `payload`, again and again, it is the vendor repeating one delivery.
	 */
	eventBody?(request: { event: string; conversationId: string }): Promise<unknown>;
	/**
	 * POST /__sim/visitor-message `{conversationId, text}`: the contact writes in the chat widget; the vendor stores
	 * the message and delivers its webhooks; answers with those deliveries.
	 */
	visitorMessage?(request: { conversationId: string; text: string }): Promise<unknown[]>;
}

interface ConfigureWebhookRequest {
	url: string;
	verifyToken: string;
	events?: string[];
}

async function startControlServer(controls: SimulatorControls, port: number, host = '127.0.0.1') {
	const server = http.createServer((request, response) => {
		void answerControl(controls, request).then(({ status, body }) => {
			response.writeHead(status, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(port, host, resolve));
	const address = server.address() as AddressInfo;
	return {
		url: `http://${address.address}:${address.port}/__sim`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

async function answerControl(
	controls: SimulatorControls,
	request: http.IncomingMessage,
): Promise<{ status: number; body: unknown }> {
	const route = `${request.method} ${new URL(request.url ?? '/', 'http://control.local').pathname}`;
	try {
		if (route === 'GET /__sim/deliveries') return { status: 200, body: await controls.deliveries() };
		if (route === 'POST /__sim/deliver') {
			const deliver = JSON.parse(await readText(request)) as DeliverRequest;
			if (!deliver.webhook || !deliver.event) return { status: 400, body: { error: 'webhook and event are required' } };
			return { status: 200, body: await controls.deliver(deliver) };
		}
		if (route === 'POST /__sim/webhook' && controls.configureWebhook) {
			const configure = JSON.parse(await readText(request)) as ConfigureWebhookRequest;
			if (!configure.url || !configure.verifyToken) return { status: 400, body: { error: 'url and verifyToken are required' } };
			return { status: 200, body: await controls.configureWebhook(configure) };
		}
		if (route === 'GET /__sim/webhooks' && controls.webhooks) return { status: 200, body: await controls.webhooks() };
		if (route === 'POST /__sim/event-body' && controls.eventBody) {
			const wanted = JSON.parse(await readText(request)) as { event?: string; conversationId?: string };
			if (!wanted.event || !wanted.conversationId) return { status: 400, body: { error: 'event and conversationId are required' } };
			return { status: 200, body: await controls.eventBody({ event: wanted.event, conversationId: String(wanted.conversationId) }) };
		}
		if (route === 'POST /__sim/visitor-message' && controls.visitorMessage) {
			const written = JSON.parse(await readText(request)) as { conversationId?: string; text?: string };
			if (!written.conversationId || !written.text) return { status: 400, body: { error: 'conversationId and text are required' } };
			return { status: 200, body: await controls.visitorMessage({ conversationId: String(written.conversationId), text: written.text }) };
		}
		return { status: 404, body: { error: `no control route ${route}` } };
	} catch (error) {
		return { status: 500, body: { error: String(error) } };
	}
}

async function readText(request: http.IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8') || '{}';
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
