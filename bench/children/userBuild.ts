/**
 * Figure 2's measurements, on the e2e toolchain's Node 24 with its n8n 2.41.1 (see redirect.ts): per vendor, the
 * package's getAll (Normalized and Raw) and what a user would build instead, n8n's HTTP Request node (typeVersion
 * 4.2, its own pagination) followed by Split Out, producing the same items, interleaved in one process against
 * one simulator. Prints one JSON line with every round's durations.
 */
import '../lib/env';

import { createRequire } from 'module';
import { setTimeout as sleep } from 'timers/promises';
import * as path from 'path';

import type { IDataObject, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { OnceHub } from '../../nodes/OnceHub/OnceHub.node';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { startAwardeeSimulator } from '../../test/simulators/awardee';
import { startOnceHubSimulator } from '../../test/simulators/oncehub';
import { startVoipbinSimulator } from '../../test/simulators/voipbin';
import type { ChainStep } from '../lib/chain';
import { ChainRunner } from '../lib/chain';
import type { FloorPlan } from '../lib/floor';
import { floorNode } from '../lib/floor';
import { interleave, series } from '../lib/stats';
import type { PublishedLimit } from '../lib/published';
import { LIFTED_RATE, ONCEHUB_LIMIT, VOIPBIN_LIMIT } from '../lib/published';

const load = createRequire(__filename);

interface Job {
	n8nModules: string;
	pairs: number;
	cases: Array<{ vendor: string; count: number }>;
}

interface UserBuildCase {
	label: string;
	runner: ChainRunner;
	/** The package's getAll; `maxRequestsPerSecond` sets Request Options → Max Requests Per Second. */
	ours(output: 'normalized' | 'raw', maxRequestsPerSecond?: number): ChainStep;
	userBuild: ChainStep[];
	/** The vendor's published limit the package keeps to by default (none for Awardee). */
	publishedLimit?: PublishedLimit;
	/** GET requests the simulator answered so far, to count a listing's pages. */
	gets(): number;
	/** The floor inside n8n (`floor` in the runner), over the pages `recordPages` noted. */
	floor: ChainStep;
	/** Runs `run` and notes the pages the simulator answered meanwhile as the floor's. */
	recordPages<T>(run: () => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

function nodesBase(modules: string, file: string): Record<string, new () => INodeType | IVersionedNodeType> {
	return load(path.join(modules, 'n8n-nodes-base', 'dist', 'nodes', file)) as Record<string, new () => INodeType | IVersionedNodeType>;
}

/** n8n's HTTP Request (predefined credential, the same one as the package) with "update a parameter in each request" paging. */
function httpRequest(url: string, credential: string, query: Record<string, string>, cursor: { name: string; value: string }, complete: string): ChainStep {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: [credential],
		parameters: {
			method: 'GET',
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credential,
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: { parameters: Object.entries(query).map(([name, value]) => ({ name, value })) },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: cursor.name, value: cursor.value }] },
						paginationCompleteWhen: 'other',
						completeExpression: complete,
					},
				},
			},
		},
	};
}

const splitOut = (field: string): ChainStep => ({
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
});

