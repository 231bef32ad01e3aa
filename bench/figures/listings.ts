/**
 * Figures 1 and 3: each listing through the package's node (Normalized and Raw), the floor inside n8n and a bare
 * fetch loop over the same pages, interleaved in one run; and a CPU profile of the package's getAll.
 */
import type { BenchContext } from '../lib/context';
import { profile, profileTable } from '../lib/profile';
import { goal, msText, ratios, ratioText, reported, summarize, interleave } from '../lib/stats';
import { selected } from '../lib/select';
import type { Listing } from '../lib/vendors';
import { LISTINGS, recordPages, runFetch, runFloor, runPackage } from '../lib/vendors';

/** The vendors' published request rates the package keeps to; a listing of n pages cannot be faster than n / rate. */
const PUBLISHED_RATE: Record<string, number> = { oncehubContacts: 5, voipbinConversations: 16.7, voipbinMessages: 16.7 };

const NORMALIZERS = /nodes\/[^/]+\/normalize\.ts$/;

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
			await measureListing(ctx, key, listing);
			if (key === 'awardeeConversations') await profileListing(ctx, listing);
		} finally {
			await listing.close();
		}
	}
}

async function measureListing(ctx: BenchContext, key: string, listing: Listing): Promise<void> {
	ctx.log(`${listing.label}: package Normalized, package Raw, floor in n8n, bare fetch (${ctx.pairs} rounds)`);
	await recordPages(listing);
	const pages = listing.plan.pages.length;
	const times = await interleave(
		{
			normalized: () => runPackage(listing, 'normalized').then(() => void (listing.requests.length = 0)),
			raw: () => runPackage(listing, 'raw').then(() => void (listing.requests.length = 0)),
			floor: () => runFloor(listing),
			fetch: () => runFetch(listing),
		},
		ctx.pairs,
		ctx.log,
	);
	const vsFloor = summarize(ratios(times.normalized, times.floor));
	const rawVsFloor = summarize(ratios(times.raw, times.floor));
	const floorVsFetch = summarize(ratios(times.floor, times.fetch));
	const medians = `package ${msText(summarize(times.normalized))}, Raw ${msText(summarize(times.raw))}, floor ${msText(summarize(times.floor))}, fetch ${msText(summarize(times.fetch))}; ${pages} pages`;
	const rate = PUBLISHED_RATE[key];
	const paceNote = rate
		? `; the vendor's published ${rate}/s allows ${pages} pages in no less than ${((pages - 1) / rate).toFixed(1)} s, which the package keeps to and the floor does not`
		: '';
	ctx.figures.push({
		group: 1,
		name: `${listing.label} vs the floor inside n8n`,
		value: ratioText(vsFloor),
		goal: goal(vsFloor.median, '<=', 1.15, '≤ 1.15×'),
		detail: medians + paceNote,
	});
	ctx.figures.push({
		group: 1,
		name: `${listing.label}, Raw output, vs the floor`,
		value: ratioText(rawVsFloor),
		goal: reported,
		detail: 'the package without normalizing, against the same floor',
	});
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
		detail: `Raw vs Normalized ${ratioText(summarize(ratios(times.raw, times.normalized)))}`,
	});
}

async function profileListing(ctx: BenchContext, listing: Listing): Promise<void> {
	ctx.log(`${listing.label}: CPU profiles (Normalized, then Raw)`);
	const normalized = await profile(() => runPackage(listing, 'normalized').then(() => void (listing.requests.length = 0)));
	const raw = await profile(() => runPackage(listing, 'raw').then(() => void (listing.requests.length = 0)));
	const normalizerMs = normalized.matching(NORMALIZERS);
	const rawNormalizerMs = raw.matching(NORMALIZERS);
	ctx.figures.push({
		group: 3,
		name: `${listing.label}: normalizer self time in a CPU profile`,
		value: `${((normalizerMs / normalized.totalMs) * 100).toFixed(1)}% of busy time`,
		goal: goal(normalizerMs / normalized.totalMs, '<=', 0.1, '≤ 10%'),
		detail: `${normalizerMs.toFixed(1)} ms self time in nodes/*/normalize.ts of ${normalized.totalMs.toFixed(0)} ms sampled (self time only: the normalizers' calls into n8n-workflow and Node are not counted)`,
	});
	ctx.figures.push({
		group: 3,
		name: `${listing.label}: Raw output does not normalize`,
		value: rawNormalizerMs === 0 ? 'yes: no sample in a normalizer' : `no: ${rawNormalizerMs.toFixed(1)} ms in normalizers`,
		goal: { text: 'no normalizer time', met: rawNormalizerMs === 0 },
		detail: 'CPU profile of a Raw run, 100 µs sampling',
	});
	ctx.sections.push({ title: `CPU profile: ${listing.label}, Normalized`, body: profileTable(normalized) });
	ctx.sections.push({ title: `CPU profile: ${listing.label}, Raw`, body: profileTable(raw) });
}
