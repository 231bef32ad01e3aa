import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ReceivedRequest {
	method: string;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
}

/** A loopback endpoint standing in for n8n's webhook URL: records what arrives and answers with the next status. */
export async function startReceiver(statuses: number[] = []) {
	const received: ReceivedRequest[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ method: request.method ?? '', headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
			response.writeHead(statuses.shift() ?? 200);
			response.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/hook-under-test/webhook`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