async function startCase(modules: string, vendor: string, count: number): Promise<UserBuildCase> {
	const { HttpRequest } = nodesBase(modules, 'HttpRequest/HttpRequest.node.js');
	const { SplitOut } = nodesBase(modules, 'Transform/SplitOut/SplitOut.node.js');
	const base = { 'n8n-nodes-base.httpRequest': new HttpRequest(), 'n8n-nodes-base.splitOut': new SplitOut() };
	const getAll = (type: string, parameters: IDataObject, credential: string) => (output: string, maxRequestsPerSecond?: number) => ({
		type,
		credentials: [credential],
		parameters: {
			...parameters,
			returnAll: true,
			output,
			...(maxRequestsPerSecond !== undefined && { requestOptions: { maxRequestsPerSecond } }),
		},
	});
	const gets = (sim: { requests: Array<{ method: string }> }) => () => sim.requests.filter((request) => request.method === 'GET').length;
	type Logged = { requests: Array<{ method: string; status: number; path: string; query: Record<string, string> }> };
	// The floor walks the very pages the package's Raw run asked for, with the same credential.
	const floorOf = (sim: Logged & { baseUrl: string }, credential: string, member: string) => {
		const plan: FloorPlan = { baseUrl: sim.baseUrl, pages: [], itemsOf: (body) => (body as Record<string, unknown[]>)[member] };
		return {
			registry: { floor: floorNode(plan, credential) },
			floor: { type: 'floor', credentials: [credential], parameters: {} } as ChainStep,
			recordPages: async <T>(run: () => Promise<T>): Promise<T> => {
				const from = sim.requests.length;
				const result = await run();
				plan.pages = sim.requests
					.slice(from)
					.filter((request) => request.method === 'GET' && request.status === 200)
					.map((request) => ({ path: request.path, query: request.query }));
				return result;
			},
		};
	};
	if (vendor === 'awardee') {
		const sim = await startAwardeeSimulator({ seed: count, host: '127.0.0.1' });
		const floor = floorOf(sim, 'awardeeApi', 'data');
		return {
			label: `Awardee conversations getAll ${count.toLocaleString('en-US')}`,
			runner: new ChainRunner({ awardee: new Awardee(), ...base, ...floor.registry }, [new AwardeeApi()], { awardeeApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } }),
			floor: floor.floor,
			recordPages: floor.recordPages,
			ours: getAll('awardee', { resource: 'conversation', operation: 'getAll' }, 'awardeeApi'),
			userBuild: [
				httpRequest(`${sim.baseUrl}/conversations`, 'awardeeApi', { limit: '100' }, { name: 'cursor', value: '={{ $response.body.next_cursor }}' }, '={{ !$response.body.has_more }}'),
				splitOut('data'),
			],
			gets: gets(sim),
			close: () => sim.close(),
		};
	}
	if (vendor === 'oncehub') {
		const sim = await startOnceHubSimulator({ seed: count, host: '127.0.0.1' });
		const floor = floorOf(sim, 'onceHubApi', 'data');
		return {
			label: `OnceHub contacts getAll ${count.toLocaleString('en-US')}`,
			runner: new ChainRunner({ onceHub: new OnceHub(), ...base, ...floor.registry }, [new OnceHubApi()], { onceHubApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } }),
			floor: floor.floor,
			recordPages: floor.recordPages,
			ours: getAll('onceHub', { resource: 'contact', operation: 'getAll' }, 'onceHubApi'),
			userBuild: [
				httpRequest(
					`${sim.baseUrl}/contacts`,
					'onceHubApi',
					{ limit: '100' },
					{ name: 'after', value: '={{ $response.body.data[$response.body.data.length - 1].id }}' },
					'={{ !$response.body.has_more }}',
				),
				splitOut('data'),
			],
			publishedLimit: ONCEHUB_LIMIT,
			gets: gets(sim),
			close: () => sim.close(),
		};
	}
	// The seed deletes one conversation (the sixth), which VoIPbin leaves out of listings.
	const sim = await startVoipbinSimulator({ seed: count + 1, host: '127.0.0.1', rateLimit: false });
	const floor = floorOf(sim, 'voipbinApi', 'result');
	return {
		label: `VoIPbin conversations getAll ${count.toLocaleString('en-US')}`,
		runner: new ChainRunner({ voipbin: new Voipbin(), ...base, ...floor.registry }, [new VoipbinApi()], { voipbinApi: { accessKey: sim.accessKey, baseUrl: sim.baseUrl } }),
		floor: floor.floor,
		recordPages: floor.recordPages,
		ours: getAll('voipbin', { resource: 'conversation', operation: 'getAll' }, 'voipbinApi'),
		userBuild: [
			httpRequest(
				`${sim.baseUrl}/conversations`,
				'voipbinApi',
				{ page_size: '100' },
				{ name: 'page_token', value: '={{ $response.body.next_page_token }}' },
				'={{ $response.body.result.length === 0 }}',
			),
			splitOut('result'),
		],
		publishedLimit: VOIPBIN_LIMIT,
		gets: gets(sim),
		close: () => sim.close(),
	};
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as Job;
	const results = [];
	for (const { vendor, count } of job.cases) {
		const bench = await startCase(job.n8nModules, vendor, count);
		try {
			const expect = (items: unknown[], what: string) => {
				if (items.length !== count) throw new Error(`${bench.label}: ${what} gave ${items.length} items, expected ${count}`);
			};
			// A paced vendor's package runs with its pace lifted (the simulator does not enforce the rate), as the
			// HTTP Request node sends: the goal's figure; and as many times at its default pace, reported.
			const limit = bench.publishedLimit;
			const lifted = limit === undefined ? undefined : LIFTED_RATE;
			// "The same items": Raw output and the HTTP Request + Split Out build must emit identical JSON, in order.
			const getsBefore = bench.gets();
			const raw = JSON.stringify((await bench.recordPages(() => bench.runner.run([bench.ours('raw', lifted)]))).map((item) => item.json));
			const pages = bench.gets() - getsBefore;
			const built = JSON.stringify((await bench.runner.run(bench.userBuild)).map((item) => item.json));
			if (raw !== built) throw new Error(`${bench.label}: HTTP Request + Split Out did not emit the same items as the package's Raw output`);
			const floored = JSON.stringify((await bench.runner.run([bench.floor])).map((item) => item.json));
			if (raw !== floored) throw new Error(`${bench.label}: the floor did not emit the same items as the package's Raw output`);
			const times: Record<string, number[]> = await interleave(
				{
					normalized: async () => expect(await bench.runner.run([bench.ours('normalized', lifted)]), 'the package (Normalized)'),
					raw: async () => expect(await bench.runner.run([bench.ours('raw', lifted)]), 'the package (Raw)'),
					userBuild: async () => expect(await bench.runner.run(bench.userBuild), 'HTTP Request + Split Out'),
					floor: async () => expect(await bench.runner.run([bench.floor]), 'the floor inside n8n'),
				},
				job.pairs,
				(line) => console.error(line),
			);
			// The default pace mostly waits, and a CPU that idled slows what runs next: its runs come after the
			// interleaved rounds, each once the limit is fresh (bench/lib/stats.ts `series`).
			if (limit !== undefined) {
				const paced = async () => expect(await bench.runner.run([bench.ours('normalized')]), 'the package at its default pace');
				times.paced = await series(paced, job.pairs, () => sleep(limit.freshAfterMs));
			}
			results.push({ vendor, label: bench.label, times, pages, ...(limit && { limit: { text: limit.text, allowedMs: limit.allowsMs(pages) } }) });
		} finally {
			await bench.close();
		}
	}
	const n8nCore = (load(load.resolve('n8n-core/package.json')) as { version: string }).version;
	console.log(JSON.stringify({ node: process.version, n8nCore, n8nCorePath: load.resolve('n8n-core'), results }));
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
