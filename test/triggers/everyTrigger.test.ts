import 'reflect-metadata';
import { existsSync } from 'fs';
import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeType } from 'n8n-workflow';
import { join } from 'path';

const root = join(__dirname, '..', '..');

describe('every webhook trigger of the package, as n8n loads it from dist/', () => {
	let triggers: INodeType[];

	beforeAll(async () => {
		if (!existsSync(join(root, 'dist', 'package.json'))) throw new Error('Build first: npm test runs npm run build.');
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
		triggers = Object.values(loader.nodeTypes)
			.map((data) => data.type as INodeType)
			.filter((node) => node.description.webhooks !== undefined);
	});

	// n8n 2.41.1 saves static data written during an execution, not what webhook() wrote for a delivery that
	// started one: the trigger's execute() is where its de-duplication window is recorded for good.
	it('records its events inside the execution (it has the shared execute beside webhook)', () => {
		expect(triggers.length).toBeGreaterThanOrEqual(3);
		const without = triggers.filter((node) => typeof node.execute !== 'function' || typeof node.webhook !== 'function');
		expect(without.map((node) => node.description.name)).toEqual([]);
	});
});
