import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';

/** The repository, from `.build/bench/bench/lib/` where this file runs compiled. */
export const REPO_DIR = path.resolve(__dirname, '..', '..', '..', '..');

/** Compiled bench files: `.build/bench/bench/…`. */
export const BENCH_BUILD_DIR = path.resolve(__dirname, '..');

/** The e2e toolchain's helpers (plain JS), loaded at run time. */
export function e2eLib<T>(name: string): T {
	return createRequire(__filename)(path.join(REPO_DIR, 'e2e', 'lib', name)) as T;
}

export interface ToolchainPaths {
	nodeBin: string;
	n8nBin: string;
	n8nModules: string;
	n8nDir: string;
}

/** The pinned Node 24 + n8n 2.41.1 of `npm run demo`, or `undefined` when it is not installed yet. */
export function installedToolchain(): ToolchainPaths | undefined {
	const { toolchainPaths } = e2eLib<{ toolchainPaths(): ToolchainPaths }>('toolchain');
	const paths = toolchainPaths();
	const ready = [paths.nodeBin, paths.n8nBin, path.join(paths.n8nModules, 'n8n-nodes-base', 'package.json')].every((file) =>
		fs.existsSync(file),
	);
	return ready ? paths : undefined;
}
