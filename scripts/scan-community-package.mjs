// n8n's community-package scanner on this package, both legs of its `analyzePackageByName`:
//   source leg: package.json and {nodes,credentials}/**/*.{js,ts,json} of the repository,
//   dist leg:   **/*.js and package.json of the tarball `npm pack` makes (dist/ must be built: `npm run scan`).
// Both with the scanner's own `analyzePackage` (its config, `allowInlineConfig: false`). Then it checks that
// `npm run lint` applies every rule the scanner does, at error and with inline config off, on every source-leg
// file, so a clean lint means a clean scan. Exits 1 on any scanner error or any gap.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { ESLint } from 'eslint';

import {
	analyzePackage,
	buildScanConfig,
	DIST_FILE_PATTERNS,
	listFiles,
	scannerVersion,
	SOURCE_FILE_PATTERNS,
} from './n8n-scanner.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;

/** One leg; a leg without code to scan (no sources, or a tarball without a build) fails rather than passing empty. */
async function leg(label, dir, patterns) {
	const files = listFiles(dir, patterns);
	const code = files.filter((file) => /\.(js|ts)$/.test(file));
	const result = await analyzePackage(dir, patterns);
	const passed = result.passed && code.length > 0;
	console.log(`${passed ? 'passed' : 'FAILED'}  ${label}: ${files.length} files (${patterns.join(', ')})`);
	if (!passed) {
		failed = true;
		console.log(result.details ?? (code.length === 0 ? '  no .js or .ts files to scan (is dist/ built?)' : result.message));
	}
	return files;
}

/** Unpacks `npm pack` of the repository the way the scanner unpacks a registry tarball. */
function packAndUnpack(work) {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
	);
	const packageDir = join(work, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', pack.filename, '-C', packageDir, '--strip-components=1'], { cwd: work });
	return { packageDir, tarball: pack.filename };
}

const severity = (entry) => {
	const level = Array.isArray(entry) ? entry[0] : entry;
	return { off: 0, warn: 1, error: 2 }[level] ?? level;
};
const options = (entry) => (Array.isArray(entry) ? entry.slice(1) : []);
const ruleImplementation = (config, rule) => {
	const slash = rule.lastIndexOf('/');
	return slash < 0 ? rule : config.plugins?.[rule.slice(0, slash)]?.rules?.[rule.slice(slash + 1)];
};

/** Rules the scanner reports as errors on a file that the project's lint config does not apply the same way. */
async function lintGaps(files) {
	const scan = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const lint = new ESLint({ cwd: root });
	const gaps = [];
	let rules = 0;
	for (const file of files) {
		const name = relative(root, file);
		const wanted = await scan.calculateConfigForFile(file);
		const actual = await lint.calculateConfigForFile(file);
		if (!actual) {
			gaps.push(`${name}: not linted by npm run lint`);
			continue;
		}
		if (actual.linterOptions?.noInlineConfig !== true) gaps.push(`${name}: inline eslint comments are honoured`);
		for (const [rule, entry] of Object.entries(wanted.rules ?? {})) {
			if (severity(entry) !== 2) continue;
			rules += 1;
			const own = actual.rules?.[rule];
			if (own === undefined || severity(own) !== 2 || !isDeepStrictEqual(options(own), options(entry))) {
				gaps.push(`${name}: ${rule} is ${JSON.stringify(own ?? 'off')}, the scanner has ${JSON.stringify(entry)}`);
			} else if (ruleImplementation(actual, rule) !== ruleImplementation(wanted, rule)) {
				gaps.push(`${name}: ${rule} comes from another plugin version than the scanner's`);
			}
		}
	}
	return { gaps, rules };
}

console.log(`n8n community-package scanner ${scannerVersion}`);
const sourceFiles = await leg('source leg, repository', root, SOURCE_FILE_PATTERNS);

const work = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
try {
	const { packageDir, tarball } = packAndUnpack(work);
	await leg(`dist leg, ${tarball}`, packageDir, DIST_FILE_PATTERNS);
} finally {
	rmSync(work, { recursive: true, force: true });
}

const { gaps, rules } = await lintGaps(sourceFiles);
console.log(
	`${gaps.length === 0 ? 'passed' : 'FAILED'}  npm run lint applies the scanner's rules: ${rules} file-rule pairs checked`,
);
if (gaps.length > 0) {
	failed = true;
	console.log(gaps.map((gap) => `  ${gap}`).join('\n'));
}

process.exit(failed ? 1 : 0);
