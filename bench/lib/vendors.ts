/**
 * The listings the bench measures, per vendor: a seeded simulator on loopback, the package's node in the tests'
 * in-process n8n (test/harness/n8n.ts), and what the floor needs to walk the same pages without the package.
 */
import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { OnceHub } from '../../nodes/OnceHub/OnceHub.node';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { N8nHarness } from '../../test/harness/n8n';
import type { RequestLogEntry } from '../../test/simulators/http-sim';
import type { AwardeeSimulator } from '../../test/simulators/awardee';
import { startAwardeeSimulator } from '../../test/simulators/awardee';
import type { OnceHubSimulator } from '../../test/simulators/oncehub';
import { startOnceHubSimulator } from '../../test/simulators/oncehub';
import type { VoipbinSimulator } from '../../test/simulators/voipbin';
import { startVoipbinSimulator } from '../../test/simulators/voipbin';
import type { FloorPlan } from './floor';
import type { PublishedLimit } from './published';
import { ONCEHUB_LIMIT, VOIPBIN_LIMIT } from './published';
import { floorNode } from './floor';

export type OutputMode = 'normalized' | 'raw' | 'simplified';

/** One seeded listing, ready to run through the package's node, the floor inside n8n and a bare fetch loop. */
export interface Listing {
	label: string;
	count: number;
	harness: N8nHarness;
	nodeType: string;
	/** The getAll's parameters; `maxRequestsPerSecond` sets Request Options → Max Requests Per Second. */
	parameters(output: OutputMode, maxRequestsPerSecond?: number): IDataObject;
	/** Filled from the package's own requests (`recordPages`): the floor and fetch walk exactly those pages. */
	plan: FloorPlan;
	/** Credential headers for a plain `fetch`, as the credential's `authenticate` sets them. */
	fetchHeaders: Record<string, string>;
	/** The vendor's published limit, which the package keeps to by default; none for Awardee (paced by its headers). */
	publishedLimit?: PublishedLimit;
	requests: RequestLogEntry[];
	close(): Promise<void>;
}

export interface ListingCase {
	key: string;
	label: (count: number) => string;
	start(count: number): Promise<Listing>;
}

const byId = (value: string): IDataObject => ({ __rl: true, mode: 'id', value });

const dataField = (body: unknown): unknown[] => ((body as IDataObject)?.data as unknown[]) ?? [];
const resultField = (body: unknown): unknown[] => ((body as IDataObject)?.result as unknown[]) ?? [];

/** What every listing reads of its simulator. */
interface ListedSimulator {
	baseUrl: string;
	requests: RequestLogEntry[];
	close(): Promise<void>;
}

/** A vendor as the listings meet it: its node and credential, and how a plain fetch authenticates and reads a page. */
interface ListedVendor<Sim extends ListedSimulator> {
	/** The action node; its display name starts the listings' labels (`OnceHub contacts getAll`) and keys (`oncehubContacts`). */
	node(): INodeType;
	credential(): ICredentialType;
	credentialData(sim: Sim): IDataObject;
	fetchHeaders(sim: Sim): Record<string, string>;
	itemsOf(body: unknown): unknown[];
	/** The published limit the package paces by, where the vendor publishes one. */
	publishedLimit?: PublishedLimit;
}

const AWARDEE: ListedVendor<AwardeeSimulator> = {
	node: () => new Awardee(),
	credential: () => new AwardeeApi(),
	credentialData: (sim) => ({ apiKey: sim.apiKey, baseUrl: sim.baseUrl }),
	fetchHeaders: (sim) => ({ Authorization: `Bearer ${sim.apiKey}` }),
	itemsOf: dataField,
};

const ONCEHUB: ListedVendor<OnceHubSimulator> = {
	node: () => new OnceHub(),
	credential: () => new OnceHubApi(),
	credentialData: (sim) => ({ apiKey: sim.apiKey, baseUrl: sim.baseUrl }),
	fetchHeaders: (sim) => ({ 'API-Key': sim.apiKey }),
	itemsOf: dataField,
	publishedLimit: ONCEHUB_LIMIT,
};

const VOIPBIN: ListedVendor<VoipbinSimulator> = {
	node: () => new Voipbin(),
	credential: () => new VoipbinApi(),
	credentialData: (sim) => ({ accessKey: sim.accessKey, baseUrl: sim.baseUrl }),
	fetchHeaders: (sim) => ({ Cookie: `accesskey=${sim.accessKey}` }),
	itemsOf: resultField,
	publishedLimit: VOIPBIN_LIMIT,
};

/**
 * The vendor's `resource` getAll with Return All, keyed `<vendor><Resource>s`. `start` gives the simulator seeded
 * with `count` of them; a listing of one conversation's messages starts it empty and `thread` adds the `count`
 * messages to a new conversation, whose id it gives.
 */
