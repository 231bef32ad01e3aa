'use strict';
/**
 * The editor check: headless Chromium opens each example workflow in n8n's editor, checks that our nodes show
 * their own SVG icons (not the "?" placeholder), opens each of our nodes' parameter panel (NDV), and saves
 * screenshots. Any uncaught page error or request beyond loopback fails it.
 */
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const { OWNER, PACKAGE_NAME } = require('./n8n');

const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const OUR_ICON = `/icons/${PACKAGE_NAME}/`;

const isOurs = (node) => node.type.startsWith(`${PACKAGE_NAME}.`);
const fileName = (text) => text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

/** Chromium writes crash reports and dconf under HOME/XDG dirs even with its own profile: give it a fresh home. */
function browserEnv(home) {
	fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(home, { recursive: true });
	const xdg = { XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') };
	return { ...process.env, HOME: home, ...xdg };
}

/** Watches a page for uncaught errors and for any request that would leave the machine. */
function watchPage(page) {
	const problems = [];
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (/^(http|ws)s?:$/.test(url.protocol) && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
			problems.push(`request beyond loopback: ${url.origin}${url.pathname}`);
		}
	});
	return {
		/** Throws with what went wrong since the last call, and forgets it. */
		assertClean() {
			const found = problems.splice(0);
			if (found.length > 0) throw new Error([...new Set(found)].join('\n'));
		},
	};
}

async function openWorkflow(page, baseUrl, workflow) {
	await page.goto(`${baseUrl}/workflow/${workflow.id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	// Published workflows open with a "Production Checklist" popover over the canvas; it is not what we check.
	await page.keyboard.press('Escape');
	await page.waitForLoadState('networkidle');
}

/** Our node's icon on the canvas: an <img> served from our package that actually decoded (not a "?" box). */
async function assertCanvasIcon(page, node) {
	const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`);
	await canvasNode.waitFor({ timeout: 10_000 });
	const icons = await canvasNode
		.locator('img')
		.evaluateAll((images) => images.map((image) => ({ src: image.getAttribute('src'), width: image.naturalWidth })));
	const ours = icons.find((icon) => icon.src?.includes(OUR_ICON));
	if (!ours) throw new Error(`"${node.name}" shows no icon of ${PACKAGE_NAME} (found: ${JSON.stringify(icons)})`);
	if (ours.width === 0) throw new Error(`"${node.name}" icon ${ours.src} did not load`);
}

/** Opens the node's parameter panel, checks it rendered its parameters with our icon, screenshots it, closes it. */
async function checkNodePanel(page, node, screenshot) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`).dblclick();
	const panel = page.locator('[data-test-id="ndv"]');
	await panel.waitFor({ timeout: 15_000 });
	await panel.locator('[data-test-id="parameter-item"]').first().waitFor({ timeout: 15_000 });
	const headerIcon = panel.locator(`img[src*="${OUR_ICON}"]`).first();
	await headerIcon.waitFor({ timeout: 10_000 });
	if ((await headerIcon.evaluate((image) => image.naturalWidth)) === 0) throw new Error('the panel icon did not load');
	await page.waitForLoadState('networkidle');
	await page.screenshot({ path: screenshot });
	await page.keyboard.press('Escape');
	await panel.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Both theme variants of every icon our node types declare are served as SVG. */
async function assertThemeIcons(request, baseUrl) {
	const response = await request.get(`${baseUrl}/types/nodes.json`);
	const ours = (await response.json()).filter((type) => type.name.startsWith(`${PACKAGE_NAME}.`));
	if (ours.length === 0) throw new Error(`n8n lists no node types of ${PACKAGE_NAME}`);
	for (const type of ours) {
		const urls = typeof type.iconUrl === 'string' ? [type.iconUrl] : Object.values(type.iconUrl ?? {});
		if (urls.length === 0) throw new Error(`${type.name} declares no icon`);
		for (const url of urls) {
			const icon = await request.get(`${baseUrl}/${url}`);
			const body = await icon.text();
			if (!icon.ok() || !body.includes('<svg')) {
				throw new Error(`${type.name}: ${url} answered ${icon.status()}, not an SVG`);
			}
		}
	}
}

/**
 * @param {object} options
 * @param {import('./n8n').N8n} options.n8n  a running instance whose owner exists
 * @param {object[]} options.workflows        the example workflows (already imported)
 * @param {string} options.screenshotDir
 * @param {string} options.browserHome      a scratch folder for Chromium's HOME (recreated)
 * @param {(name: string, body: () => Promise<void>) => Promise<boolean>} options.check
 */
async function checkEditor({ n8n, workflows, screenshotDir, browserHome, check }) {
	fs.mkdirSync(screenshotDir, { recursive: true });
	// No stale shots of renamed workflows; only our own kind of file goes, the folder may be the user's choice.
	for (const file of fs.readdirSync(screenshotDir).filter((name) => name.endsWith('.png'))) {
		fs.rmSync(path.join(screenshotDir, file));
	}
	const env = browserEnv(browserHome);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, env });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const login = await context.request.post(`${n8n.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`editor login answered ${login.status()}`);
		await check('editor: our node types list light and dark SVG icons that are served', () =>
			assertThemeIcons(context.request, n8n.baseUrl),
		);
		const page = await context.newPage();
		const watcher = watchPage(page);
		for (const workflow of workflows) {
			const ourNodes = workflow.nodes.filter(isOurs);
			const opened = await check(`editor: "${workflow.name}" shows our nodes with their icons`, async () => {
				await openWorkflow(page, n8n.baseUrl, workflow);
				for (const node of ourNodes) await assertCanvasIcon(page, node);
				await page.screenshot({ path: path.join(screenshotDir, `${fileName(workflow.id)}.png`) });
				watcher.assertClean();
			});
			if (!opened) continue;
			for (const node of ourNodes) {
				await check(`editor: "${workflow.name}" parameter panel of "${node.name}"`, async () => {
					await checkNodePanel(page, node, path.join(screenshotDir, `${fileName(workflow.id)}--${fileName(node.name)}.png`));
					watcher.assertClean();
				});
			}
		}
	} finally {
		await browser.close();
	}
}

module.exports = { checkEditor };
