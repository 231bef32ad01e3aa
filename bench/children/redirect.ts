/**
 * Preloaded (--require) into figure 2's child on the e2e toolchain's Node 24: `n8n-core`, `n8n-workflow` and
 * `reflect-metadata`, wherever they are required from (the package, the bench, n8n-nodes-base), load from the
 * toolchain's n8n 2.41.1 install, so that the package's node and n8n's own nodes run on one n8n.
 */
import Module from 'module';

const n8nDir = process.env.BENCH_N8N_DIR;
if (!n8nDir) throw new Error('BENCH_N8N_DIR must name the toolchain n8n folder');

const REDIRECTED = /^(n8n-core|n8n-workflow|reflect-metadata)(\/|$)/;
type Resolve = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
loader._resolveFilename = function (request, parent, isMain, options) {
	if (REDIRECTED.test(request) && !options?.paths) return original.call(this, request, parent, isMain, { paths: [n8nDir] });
	return original.call(this, request, parent, isMain, options);
};