function listingCase<Sim extends ListedSimulator>(
	vendor: ListedVendor<Sim>,
	resource: 'conversation' | 'contact' | 'message',
	start: (count: number) => Promise<Sim>,
	thread?: (sim: Sim, count: number) => string,
): ListingCase {
	const { name: nodeType, displayName } = vendor.node().description;
	const label = (count: number) => `${displayName} ${resource}s getAll ${count.toLocaleString('en-US')}`;
	return {
		key: `${displayName.toLowerCase()}${resource[0].toUpperCase()}${resource.slice(1)}s`,
		label,
		async start(count) {
			const sim = await start(count);
			const conversationId = thread?.(sim, count);
			const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: vendor.itemsOf };
			const credential = vendor.credential();
			return {
				label: label(count),
				count,
				harness: new N8nHarness({
					nodes: { [nodeType]: vendor.node(), floor: floorNode(plan, credential.name) },
					credentialTypes: [credential],
					credentials: { [credential.name]: vendor.credentialData(sim) as never },
				}),
				nodeType,
				parameters: (output, maxRequestsPerSecond) => ({
					resource,
					operation: 'getAll',
					...(conversationId !== undefined && { conversationId: byId(conversationId) }),
					returnAll: true,
					output,
					...(maxRequestsPerSecond !== undefined && { requestOptions: { maxRequestsPerSecond } }),
				}),
				plan,
				fetchHeaders: vendor.fetchHeaders(sim),
				publishedLimit: vendor.publishedLimit,
				requests: sim.requests,
				close: () => sim.close(),
			};
		},
	};
}

export const LISTINGS: Record<string, ListingCase> = Object.fromEntries(
	[
		listingCase(AWARDEE, 'conversation', (count) => startAwardeeSimulator({ seed: count, host: '127.0.0.1' })),
		listingCase(AWARDEE, 'message', () => startAwardeeSimulator({ seed: false, host: '127.0.0.1' }), (sim, count) => {
			const conversation = sim.addConversation({ title: 'A long thread' });
			const roles = ['user', 'assistant', 'assistant', 'system'] as const;
			for (let index = 0; index < count; index++) {
				const role = roles[index % roles.length];
				sim.addMessage(conversation.id, { role, text: `Message ${index} of a long thread`, ...(index % 8 === 1 && { metadata: { source: 'api' } }) });
			}
			return conversation.id;
		}),
		listingCase(ONCEHUB, 'contact', (count) => startOnceHubSimulator({ seed: count, host: '127.0.0.1' })),
		// The simulators' own rate limits are off here (OnceHub's is off unless asked for): the listing figures
		// measure the package's cost with its pace lifted, and its own pace (the published rate) beside them.
		// Fan-out (figure 5) runs with the limits on.
		// The seed deletes one conversation (the sixth), which VoIPbin leaves out of listings.
		listingCase(VOIPBIN, 'conversation', (count) => startVoipbinSimulator({ seed: count + 1, host: '127.0.0.1', rateLimit: false })),
		listingCase(VOIPBIN, 'message', () => startVoipbinSimulator({ seed: false, host: '127.0.0.1', rateLimit: false }), (sim, count) => {
			const conversation = sim.addConversation();
			const startUs = Date.now() * 1000 - count * 1_000_000;
			for (let index = 0; index < count; index++) {
				sim.addMessage(conversation.id, {
					direction: index % 2 === 0 ? 'incoming' : 'outgoing',
					text: `Message ${index} of a long thread`,
					tm_create: startUs + index * 1_000_000,
				});
			}
			return conversation.id;
		}),
	].map((listing) => [listing.key, listing]),
);

/**
 * Runs the package's node once and checks it emitted `count` items; a listing that comes out short breaks the
 * figure. `maxRequestsPerSecond` sets the Request Option (unset: the vendor's own pace, the default).
 */
export async function runPackage(listing: Listing, output: OutputMode, maxRequestsPerSecond?: number): Promise<number> {
	const run = await listing.harness.execute(listing.nodeType, listing.parameters(output, maxRequestsPerSecond));
	if (run.status !== 'success' || run.error) throw new Error(`${listing.label} (${output}) failed: ${run.error?.message ?? run.status}`);
	if (run.items.length !== listing.count) {
		throw new Error(`${listing.label} (${output}) emitted ${run.items.length} items, expected ${listing.count}`);
	}
	return run.items.length;
}

/**
 * Records the GET pages the package asked for, so the floor and the fetch loop walk the very same ones (the pace
 * changes when requests go, never which).
 */
export async function recordPages(listing: Listing, maxRequestsPerSecond?: number): Promise<void> {
	listing.requests.length = 0;
	await runPackage(listing, 'raw', maxRequestsPerSecond);
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
