/**
 * Figure 5: one run of many Get items against a simulator that enforces the vendor's published limit. Reports
 * failed items, 429s received and the elapsed time against the least time the limit allows for the requests made.
 */
import type { IDataObject } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { OnceHub } from '../../nodes/OnceHub/OnceHub.node';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { voipbinDialect } from '../../nodes/Voipbin/transport';
import { bucketOf } from '../../nodes/shared/transport/pace';
import { N8nHarness } from '../../test/harness/n8n';
import type { RequestLogEntry } from '../../test/simulators/http-sim';
import { startAwardeeSimulator } from '../../test/simulators/awardee';
import { startOnceHubSimulator } from '../../test/simulators/oncehub';
import { startVoipbinSimulator } from '../../test/simulators/voipbin';
import type { BenchContext } from '../lib/context';
import { selected } from '../lib/select';
import { goal } from '../lib/stats';

interface FanOut {
	vendor: string;
	limit: string;
	harness: N8nHarness;
	nodeType: string;
	parameters: IDataObject;
	ids: string[];
	requests: RequestLogEntry[];
	/** The least time, from `startedMs`, in which the limit lets `count` requests through. */
	allowedMs(count: number, startedMs: number): number;
	/**
	 * Where the package paces its requests by the published limit (no headers to follow): the least time its own
	 * pace takes for `count` requests, answers not counted, so it can be no faster than this; `pacing` says what
	 * that pace is (test/shared/pace.test.ts, test/voipbin/errors.test.ts and test/shared/paceShared.test.ts hold
	 * it to that).
	 */
	pacedMs?(count: number): number;
	pacing?: string;
	close(): Promise<void>;
}

const MINUTE_MS = 60_000;
const expressionLocator = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

