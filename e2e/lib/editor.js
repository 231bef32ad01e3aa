'use strict';
/**
 * The editor check: headless Chromium opens each example workflow in n8n's editor, checks that our nodes show
 * their own SVG icons (not the "?" placeholder), opens every node's parameter panel (NDV) and checks that it
 * shows no parameter issue, and saves screenshots. Any uncaught page error or request beyond loopback fails it.
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

const STICKY_NOTE = 'n8n-nodes-base.stickyNote';

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

/**
 * Our node's icon on the canvas: an <img> served from our package that actually decoded (not a "?" box). On a
 * loaded machine the image may still be loading when the node appears: it gets up to 10 s to finish decoding.
 */
async function assertCanvasIcon(page, node) {
	const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`);
	await canvasNode.waitFor({ timeout: 10_000 });
	const readIcons = () =>
		canvasNode.locator('img').evaluateAll((images) =>
			images.map((image) => ({ src: image.getAttribute('src'), complete: image.complete, width: image.naturalWidth })),
		);
	const deadline = Date.now() + 10_000;
	let ours = (await readIcons()).find((icon) => icon.src?.includes(OUR_ICON));
	while (ours && ours.width === 0 && Date.now() < deadline) {
		await page.waitForTimeout(250);
		ours = (await readIcons()).find((icon) => icon.src?.includes(OUR_ICON));
	}
	if (!ours) throw new Error(`"${node.name}" shows no icon of ${PACKAGE_NAME} (found: ${JSON.stringify(await readIcons())})`);
	if (ours.width === 0) throw new Error(`"${node.name}" icon ${ours.src} did not load (complete: ${ours.complete})`);
}

/**
 * The parameter issues the open panel shows (the red triangles, e.g. "The value "vip" is not supported!"), as
 * `<parameter>: <issue text>`. The text lives in a tooltip, so each triangle is hovered to read it.
 */
async function panelIssues(page, panel) {
	const found = [];
	const triangles = panel.locator('[data-test-id="parameter-issues"]');
	for (let index = 0; index < (await triangles.count()); index++) {
		const triangle = triangles.nth(index);
		const input = await triangle
			.locator('xpath=ancestor::*[starts-with(@data-test-id, "parameter-input-")][1]')
			.getAttribute('data-test-id')
			.catch(() => null);
		await triangle.locator('svg').first().hover();
		const items = page.locator('.n8n-tooltip[data-state] .titled-list-item');
		await items.first().waitFor({ timeout: 5_000 }).catch(() => {});
		const texts = (await items.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
		await page.mouse.move(0, 0);
		found.push(`${input?.replace(/^parameter-input-/, '') ?? 'a parameter'}: ${texts.join(' ') || '(issue text not readable)'}`);
	}
	return found;
}

/**
 * Opens a node's parameter panel and checks it shows no parameter issue; for our nodes also that it rendered
 * its parameters with our icon. Screenshots it and closes it.
 */
async function checkNodePanel(page, node, screenshot) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`).dblclick();
	const panel = page.locator('[data-test-id="ndv"]');
	await panel.waitFor({ timeout: 15_000 });
	await panel.locator('[data-test-id="parameter-item"]').first().waitFor({ timeout: 15_000 });
	if (isOurs(node)) {
		const headerIcon = panel.locator(`img[src*="${OUR_ICON}"]`).first();
		await headerIcon.waitFor({ timeout: 10_000 });
		if ((await headerIcon.evaluate((image) => image.naturalWidth)) === 0) throw new Error('the panel icon did not load');
	}
	await page.waitForLoadState('networkidle'); // options lists (tags, …) load before their values are judged
	await page.waitForTimeout(500);
	await page.screenshot({ path: screenshot });
	const issues = await panelIssues(page, panel);
	await page.keyboard.press('Escape');
	await panel.waitFor({ state: 'hidden', timeout: 10_000 });
	if (issues.length > 0) throw new Error(`the panel shows ${issues.length} issue(s): ${issues.join('; ')}`);
}

