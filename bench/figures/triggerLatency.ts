/**
 * Figure 6, in the real n8n: the p95 latency of the Awardee Trigger against n8n's plain Webhook node under the
 * same load (same concurrency, same signed bodies, interleaved rounds), on the e2e toolchain (Node 24, n8n
 * 2.41.1, the package installed as n8n's community-node installer lays it out, SQLite).
 */
import { createHmac, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import type { BenchContext } from '../lib/context';
import { e2eLib, installedToolchain, REPO_DIR } from '../lib/paths';
import { goal, percentile, ratios, summarize } from '../lib/stats';

interface N8nInstance {
	baseUrl: string;
	createUserFolder(): void;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	publish(workflowId: string): Promise<void>;
	start(): Promise<void>;
	stop(): Promise<void>;
}

const SECRET = 'whsec_bench_latency_0123456789abcdef';
const CREDENTIAL = { id: 'benchAwardeeCredential', name: 'Awardee (bench)', type: 'awardeeApi' };

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Two adjacent free ports: n8n's task broker uses one, its CLI commands the next. */
async function freePortPair(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await freePort();
		if (port < 65535 && (await new Promise<boolean>((resolve) => {
			const probe = net.createServer();
			probe.once('error', () => resolve(false));
			probe.listen(port + 1, '127.0.0.1', () => probe.close(() => resolve(true)));
		}))) return port;
	}
	throw new Error('no two adjacent free ports on 127.0.0.1');
}