const FANOUTS: Record<string, () => Promise<FanOut>> = {
	async awardee() {
		const perMinute = 60;
		const sim = await startAwardeeSimulator({ seed: 20, host: '127.0.0.1', rateLimitPerMinute: perMinute });
		return {
			vendor: 'Awardee',
			limit: `${perMinute} per minute (the simulator counts fixed clock minutes and sends X-RateLimit-Remaining-Minute / -Reset-Minute)`,
			harness: new N8nHarness({
				nodes: { awardee: new Awardee() },
				credentialTypes: [new AwardeeApi()],
				credentials: { awardeeApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
			}),
			nodeType: 'awardee',
			// Include Tags off: one request per item, so the item count is the request count.
			parameters: { resource: 'conversation', operation: 'get', conversationId: expressionLocator, options: { includeTags: false } },
			ids: [...sim.state.conversations.keys()],
			requests: sim.requests,
			allowedMs(count, startedMs) {
				if (count <= perMinute) return 0;
				const lastWindow = Math.floor(startedMs / MINUTE_MS) + Math.ceil(count / perMinute) - 1;
				return lastWindow * MINUTE_MS - startedMs;
			},
			close: () => sim.close(),
		};
	},
	async oncehub() {
		const perSecond = 5;
		const sim = await startOnceHubSimulator({ seed: 20, host: '127.0.0.1', rateLimitPerSecond: perSecond });
		return {
			vendor: 'OnceHub',
			limit: `${perSecond} per second (the simulator refuses a request when more than ${perSecond} arrived in the last 1000 ms, refused ones included)`,
			harness: new N8nHarness({
				nodes: { onceHub: new OnceHub() },
				credentialTypes: [new OnceHubApi()],
				credentials: { onceHubApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
			}),
			nodeType: 'onceHub',
			parameters: { resource: 'contact', operation: 'get', contactId: expressionLocator },
			ids: [...sim.state.contacts.keys()],
			requests: sim.requests,
			allowedMs: (count) => Math.max(0, Math.ceil(count / perSecond) - 1) * 1000,
			// Five at once, then each a second after the answer to the request five before it: the answers' time is
			// added once per second, not once per request.
			pacedMs: (count) => Math.max(0, Math.ceil(count / perSecond) - 1) * 1000,
			pacing: `the published rate counted over any second: ${perSecond} at once, then each a second after the answer to the request ${perSecond} before it`,
			close: () => sim.close(),
		};
	},
	async voipbin() {
		const rate = { perSecond: 16.7, burst: 33 };
		// The bucket the package keeps of VoIPbin's published limit: the burst less a margin, refilled at the rate.
		const bucket = bucketOf(voipbinDialect.maxRequestsPerSecond, voipbinDialect.burst);
		if (!bucket) throw new Error('fan-out VoIPbin: the dialect declares no token bucket');
		const sim = await startVoipbinSimulator({ seed: 20, host: '127.0.0.1', rateLimit: rate });
		return {
			vendor: 'VoIPbin',
			limit: `${rate.perSecond} per second, burst ${rate.burst} (the simulator's token bucket, VoIPbin's defaults)`,
			harness: new N8nHarness({
				nodes: { voipbin: new Voipbin() },
				credentialTypes: [new VoipbinApi()],
				credentials: { voipbinApi: { accessKey: sim.accessKey, baseUrl: sim.baseUrl } },
			}),
			nodeType: 'voipbin',
			parameters: { resource: 'conversation', operation: 'get', conversationId: expressionLocator },
			ids: [...sim.state.conversations.values()].filter((c) => c.tm_delete === null).map((c) => c.id),
			requests: sim.requests,
			allowedMs: (count) => (Math.max(0, count - rate.burst) / rate.perSecond) * 1000,
			pacedMs: (count) => Math.max(0, count - bucket.capacity) * bucket.refillMs,
			pacing: `a bucket of ${bucket.capacity} tokens, ${rate.burst - bucket.capacity} below the burst, refilled at ${(1000 / bucket.refillMs).toFixed(1)}/s; once it is empty each request goes as its token refills, counted from the sends, not the answers`,
			close: () => sim.close(),
		};
	},
};

export async function fanOutFigures(ctx: BenchContext, only?: string[]): Promise<void> {
	// The smoke's VoIPbin run is long enough for its goal to mean something: the package's bucket keeps 3 tokens below
	// the burst of 33, which costs 0.18 s whatever the count; against the 0.4 s the limit allows 40 items that read
	// as 1.44×, against the 5.2 s of 120 items it is within the goal, as it is over the full run's 300.
	const items: Record<string, number> = ctx.quick ? { awardee: 20, oncehub: 12, voipbin: 120 } : { awardee: 300, oncehub: 300, voipbin: 300 };
	for (const [key, count] of Object.entries(items)) {
		if (!selected(key, only)) continue;
		const fan = await FANOUTS[key]();
		try {
			ctx.log(`fan-out: ${count} ${fan.vendor} Get items against ${fan.limit}`);
			const input = Array.from({ length: count }, (_, index) => ({ id: fan.ids[index % fan.ids.length] }));
			const startedMs = Date.now();
			const run = await fan.harness.execute(fan.nodeType, fan.parameters, input, { continueOnFail: true });
			const elapsedMs = Date.now() - startedMs;
			if (run.items.length !== count) throw new Error(`fan-out ${fan.vendor}: ${run.items.length} output items for ${count} input items`);
			const failed = run.items.filter((item) => item.json.error !== undefined);
			const tooMany = fan.requests.filter((request) => request.status === 429).length;
			const answered = fan.requests.filter((request) => request.status === 200).length;
			const allowedMs = fan.allowedMs(answered, startedMs);
			const ratio = allowedMs > 0 ? elapsedMs / allowedMs : undefined;
			const firstError = failed[0]?.json.error;
			const pacedMs = fan.pacedMs?.(fan.requests.length);
			// The rest beyond the pace is what the answers, n8n's work per item and late timers add, per request.
			const pacedText =
				pacedMs === undefined || fan.requests.length < 2
					? ''
					: `; the package's own pace (${fan.pacing}) takes ${(pacedMs / 1000).toFixed(1)} s, so ${(elapsedMs / pacedMs).toFixed(3)}× of it, ${((elapsedMs - pacedMs) / (fan.requests.length - 1)).toFixed(1)} ms a request beyond it`;
			ctx.figures.push({
				group: 5,
				name: `fan-out: ${count} ${fan.vendor} Get items, failed items`,
				value: String(failed.length),
				goal: goal(failed.length, '==', 0, '0'),
				detail: firstError ? `first: ${String(firstError).slice(0, 160)}` : `limit ${fan.limit}`,
			});
			ctx.figures.push({
				group: 5,
				name: `fan-out: ${count} ${fan.vendor} Get items, 429s received`,
				value: String(tooMany),
				goal: goal(tooMany, '<=', 1, '≤ 1'),
				detail: `${fan.requests.length} requests in all, ${answered} answered 200`,
			});
			ctx.figures.push({
				group: 5,
				name: `fan-out: ${count} ${fan.vendor} Get items, elapsed vs what the limit allows`,
				value: ratio === undefined ? `${(elapsedMs / 1000).toFixed(1)} s (the limit allows them at once)` : `${ratio.toFixed(3)}×`,
				goal: ratio === undefined ? { text: '≤ 1.05×', met: null } : goal(ratio, '<=', 1.05, '≤ 1.05×'),
				detail: `elapsed ${(elapsedMs / 1000).toFixed(1)} s; the limit allows ${answered} requests in ${(allowedMs / 1000).toFixed(1)} s from the start${pacedText}`,
			});
			ctx.log(`  ${failed.length} failed, ${tooMany} × 429, ${(elapsedMs / 1000).toFixed(1)} s (allowed ${(allowedMs / 1000).toFixed(1)} s)`);
		} finally {
			await fan.close();
		}
	}
}
