// n8n's community-package scanner (`@n8n/scan-community-package`, pinned in devDependencies), loaded so that this
// repository can use its own ESLint config and analysis. Its `analyzePackageByName` downloads a published package
// and its attested GitHub source; an unpublished package has neither, so scripts/scan-community-package.mjs runs
// the same `analyzePackage` on the repository and on the packed tarball instead.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');

// The scanner makes a temporary directory as it loads, for downloads this repository never makes: remove it at exit.
createRequire(scannerPath)('tmp').setGracefulCleanup();

const scanner = await import(pathToFileURL(scannerPath).href);

export const scannerVersion = createRequire(scannerPath)('../package.json').version;

/** Lints a directory with the scanner's config and options (`allowInlineConfig: false`); `{ passed, details }`. */
export const analyzePackage = scanner.analyzePackage;

/** The scanner's flat ESLint config. */
export const buildScanConfig = scanner.buildScanConfig;

/** The source leg's files: package.json and `{nodes,credentials}/**` (the scanner's own constant). */
export const SOURCE_FILE_PATTERNS = scanner.SOURCE_FILE_PATTERNS;

/** The tarball leg's files, as `analyzePackageByName` passes them (inline there, not exported). */
export const DIST_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** The scanner's file listing, with its own glob library and ignores. */
export function listFiles(dir, patterns) {
	const glob = createRequire(scannerPath)('fast-glob');
	return glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
}
