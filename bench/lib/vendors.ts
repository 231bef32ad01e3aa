/**
 * The listings the bench measures, per vendor: a seeded simulator on loopback, the package's node in the tests'
 * in-process n8n (test/harness/n8n.ts), and what the floor needs to walk the same pages without the package.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { OnceHub } from '../../nodes/OnceHub/OnceHub.node';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { N8nHarness } from '../../test/harness/n8n';
import type { RequestLogEntry } from '../../test/simulators/http-sim';
import { startAwardeeSimulator } from '../../test/simulators/awardee';
import { startOnceHubSimulator } from '../../test/simulators/oncehub';
import { startVoipbinSimulator } from '../../test/simulators/voipbin';
import type { FloorPlan } from './floor';
import { floorNode } from './floor';

export type OutputMode = 'normalized' | 'raw' | 'simplified';

/** One seeded listing, ready to run through the package's node, the floor inside n8n and a bare fetch loop. */
export interface Listing {
	label: string;
	count: number;
	harness: N8nHarness;
	nodeType: string;
	parameters(output: OutputMode): IDataObject;
	/** Filled from the package's own requests (`recordPages`): the floor and fetch walk exactly those pages. */
	plan: FloorPlan;
	/** Credential headers for a plain `fetch`, as the credential's `authenticate` sets them. */
	fetchHeaders: Record<string, string>;
	requests: RequestLogEntry[];
	close(): Promise<void>;
}

export interface ListingCase {
	key: string;
	label: (count: number) => string;
	start(count: number): Promise<Listing>;
}

const byId = (value: string): IDataObject => ({ __rl: true, mode: 'id', value });

function harnessFor(node: INodeType, type: string, credential: AwardeeApi | OnceHubApi | VoipbinApi, data: IDataObject, plan: FloorPlan) {
	return new N8nHarness({
		nodes: { [type]: node, floor: floorNode(plan, credential.name) },
		credentialTypes: [credential],
		credentials: { [credential.name]: data as never },
	});
}

const dataField = (body: unknown): unknown[] => ((body as IDataObject)?.data as unknown[]) ?? [];
const resultField = (body: unknown): unknown[] => ((body as IDataObject)?.result as unknown[]) ?? [];

