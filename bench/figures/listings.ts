/**
 * Figures 1 and 3: each listing through the package's node (Normalized and Raw), the floor inside n8n and a bare
 * fetch loop over the same pages, interleaved in one run; and a CPU profile of the package's getAll.
 */
import { setTimeout as sleep } from 'timers/promises';

import type { BenchContext } from '../lib/context';
import { areaComparison, profile, profileTable } from '../lib/profile';
import { goal, msText, ratios, ratioText, reported, series, summarize, interleave } from '../lib/stats';
import { selected } from '../lib/select';
import type { Listing } from '../lib/vendors';
import { LIFTED_RATE } from '../lib/published';
import { LISTINGS, recordPages, runFetch, runFloor, runPackage } from '../lib/vendors';

const NORMALIZER_FILES = /nodes\/[^/]+\/normalize\.ts$/;

/** The normalizers themselves: `normalizeConversation`, `normalizeMessage`… of a vendor's normalize.ts. */
const NORMALIZER_FUNCTIONS = /^normalize/;

export async function listingFigures(ctx: BenchContext, only?: string[]): Promise<void> {
	const sizes: Record<string, number> = ctx.quick
		? { awardeeConversations: 250, awardeeMessages: 150, oncehubContacts: 120, voipbinConversations: 150, voipbinMessages: 120 }
		: {
				awardeeConversations: ctx.sized(10_000),
				awardeeMessages: ctx.sized(5_000),
				oncehubContacts: ctx.sized(10_000),
				voipbinConversations: ctx.sized(10_000),
				voipbinMessages: ctx.sized(5_000),
			};
	for (const [key, count] of Object.entries(sizes)) {
		if (!selected(key, only)) continue;
		const listing = await LISTINGS[key].start(count);
		try {
			await measureListing(ctx, listing);
			if (key === 'awardeeConversations') await profileListing(ctx, listing);
		} finally {
			await listing.close();
		}
	}
}

/**
 * A paced vendor's listing (OnceHub, VoIPbin) runs three ways: with Max Requests Per Second lifted (the package's
 * code against the floor under the same conditions: the goal's figure), Raw lifted, and at the published limit the
 * package keeps to by default, which is given against the least time that limit allows. Awardee sets no pace of
 * its own (it follows the rate-limit headers, which the simulator reports with the budget never used up).
 */
async function measureListing(ctx: BenchContext, listing: Listing): Promise<void> {
	const limit = listing.publishedLimit;
	const lifted = limit === undefined ? undefined : LIFTED_RATE;
	ctx.log(
		`${listing.label}: package Normalized, package Raw${limit === undefined ? '' : ` (both at Max Requests Per Second ${LIFTED_RATE.toLocaleString('en-US')}), package at its default pace`}, floor in n8n, bare fetch (${ctx.pairs} rounds)`,
	);
	await recordPages(listing, lifted);
	const pages = listing.plan.pages.length;
	const clear = () => void (listing.requests.length = 0);
	const times = await interleave(
		{
			normalized: () => runPackage(listing, 'normalized', lifted).then(clear),
			raw: () => runPackage(listing, 'raw', lifted).then(clear),
			floor: () => runFloor(listing),
			fetch: () => runFetch(listing),
		},
		ctx.pairs,
		ctx.log,
	);
	// At the default pace the run mostly waits: after the interleaved rounds, each run once the limit is fresh.
	if (limit !== undefined) {
		times.paced = await series(() => runPackage(listing, 'normalized').then(clear), ctx.pairs, () => sleep(limit.freshAfterMs));
		ctx.log(`  at the default pace: ${times.paced.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
	}
	const vsFloor = summarize(ratios(times.normalized, times.floor));
	const rawVsFloor = summarize(ratios(times.raw, times.floor));
	const floorVsFetch = summarize(ratios(times.floor, times.fetch));
	const medians = `package ${msText(summarize(times.normalized))}, Raw ${msText(summarize(times.raw))}, floor ${msText(summarize(times.floor))}, fetch ${msText(summarize(times.fetch))}; ${pages} pages`;
	const liftedName = limit === undefined ? '' : ', Max Requests Per Second lifted,';
	const liftedNote =
		limit === undefined
			? ''
			: `; the package with Request Options → Max Requests Per Second ${LIFTED_RATE.toLocaleString('en-US')} (the published ${limit.text} lifted; the simulator does not enforce it), as the floor sends: the goal is judged on this row`;
	ctx.figures.push({
		group: 1,
		name: `${listing.label}${liftedName} vs the floor inside n8n`,
		value: ratioText(vsFloor),
		goal: goal(vsFloor.median, '<=', 1.15, '≤ 1.15×'),
		detail: medians + liftedNote,
	});
	ctx.figures.push({
		group: 1,
		name: `${listing.label}, Raw output${liftedName} vs the floor`,
		value: ratioText(rawVsFloor),
		goal: reported,
		detail: 'the package without normalizing, against the same floor',
	});
	if (limit !== undefined) {
		const allowedMs = limit.allowsMs(pages);
		const pacedMs = summarize(times.paced);
		ctx.figures.push({
			group: 1,
			name: `${listing.label} at the vendor's published limit (the default pace): elapsed vs what the limit allows`,
			value: allowedMs > 0 ? ratioText(summarize(times.paced.map((ms) => ms / allowedMs))) : `${msText(pacedMs)} (the limit allows them at once)`,
			goal: reported,
			detail: `package Normalized at its default pace ${msText(pacedMs)}; the published ${limit.text} lets ${pages} requests through in no less than ${(allowedMs / 1000).toFixed(1)} s from the start (as figure 5 counts it), each run starting ${(limit.freshAfterMs / 1000).toFixed(1)} s after the previous one, when the limit is fresh, after the interleaved rounds; the excess is the pace's own margin and the time of the answers (the floor ignores the limit, which the real vendor answers with 429s)`,
		});
	}
	ctx.figures.push({
		group: 1,
		name: `${listing.label}: the floor vs a bare fetch loop`,
		value: ratioText(floorVsFetch),
		goal: reported,
		detail: "n8n's httpRequestWithAuthentication against Node's fetch, same pages (platform cost)",
	});
	const share = summarize(times.normalized.map((normalized, index) => 1 - times.raw[index] / normalized));
	ctx.figures.push({
		group: 3,
		name: `${listing.label}: the normalizer's share (1 − Raw / Normalized)`,
		value: `${(share.median * 100).toFixed(1)}% (${(share.min * 100).toFixed(1)}–${(share.max * 100).toFixed(1)}%)`,
		goal: goal(share.median, '<=', 0.1, '≤ 10%'),
		detail: `Raw vs Normalized ${ratioText(summarize(ratios(times.raw, times.normalized)))}${limit === undefined ? '' : ' (both with the pace lifted)'}`,
	});
}

