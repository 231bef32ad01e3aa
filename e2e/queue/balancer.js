'use strict';
/**
 * The load balancer a queue deployment puts in front of its webhook processors, reduced to what the run needs:
 * round robin over the backends on 127.0.0.1, bodies and headers passed through untouched (signatures are over
 * the raw body), and a log of which backend answered each request with what status. Its URL is the WEBHOOK_URL
 * every n8n process is given, so that is what triggers register at the vendor.
 */
const http = require('http');

/** `label(request)`, when given, is kept with each entry (e.g. a delivery id header), to tell requests apart. */
function startBalancer({ port, backends, host = '127.0.0.1', label = () => undefined }) {
	const served = []; // { backend, method, url, label, status }
	let next = 0;
	const server = http.createServer((request, response) => {
		const backend = backends[next++ % backends.length];
		const entry = { backend: backend.name, method: request.method, url: request.url, label: label(request) };
		const upstream = http.request(
			{ host, port: backend.port, method: request.method, path: request.url, headers: request.headers },
			(answer) => {
				served.push({ ...entry, status: answer.statusCode });
				response.writeHead(answer.statusCode, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.once('error', (error) => {
			served.push({ ...entry, status: 502 });
			response.writeHead(502, { 'Content-Type': 'text/plain' });
			response.end(`balancer: ${backend.name} unreachable (${error.code ?? error.message})`);
		});
		request.pipe(upstream);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () =>
			resolve({
				url: `http://${host}:${server.address().port}/`,
				served,
				close: () => new Promise((done) => server.close(() => done())),
			}),
		);
	});
}

module.exports = { startBalancer };
