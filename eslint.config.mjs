// The shipped sources and package.json (the files n8n's community-package scanner lints) get exactly the
// scanner's own config, taken from the pinned `@n8n/scan-community-package`, with inline `eslint-disable`
// comments ignored as the scanner ignores them: a clean lint means a clean scan (`npm run scan` runs the scanner
// itself and checks this). Tests, simulators and scripts are Node programs (servers, files, timers) that never
// ship: they get the TypeScript rules only, since the cloud rules forbid exactly what a simulator is made of.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { buildScanConfig, SOURCE_FILE_PATTERNS } from './scripts/n8n-scanner.mjs';

/** A scanner config object, narrowed to the files the scanner lints (each of its own globs and one of those). */
const onScannedFiles = (config) => ({
	...config,
	files: config.files
		? config.files.flatMap((pattern) => SOURCE_FILE_PATTERNS.map((scanned) => [pattern, scanned]))
		: SOURCE_FILE_PATTERNS,
});

export default tseslint.config(
	{ ignores: ['dist/**', '.build/**', 'node_modules/**', 'coverage/**', '.e2e/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
	...(await buildScanConfig()).map(onScannedFiles),
	{ files: SOURCE_FILE_PATTERNS, linterOptions: { noInlineConfig: true } },
);