function workflows() {
	const settings = { executionOrder: 'v1' };
	const trigger = {
		id: 'benchAwardeeTrigger',
		name: 'bench: Awardee Trigger',
		nodes: [
			{
				id: '6f0b3c2e-1d4a-4c7e-9a51-0b6c1e2d3f40',
				name: 'Awardee Trigger',
				type: 'n8n-nodes-conversations.awardeeTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: '9d2e7a14-5b3c-4f60-8e21-7c4b9a0d1e52',
				parameters: { events: ['conversation.created', 'conversation.updated', 'message.created'], registration: 'manual', options: { signingSecret: SECRET } },
				credentials: { awardeeApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: {},
		settings,
	};
	const plain = {
		id: 'benchPlainWebhook',
		name: 'bench: plain Webhook',
		nodes: [
			{
				id: '3a7c9e21-4b5d-4e6f-8a90-1b2c3d4e5f60',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b',
				parameters: { httpMethod: 'POST', path: 'bench-plain-webhook', responseMode: 'onReceived', options: {} },
			},
		],
		connections: {},
		settings,
	};
	return { trigger, plain };
}

/** A signed Awardee delivery, distinct from every other one (delivery id and body). */
function signedDelivery(index: number): { headers: Record<string, string>; body: string } {
	const body = JSON.stringify({
		conversation: {
			id: randomUUID(),
			object: 'conversation',
			status: 'open',
			priority: 'medium',
			title: `Bench latency ${index}`,
			contactName: 'Ada Lovelace',
			contactEmail: 'ada@example.com',
			createdAt: new Date().toISOString(),
			updatedAt: new Date().toISOString(),
		},
	});
	const timestamp = Math.floor(Date.now() / 1000);
	const signature = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
	return {
		headers: {
			'Content-Type': 'application/json',
			'X-Awardee-Event': 'conversation.created',
			'X-Awardee-Delivery': randomUUID(),
			'X-Awardee-Timestamp': String(timestamp),
			'X-Awardee-Signature': `t=${timestamp},v1=${signature}`,
		},
		body,
	};
}

/** `total` POSTs, `concurrency` at a time; answers each one's latency in ms. `check` sees every answer. */
async function load(url: string, total: number, concurrency: number, check: (status: number, text: string) => void): Promise<number[]> {
	const latencies: number[] = [];
	let next = 0;
	async function worker() {
		while (next < total) {
			const { headers, body } = signedDelivery(next++);
			const started = process.hrtime.bigint();
			const response = await fetch(url, { method: 'POST', headers, body });
			const text = await response.text();
			latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
			check(response.status, text);
		}
	}
	await Promise.all(Array.from({ length: concurrency }, worker));
	return latencies;
}

export async function triggerLatencyFigures(ctx: BenchContext, only?: string[]): Promise<void> {
	if (only && !only.some((name) => 'awardee'.startsWith(name.toLowerCase()))) return;
	const toolchain = installedToolchain();
	if (!toolchain) {
		if (ctx.quick) throw new Error('the real-n8n trigger figure needs the e2e toolchain: run npm run test:e2e or npm run demo first');
		ctx.log('real-n8n trigger latency skipped: the e2e toolchain is not installed (npm run demo installs it)');
		ctx.figures.push({ group: 6, name: 'trigger p95 latency in the real n8n vs the plain Webhook node', value: 'not measured', goal: { text: '≤ 1.1×', met: null }, detail: 'the e2e toolchain is not installed' });
		return;
	}
	const { N8n } = e2eLib<{ N8n: new (options: object) => N8nInstance }>('n8n');
	const { run, stopAll, stopAllOnSignals } = e2eLib<{
		run(command: string, args: string[], options: object): Promise<void>;
		stopAll(): Promise<void>;
		stopAllOnSignals(options: { label: string }): void;
	}>('processes');
	// Ctrl-C stops the n8n this figure started, as it does for the demo.
	stopAllOnSignals({ label: 'bench' });
	const runDir = path.join(REPO_DIR, '.e2e', 'bench');
	fs.mkdirSync(runDir, { recursive: true });
	const [port, brokerPort] = [await freePort(), await freePortPair()];
	const n8n = new N8n({ toolchain, runDir, port, brokerPort });
	const perRound = ctx.quick ? 20 : ctx.sized(200);
	const concurrency = ctx.quick ? 4 : 8;
	ctx.log(`real n8n: building the package, starting n8n ${toolchain.n8nDir.split('/').pop()} on 127.0.0.1:${port} (logs in .e2e/bench/)`);
	await run('npm', ['run', 'build'], { cwd: REPO_DIR, logFile: path.join(runDir, 'build.log') });
	n8n.createUserFolder();
	// Manual registration with a pasted secret: activation asks the vendor nothing; the credential is never used.
	await n8n.importCredentials([{ ...CREDENTIAL, data: { apiKey: 'aw_live_bench_unused', baseUrl: 'http://127.0.0.1:9/v1' } }]);
	const { trigger, plain } = workflows();
	await n8n.importWorkflows([trigger, plain]);
	await n8n.publish(trigger.id);
	await n8n.publish(plain.id);
	try {
		const { waitFor } = e2eLib<{ waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<unknown> }>('wait');
		// n8n.start() waits 120 s for readiness; a machine busy with other work may need longer.
		await n8n.start().catch(async (error: Error) => {
			if (!/timed out/.test(error.message)) throw error;
			ctx.log('real n8n: not ready after 120 s, waiting up to 5 min more');
			await waitFor(async () => (await fetch(`${n8n.baseUrl}/healthz/readiness`)).ok, 300_000);
		});
		const urls = {
			trigger: `${n8n.baseUrl}/webhook/${trigger.nodes[0].webhookId}/webhook`,
			plain: `${n8n.baseUrl}/webhook/${plain.nodes[0].parameters.path}`,
		};
		const checks = {
			// An accepted delivery gets an empty 200; a repeat or an unselected event would get `{ received: true, … }`.
			trigger: (status: number, text: string) => {
				if (status !== 200 || text !== '') throw new Error(`the Awardee Trigger answered ${status} ${text.slice(0, 200)}: not an accepted, new delivery`);
			},
			plain: (status: number, text: string) => {
				if (status !== 200) throw new Error(`the plain Webhook answered ${status} ${text.slice(0, 200)}`);
			},
		};
		// n8n answers readiness before it has activated the published workflows: wait until both webhooks answer.
		await waitFor(async () => (await fetch(urls.trigger, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status === 401, 180_000);
		await waitFor(async () => (await fetch(urls.plain, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status === 200, 180_000);
		ctx.log(`real n8n: ${ctx.pairs} rounds of ${perRound} POSTs each, ${concurrency} at a time, trigger and plain Webhook in turn`);
		await load(urls.trigger, Math.min(perRound, 50), concurrency, checks.trigger);
		await load(urls.plain, Math.min(perRound, 50), concurrency, checks.plain);
		const p95 = { trigger: [] as number[], plain: [] as number[] };
		const medians = { trigger: [] as number[], plain: [] as number[] };
		for (let round = 0; round < ctx.pairs; round++) {
			for (const name of ['trigger', 'plain'] as const) {
				const latencies = await load(urls[name], perRound, concurrency, checks[name]);
				p95[name].push(percentile(latencies, 95));
				medians[name].push(percentile(latencies, 50));
			}
			ctx.log(`  round ${round + 1}/${ctx.pairs}: p95 trigger ${p95.trigger[round].toFixed(1)} ms, plain Webhook ${p95.plain[round].toFixed(1)} ms`);
		}
		const ratio = summarize(ratios(p95.trigger, p95.plain));
		const ms = (values: number[]) => `${summarize(values).median.toFixed(1)} ms`;
		ctx.figures.push({
			group: 6,
			name: 'trigger: Awardee Trigger p95 latency in the real n8n vs the plain Webhook node',
			value: `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
			goal: goal(ratio.median, '<=', 1.1, '≤ 1.1×'),
			detail: `p95 ${ms(p95.trigger)} vs ${ms(p95.plain)}, p50 ${ms(medians.trigger)} vs ${ms(medians.plain)}; ${perRound} signed POSTs per round, ${concurrency} concurrent, each starting an execution (SQLite, default settings); n8n 2.41.1 on Node 24`,
		});
	} finally {
		await n8n.stop();
		await stopAll();
	}
}