/** Nodes the canvas marks with an issue (the warning sign on the node). */
async function canvasIssues(page, workflow) {
	const marked = [];
	for (const node of workflow.nodes.filter((candidate) => candidate.type !== STICKY_NOTE)) {
		const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`);
		if ((await canvasNode.locator('[data-test-id="node-issues"]').count()) > 0) marked.push(node.name);
	}
	return marked;
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
 * The credential dialog as a user meets it: opening a stored credential tests it ("Connection tested
 * successfully"); a wrong key typed in and retried must show the vendor's reason under "More details", not only
 * n8n's "Couldn't connect with these settings". Nothing is saved: the page is closed without saving.
 */
async function checkCredentialDialog(context, baseUrl, credential, screenshot) {
	const page = await context.newPage();
	try {
		await page.goto(`${baseUrl}/home/credentials/${credential.id}`);
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor({ timeout: 60_000 });
		await dialog.locator('[data-test-id="credentials-config-container-test-success"]').waitFor({ timeout: 30_000 });
		const docs = await dialog.locator('a:has-text("docs")').first().getAttribute('href');
		if (docs?.includes('#')) throw new Error(`the docs link ${docs} has a #fragment, which n8n's query string breaks`);
		await dialog.locator(`[data-test-id="parameter-input-${credential.wrongKey.field}"] input`).fill(credential.wrongKey.value);
		await dialog.getByRole('button', { name: 'Retry' }).click();
		await dialog.getByText('Couldn’t connect with these settings').waitFor({ timeout: 30_000 });
		const more = dialog.getByText('More details');
		if ((await more.count()) > 0) await more.click();
		const reason = dialog.getByText(credential.wrongKey.reason);
		await reason.waitFor({ timeout: 10_000 }).catch(async () => {
			const shown = (await dialog.innerText()).split('\n').slice(0, 12).join(' | ');
			throw new Error(`the dialog does not show ${credential.wrongKey.reason}; it shows: ${shown}`);
		});
		await page.screenshot({ path: screenshot });
	} finally {
		await page.close(); // unsaved: the stored credential keeps its right key
	}
}

/** No documentation link of ours ends in a #fragment: n8n appends a query string to it, which would break it. */
async function assertDocumentationLinks(request, baseUrl) {
	const nodeTypes = await (await request.get(`${baseUrl}/types/nodes.json`)).json();
	const credentialTypes = await (await request.get(`${baseUrl}/types/credentials.json`)).json();
	const ours = nodeTypes.filter((type) => type.name.startsWith(`${PACKAGE_NAME}.`));
	const ourCredentials = new Set(ours.flatMap((type) => (type.credentials ?? []).map((credential) => credential.name)));
	const links = [
		...ours.flatMap((type) => [
			type.documentationUrl,
			...Object.values(type.codex?.resources ?? {}).flatMap((entries) => entries.map((entry) => entry.url)),
		]),
		...credentialTypes.filter((type) => ourCredentials.has(type.name)).map((type) => type.documentationUrl),
	].filter(Boolean);
	if (links.length === 0) throw new Error('n8n lists no documentation link of ours');
	const broken = links.filter((url) => url.includes('#'));
	if (broken.length > 0) throw new Error(`links with a #fragment: ${[...new Set(broken)].join(', ')}`);
}

/**
 * @param {object} options
 * @param {import('./n8n').N8n} options.n8n  a running instance whose owner exists
 * @param {object[]} options.workflows        the example workflows (already imported)
 * @param {object[]} options.credentials      stored credentials `{ id, name, wrongKey: { field, value, reason } }`
 * @param {string} options.screenshotDir
 * @param {string} options.browserHome      a scratch folder for Chromium's HOME (recreated)
 * @param {(name: string, body: () => Promise<void>) => Promise<boolean>} options.check
 */
async function checkEditor({ n8n, workflows, credentials, screenshotDir, browserHome, check }) {
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
		await check('editor: our nodes\' and credentials\' documentation links have no #fragment', () =>
			assertDocumentationLinks(context.request, n8n.baseUrl),
		);
		const page = await context.newPage();
		const watcher = watchPage(page);
		for (const workflow of workflows) {
			const ourNodes = workflow.nodes.filter(isOurs);
			const opened = await check(`editor: "${workflow.name}" shows our nodes with their icons, no node marked`, async () => {
				await openWorkflow(page, n8n.baseUrl, workflow);
				for (const node of ourNodes) await assertCanvasIcon(page, node);
				await page.screenshot({ path: path.join(screenshotDir, `${fileName(workflow.id)}.png`) });
				const marked = await canvasIssues(page, workflow);
				if (marked.length > 0) throw new Error(`the canvas marks issues on ${marked.join(', ')}`);
				watcher.assertClean();
			});
			if (!opened) continue;
			for (const node of workflow.nodes.filter((candidate) => candidate.type !== STICKY_NOTE)) {
				await check(`editor: "${workflow.name}" panel of "${node.name}" shows no parameter issue`, async () => {
					await checkNodePanel(page, node, path.join(screenshotDir, `${fileName(workflow.id)}--${fileName(node.name)}.png`));
					watcher.assertClean();
				});
			}
		}
		for (const credential of credentials) {
			await check(`editor: credential "${credential.name}" tests fine, and with a wrong key shows the vendor's reason`, () =>
				checkCredentialDialog(context, n8n.baseUrl, credential, path.join(screenshotDir, `credential-${fileName(credential.id)}.png`)),
			);
		}
	} finally {
		await browser.close();
	}
}

module.exports = { checkEditor };