async function profileListing(ctx: BenchContext, listing: Listing): Promise<void> {
	ctx.log(`${listing.label}: CPU profiles (Normalized, Raw, the floor)`);
	const normalized = await profile(() => runPackage(listing, 'normalized').then(() => void (listing.requests.length = 0)));
	const raw = await profile(() => runPackage(listing, 'raw').then(() => void (listing.requests.length = 0)));
	const floor = await profile(() => runFloor(listing));
	const normalizerMs = normalized.within(NORMALIZER_FILES, NORMALIZER_FUNCTIONS);
	const normalizerSelfMs = normalized.matching(NORMALIZER_FILES);
	const rawNormalizerMs = raw.within(NORMALIZER_FILES, NORMALIZER_FUNCTIONS);
	// Raw still refuses an object no item can be (a conversation without an id): that check lives in the
	// normalize files too, beside the rule it shares with the normalizer, and is no normalizing.
	const rawCheckMs = raw.matching(NORMALIZER_FILES);
	ctx.figures.push({
		group: 3,
		name: `${listing.label}: normalizer time in a CPU profile`,
		value: `${((normalizerMs / normalized.totalMs) * 100).toFixed(1)}% of busy time`,
		goal: goal(normalizerMs / normalized.totalMs, '<=', 0.1, '≤ 10%'),
		detail: `${normalizerMs.toFixed(1)} ms of ${normalized.totalMs.toFixed(0)} ms sampled with a normalizer (normalize* of nodes/*/normalize.ts) on the stack, what it calls into included; ${normalizerSelfMs.toFixed(1)} ms self time in the normalize files`,
	});
	ctx.figures.push({
		group: 3,
		name: `${listing.label}: Raw output does not normalize`,
		value: rawNormalizerMs === 0 ? 'yes: no sample under a normalizer' : `no: ${rawNormalizerMs.toFixed(1)} ms under normalizers`,
		goal: { text: 'no normalizer time', met: rawNormalizerMs === 0 },
		detail: `CPU profile of a Raw run, 100 µs sampling; the id check Raw keeps (a listed object without a usable id is refused in every output mode: conversationId → requireId, in the normalize files) ${rawCheckMs.toFixed(1)} ms`,
	});
	ctx.sections.push({ title: `CPU profile: ${listing.label}, Normalized`, body: profileTable(normalized) });
	ctx.sections.push({ title: `CPU profile: ${listing.label}, Raw`, body: profileTable(raw) });
	ctx.sections.push({ title: `CPU profile: ${listing.label}, the floor inside n8n`, body: profileTable(floor) });
	ctx.sections.push({
		title: `CPU profile: ${listing.label}, the package and the floor by area`,
		body: `One run each, 100 µs sampling; busy time, idle excluded. The simulator and the garbage collector are paid by both sides; what the package adds is the difference per row.\n\n${areaComparison([
			['Normalized', normalized],
			['Raw', raw],
			['floor', floor],
		])}`,
	});
}