export const LISTINGS: Record<string, ListingCase> = {
	awardeeConversations: {
		key: 'awardeeConversations',
		label: (count) => `Awardee conversations getAll ${count.toLocaleString('en-US')}`,
		async start(count) {
			const sim = await startAwardeeSimulator({ seed: count, host: '127.0.0.1' });
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: dataField };
			return {
				label: this.label(count),
				count,
				harness: harnessFor(new Awardee(), 'awardee', new AwardeeApi(), { apiKey: sim.apiKey, baseUrl: sim.baseUrl }, plan),
				nodeType: 'awardee',
				parameters: (output) => ({ resource: 'conversation', operation: 'getAll', returnAll: true, output }),
				plan,
				fetchHeaders: { Authorization: `Bearer ${sim.apiKey}` },
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	},
	awardeeMessages: {
		key: 'awardeeMessages',
		label: (count) => `Awardee messages getAll ${count.toLocaleString('en-US')}`,
		async start(count) {
			const sim = await startAwardeeSimulator({ seed: false, host: '127.0.0.1' });
			const conversation = sim.addConversation({ title: 'A long thread' });
			const roles = ['user', 'assistant', 'assistant', 'system'] as const;
			for (let index = 0; index < count; index++) {
				const role = roles[index % roles.length];
				sim.addMessage(conversation.id, { role, text: `Message ${index} of a long thread`, ...(index % 8 === 1 && { metadata: { source: 'api' } }) });
			}
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: dataField };
			return {
				label: this.label(count),
				count,
				harness: harnessFor(new Awardee(), 'awardee', new AwardeeApi(), { apiKey: sim.apiKey, baseUrl: sim.baseUrl }, plan),
				nodeType: 'awardee',
				parameters: (output) => ({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true, output }),
				plan,
				fetchHeaders: { Authorization: `Bearer ${sim.apiKey}` },
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	},
	oncehubContacts: {
		key: 'oncehubContacts',
		label: (count) => `OnceHub contacts getAll ${count.toLocaleString('en-US')}`,
		async start(count) {
			const sim = await startOnceHubSimulator({ seed: count, host: '127.0.0.1' });
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: dataField };
			return {
				label: this.label(count),
				count,
				harness: harnessFor(new OnceHub(), 'onceHub', new OnceHubApi(), { apiKey: sim.apiKey, baseUrl: sim.baseUrl }, plan),
				nodeType: 'onceHub',
				parameters: (output) => ({ resource: 'contact', operation: 'getAll', returnAll: true, output }),
				plan,
				fetchHeaders: { 'API-Key': sim.apiKey },
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	},
	voipbinConversations: {
		key: 'voipbinConversations',
		label: (count) => `VoIPbin conversations getAll ${count.toLocaleString('en-US')}`,
		async start(count) {
			// The simulator's own rate limit is off here: the listing figures measure the package's cost, and the
			// package's own pace (12/s) is reported beside them. Fan-out (figure 5) runs with the limit on.
			// The seed deletes one conversation (the sixth), which VoIPbin leaves out of listings.
			const sim = await startVoipbinSimulator({ seed: count + 1, host: '127.0.0.1', rateLimit: false });
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: resultField };
			return {
				label: this.label(count),
				count,
				harness: harnessFor(new Voipbin(), 'voipbin', new VoipbinApi(), { accessKey: sim.accessKey, baseUrl: sim.baseUrl }, plan),
				nodeType: 'voipbin',
				parameters: (output) => ({ resource: 'conversation', operation: 'getAll', returnAll: true, output }),
				plan,
				fetchHeaders: { Cookie: `accesskey=${sim.accessKey}` },
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	},
	voipbinMessages: {
		key: 'voipbinMessages',
		label: (count) => `VoIPbin messages getAll ${count.toLocaleString('en-US')}`,
		async start(count) {
			const sim = await startVoipbinSimulator({ seed: false, host: '127.0.0.1', rateLimit: false });
			const conversation = sim.addConversation();
			const startUs = Date.now() * 1000 - count * 1_000_000;
			for (let index = 0; index < count; index++) {
				sim.addMessage(conversation.id, {
					direction: index % 2 === 0 ? 'incoming' : 'outgoing',
					text: `Message ${index} of a long thread`,
					tm_create: startUs + index * 1_000_000,
				});
			}
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: resultField };
			return {
				label: this.label(count),
				count,
				harness: harnessFor(new Voipbin(), 'voipbin', new VoipbinApi(), { accessKey: sim.accessKey, baseUrl: sim.baseUrl }, plan),
				nodeType: 'voipbin',
				parameters: (output) => ({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true, output }),
				plan,
				fetchHeaders: { Cookie: `accesskey=${sim.accessKey}` },
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	},
};

/** Runs the package's node once and checks it emitted `count` items; a listing that comes out short breaks the figure. */
export async function runPackage(listing: Listing, output: OutputMode): Promise<number> {
	const run = await listing.harness.execute(listing.nodeType, listing.parameters(output));
	if (run.status !== 'success' || run.error) throw new Error(`${listing.label} (${output}) failed: ${run.error?.message ?? run.status}`);
	if (run.items.length !== listing.count) {
		throw new Error(`${listing.label} (${output}) emitted ${run.items.length} items, expected ${listing.count}`);
	}
	return run.items.length;
}

/** Records the GET pages the package asked for, so the floor and the fetch loop walk the very same ones. */
export async function recordPages(listing: Listing): Promise<void> {
	listing.requests.length = 0;
	await runPackage(listing, 'raw');
	const pages = listing.requests.filter((request) => request.method === 'GET' && request.status === 200);
	listing.plan.pages = pages.map((request) => ({ path: request.path, query: request.query }));
	listing.requests.length = 0;
}

export async function runFloor(listing: Listing): Promise<void> {
	const run = await listing.harness.execute('floor', {});
	if (run.status !== 'success') throw new Error(`the floor for ${listing.label} failed: ${run.error?.message ?? run.status}`);
	if (run.items.length !== listing.count) throw new Error(`the floor for ${listing.label} emitted ${run.items.length} items`);
	listing.requests.length = 0;
}

/** A bare `fetch` loop over the same pages, outside n8n: one item per listed object, as the node would emit. */
export async function runFetch(listing: Listing): Promise<void> {
	const items: Array<{ json: unknown }> = [];
	for (const page of listing.plan.pages) {
		const url = new URL(listing.plan.baseUrl + page.path);
		for (const [name, value] of Object.entries(page.query)) url.searchParams.set(name, value);
		const response = await fetch(url, { headers: { Accept: 'application/json', ...listing.fetchHeaders } });
		if (!response.ok) throw new Error(`fetch ${url.pathname} answered ${response.status}`);
		for (const item of listing.plan.itemsOf(await response.json())) items.push({ json: item });
	}
	if (items.length !== listing.count) throw new Error(`the fetch loop for ${listing.label} got ${items.length} items`);
	listing.requests.length = 0;
}
