import 'reflect-metadata';
import { existsSync, readFileSync } from 'fs';
import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { join } from 'path';

import packageJson from '../package.json';

const root = join(__dirname, '..');

/** The names saved workflows depend on (shared/CONTRACT.md): they must never change. */
const CONTRACT = {
	nodes: {
		awardee: 'Awardee',
		awardeeTrigger: 'Awardee Trigger',
		onceHub: 'OnceHub',
		onceHubTrigger: 'OnceHub Trigger',
		socialBoards: 'SocialBoards',
		socialBoardsTrigger: 'SocialBoards Trigger',
		voipbin: 'VoIPbin',
		voipbinTrigger: 'VoIPbin Trigger',
	} as Record<string, string>,
	credentials: ['awardeeApi', 'onceHubApi', 'socialBoardsApi', 'voipbinApi'],
};

describe('package.json', () => {
	it('is an n8n community package with no runtime dependencies', () => {
		expect(packageJson.name).toBe('n8n-nodes-conversations');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect((packageJson as { dependencies?: object }).dependencies).toBeUndefined();
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.files).toEqual(['dist']);
	});

	it('lists a source for every node and credential', () => {
		for (const path of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials]) {
			expect(path).toMatch(/^dist\/.+\.js$/);
			expect(existsSync(join(root, path.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
		}
	});
});

describe('the built package, loaded as n8n loads a community package', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		if (!existsSync(join(root, 'dist', 'package.json'))) throw new Error('Build first: npm test runs npm run build.');
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	it('has exactly the node and credential types of the contract', () => {
		const nodes = Object.fromEntries(
			Object.entries(loader.nodeTypes).map(([name, data]) => [name, (data.type as INodeType).description.displayName]),
		);
		expect(nodes).toEqual(CONTRACT.nodes);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual([...CONTRACT.credentials].sort());
	});

	it('ships every icon a node or credential points to, light and dark different', () => {
		// The loader turns `file:` icons into URLs of files inside the package: icons/<package>/<path>.
		const iconUrls = [
			...loader.types.nodes.map((node) => ({ name: node.name, iconUrl: node.iconUrl })),
			...loader.types.credentials.map((credential) => ({ name: credential.name, iconUrl: credential.iconUrl })),
		];
		for (const { name, iconUrl } of iconUrls) {
			const { light, dark } = iconUrl as { light: string; dark: string };
			expect(light).not.toBe(dark);
			for (const url of [light, dark]) {
				const path = join(root, url.replace(`icons/${packageJson.name}/`, ''));
				expect({ name, path, exists: existsSync(path) }).toEqual({ name, path, exists: true });
				expect(readFileSync(path, 'utf8')).toMatch(/^<svg/);
			}
		}
	});

	it('links documentation without a #fragment, which n8n would break by appending its query string', () => {
		const links = [
			...Object.values(loader.credentialTypes).map(({ type }) => ({
				name: type.name,
				url: (type as { documentationUrl?: string }).documentationUrl,
			})),
			...loader.types.nodes.flatMap((node) =>
				(node.codex?.resources?.primaryDocumentation ?? []).map(({ url }) => ({ name: node.name, url })),
			),
		];
		expect(links.length).toBeGreaterThanOrEqual(Object.keys(CONTRACT.nodes).length);
		expect(links.filter(({ url }) => !url || url.includes('#'))).toEqual([]);
	});
});

describe('node descriptions', () => {
	const descriptions: INodeTypeDescription[] = packageJson.n8n.nodes.map((path) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require(join(root, path.replace(/^dist\//, '').replace(/\.js$/, '')));
		const NodeClass = Object.values(module)[0] as new () => INodeType;
		return new NodeClass().description;
	});

	it('follow n8n conventions: usable as tool for actions only, resource defaults to conversation', () => {
		for (const description of descriptions) {
			const isTrigger = description.name.endsWith('Trigger');
			expect({ name: description.name, usableAsTool: description.usableAsTool ?? false }).toEqual({
				name: description.name,
				usableAsTool: !isTrigger,
			});
			if (!isTrigger) {
				const resource = description.properties.find((p) => p.name === 'resource')!;
				expect(resource.default).toBe('conversation');
				expect(resource.noDataExpression).toBe(true);
			}
		}
	});

	it('give every operation an action and every Output the three modes', () => {
		for (const description of descriptions.filter((d) => !d.name.endsWith('Trigger'))) {
			const operations = description.properties.filter((p) => p.name === 'operation');
			for (const operation of operations) {
				expect(operation.noDataExpression).toBe(true);
				for (const option of operation.options as Array<{ action?: string; value: string }>) {
					expect({ value: option.value, action: typeof option.action }).toEqual({ value: option.value, action: 'string' });
				}
			}
			for (const output of description.properties.filter((p: INodeProperties) => p.name === 'output')) {
				expect((output.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['normalized', 'raw', 'simplified']);
				expect(output.default).toBe('normalized');
			}
		}
	});
});
