'use strict';
/**
 * What the demo and the e2e tests both stand on: the pinned toolchain, the built package, one seeded simulator per
 * vendor on loopback, and an n8n user folder with the package installed and the simulators' credentials imported.
 */
const fs = require('fs');
const path = require('path');

const { N8n } = require('./n8n');
const { run } = require('./processes');
const { buildSimulators, simulatorClient, startSimulator } = require('./simulators');
const { ensureToolchain } = require('./toolchain');
const allVendors = require('../vendors');

const REPO_DIR = path.join(__dirname, '..', '..');

/** A port from the environment, or the default; 0 means "any free port". */
function portFromEnv(name, fallback) {
	const value = process.env[name];
	if (value === undefined || value === '') return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${value} is not a port number`);
	return port;
}

async function buildPackage(logFile) {
	await run('npm', ['run', 'build'], { cwd: REPO_DIR, logFile });
}

/**
 * Starts every vendor's simulator. With a fixed `firstPort`, vendor i gets firstPort + 2i for its API and the
 * next port for its /__sim/ controls, so URLs stay the same between runs; with 0 the system picks free ports.
 */
async function startSimulators(firstPort, logDir, vendors) {
	const started = [];
	for (const [index, vendor] of vendors.entries()) {
		const port = firstPort === 0 ? 0 : firstPort + 2 * index;
		const simulator = await startSimulator(vendor.simulator, {
			port,
			controlPort: port === 0 ? 0 : port + 1,
			logFile: path.join(logDir, `simulator-${vendor.key}.log`),
		});
		started.push({ vendor, simulator, client: simulatorClient(simulator, vendor.authHeaders(simulator)) });
	}
	return started;
}

function credentialsFor(running) {
	return running.map(({ vendor, simulator }) => ({
		id: vendor.credential.id,
		name: vendor.credential.name,
		type: vendor.credential.type,
		data: vendor.credential.data(simulator),
	}));
}

/**
 * @param {object} options
 * @param {string} options.runDir  logs and n8n's user folder (recreated)
 * @param {{ n8n: number, broker: number, simulators: number }} options.ports
 * @param {(name: string, body: () => Promise<any>, options?: { heartbeat?: boolean }) => Promise<any>} options.step
 *   runs and reports one setup step (with a line every 15 s unless `heartbeat: false`)
 * @param {string} [options.outboundLog]  make n8n record any attempt to reach beyond loopback in this file
 * @param {object[]} [options.vendors]  entries of e2e/vendors/ to start simulators for (default all)
 */
async function prepareStack({ runDir, ports, step, outboundLog, vendors = allVendors }) {
	fs.mkdirSync(runDir, { recursive: true });
	const log = (name) => path.join(runDir, `${name}.log`);
	const toolchain = await step('toolchain (node 24 + n8n) ready', () => ensureToolchain(), { heartbeat: false });
	await step('package built (npm run build)', () => buildPackage(log('build')));
	await step('simulators compiled', () => buildSimulators(log('build')));
	const running = await step('simulators started', () => startSimulators(ports.simulators, runDir, vendors));
	const n8n = new N8n({ toolchain, runDir, port: ports.n8n, brokerPort: ports.broker, outboundLog });
	await step('n8n user folder with the package installed, credentials imported', async () => {
		n8n.createUserFolder();
		await n8n.importCredentials(credentialsFor(running));
	});
	return { toolchain, n8n, running };
}

module.exports = { prepareStack, portFromEnv };
