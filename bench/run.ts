/**
 * `npm run bench`: every figure of issue 13, printed with its goal and written to BENCHMARKS.md.
 *
 *   npm run bench                         the full run (about 20 minutes on 2 cores)
 *   npm run bench -- --only 1,3           some figures (1–6)
 *   npm run bench -- --only 1 --case awardeeConversations,awardee    one listing / vendor within them
 *   npm run bench -- --pairs 9            more interleaved rounds
 *   npm run bench -- --scale 0.1          a tenth of the sizes (a busy machine); fan-out keeps its 300 items
 *   npm run bench -- --out /tmp/b.md      write elsewhere (--no-write: print only)
 *   npm run bench:smoke                   tiny sizes, one round, nothing written, no time asserted (CI)
 */
import './lib/env';

import * as fs from 'fs';
import * as path from 'path';

import { listingFigures } from './figures/listings';
import { fanOutFigures } from './figures/fanout';
import { heapFigures } from './figures/heap';
import { triggerFigures } from './figures/trigger';
import { triggerLatencyFigures } from './figures/triggerLatency';
import { userBuildFigures } from './figures/userBuild';
import type { BenchContext } from './lib/context';
import { REPO_DIR } from './lib/paths';
import { machine, renderReport } from './lib/report';
import { metText } from './lib/stats';

interface Options {
	quick: boolean;
	pairs: number;
	scale: number;
	only?: number[];
	cases?: string[];
	out?: string;
}

function parseArgs(argv: string[]): Options {
	const options: Options = { quick: false, pairs: 5, scale: 1, out: path.join(REPO_DIR, 'BENCHMARKS.md') };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		const value = () => {
			const next = argv[++index];
			if (next === undefined) throw new Error(`${arg} needs a value`);
			return next;
		};
		if (arg === '--quick' || arg === '--smoke') options.quick = true;
		else if (arg === '--pairs') options.pairs = Number(value());
		else if (arg === '--scale') options.scale = Number(value());
		else if (arg === '--only') options.only = value().split(',').map(Number);
		else if (arg === '--case') options.cases = value().split(',');
		else if (arg === '--out') options.out = path.resolve(value());
		else if (arg === '--no-write') options.out = undefined;
		else throw new Error(`unknown option ${arg} (see bench/run.ts)`);
	}
	if (!Number.isInteger(options.pairs) || options.pairs < 1) throw new Error('--pairs takes a whole number ≥ 1');
	if (!(options.scale > 0 && options.scale <= 1)) throw new Error('--scale takes a number above 0 and at most 1');
	if (options.only?.some((figure) => !(figure >= 1 && figure <= 6))) throw new Error('--only takes figure numbers 1 to 6');
	if (options.quick) {
		options.pairs = 1;
		if (!argv.includes('--out')) options.out = undefined;
	}
	return options;
}

const FIGURES: Array<[number, (ctx: BenchContext, cases?: string[]) => Promise<void>]> = [
	[1, listingFigures],
	[2, userBuildFigures],
	[4, heapFigures],
	[5, fanOutFigures],
	[6, triggerFigures],
	[6, triggerLatencyFigures],
];

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const startedAt = new Date();
	const before = machine();
	const log = (line: string) => console.log(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
	const sized = (count: number) => Math.max(1, Math.round(count * options.scale));
	const ctx: BenchContext = { quick: options.quick, scale: options.scale, pairs: options.pairs, log, figures: [], sections: [], sized };
	log(`${before.cpu}, ${before.cores} cores, Node ${before.node}, n8n-core ${before.n8nCore}, load ${before.loadAverage.map((v) => v.toFixed(2)).join(' ')}${options.quick ? ' (smoke: tiny sizes)' : options.scale !== 1 ? ` (sizes × ${options.scale})` : ''}`);
	// Figure 3 is measured with figure 1 (the same interleaved runs).
	const wanted = (figure: number) => !options.only || options.only.includes(figure) || (figure === 1 && options.only.includes(3));
	// A figure whose measurement breaks is reported as such and the others still run; the exit code says so.
	const broken: string[] = [];
	for (const [figure, run] of FIGURES) {
		if (!wanted(figure)) continue;
		try {
			await run(ctx, options.cases);
		} catch (error) {
			const message = (error as Error).message.split('\n')[0];
			log(`figure ${figure} (${run.name}) broke: ${(error as Error).stack ?? message}`);
			broken.push(`${figure} (${run.name})`);
			ctx.figures.push({ group: figure, name: `${run.name}: measurement broke`, value: 'not measured', goal: { text: '—', met: false }, detail: message.slice(0, 400) });
		}
	}
	const finishedAt = new Date();
	console.log('');
	for (const figure of ctx.figures) {
		console.log(`${figure.group}. ${figure.name}: ${figure.value}  [goal ${figure.goal.text}: ${metText(figure.goal).replace(/\*/g, '')}]`);
	}
	if (options.out) {
		const methods = fs.readFileSync(path.join(REPO_DIR, 'bench', 'methods.md'), 'utf8');
		const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
		fs.writeFileSync(options.out, renderReport(ctx, { startedAt, finishedAt, before, after: machine().loadAverage, command, methods }));
		log(`written to ${path.relative(process.cwd(), options.out) || options.out}`);
	}
	if (broken.length > 0) throw new Error(`${broken.length} measurement(s) broke: ${broken.join(', ')}`);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(`[bench] measurement failed: ${error.stack ?? error.message}`);
		process.exit(1);
	},
);
