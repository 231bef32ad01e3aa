import { createHmac } from 'crypto';
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import { SIMULATORS } from './run';

interface Received {
	deliveryId: string;
	signature: string;
	rawBody: string;
}

/** A receiver on loopback that keeps each delivery's id, signature and raw body and answers 200. */
async function startReceiver() {
	const received: Received[] = [];
	const server = createServer((request, response) => {
		let rawBody = '';
		request.on('data', (chunk) => (rawBody += chunk));
		request.on('end', () => {
			received.push({
				deliveryId: String(request.headers['x-awardee-delivery']),
				signature: String(request.headers['x-awardee-signature']),
				rawBody,
			});
			response.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Whether Awardee's `t=<unix>,v1=<hex>` signature is the HMAC of "t.rawBody" under the secret. */
function signedWith(secret: string, { signature, rawBody }: Received): boolean {
	const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
	if (!match) return false;
	return createHmac('sha256', secret).update(`${match[1]}.${rawBody}`).digest('hex') === match[2];
}

describe('run.ts controls (the e2e runs drive the simulators through them)', () => {
	it('Awardee deliver: a given id is sent as X-Awardee-Delivery on every re-send, each signed with the registered secret; without one, a fresh id', async () => {
		const receiver = await startReceiver();
		const running = await SIMULATORS.awardee({ port: 0, host: '127.0.0.1' });
		try {
			const { baseUrl, apiKey } = running.connection;
			const api = async (method: string, path: string, body?: object) => {
				const response = await fetch(`${baseUrl}${path}`, {
					method,
					headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				return (await response.json()) as { id: string; secret: string; data: Array<{ id: string }> };
			};
			const webhook = await api('POST', '/webhooks', { url: receiver.url, events: ['conversation.created'] });
			const [conversation] = (await api('GET', '/conversations?limit=1')).data;
			const deliver = (deliveryId?: string) =>
				running.controls.deliver({ webhook: webhook.id, event: 'conversation.created', conversationId: conversation.id, id: deliveryId });

			const answers = [await deliver('dlv_resent-1'), await deliver('dlv_resent-1'), await deliver()];

			expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
			const [first, again, fresh] = receiver.received;
			expect([first.deliveryId, again.deliveryId]).toEqual(['dlv_resent-1', 'dlv_resent-1']);
			expect(fresh.deliveryId).not.toBe('dlv_resent-1');
			expect(fresh.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
			expect(receiver.received.every((delivery) => signedWith(webhook.secret, delivery))).toBe(true);
			const deliveries = (await running.controls.deliveries()) as Array<{ deliveryId: string }>;
			expect(deliveries.map((delivery) => delivery.deliveryId)).toEqual(receiver.received.map((delivery) => delivery.deliveryId));
		} finally {
			await Promise.all([running.close(), receiver.close()]);
		}
	});

	it('SocialBoards controls: webhooks lists what the dashboard saved; event-body sends nothing, and the body delivered twice arrives byte for byte; visitor-message stores the message and delivers it', async () => {
		const handshakes: string[] = [];
		const posts: string[] = [];
		const server = createServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://receiver.local');
			if (request.method === 'GET') {
				handshakes.push(url.search);
				response.end(url.searchParams.get('verifyToken') === 'right-token' ? url.searchParams.get('challenge') : '');
				return;
			}
			let rawBody = '';
			request.on('data', (chunk) => (rawBody += chunk));
			request.on('end', () => {
				posts.push(rawBody);
				response.end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
		const running = await SIMULATORS.socialboards({ port: 0, host: '127.0.0.1' });
		const { configureWebhook, webhooks, eventBody, visitorMessage } = running.controls;
		try {
			if (!configureWebhook || !webhooks || !eventBody || !visitorMessage) throw new Error('a SocialBoards control is missing');
			const { baseUrl, accessToken } = running.connection;
			const tickets = (await (
				await fetch(`${baseUrl}/tickets/list`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
					body: JSON.stringify({ orderBy: 'creation_time_asc', skip: 0, take: 50 }),
				})
			).json()) as { data: Array<{ id: number; title: string }> };
			const chat = tickets.data.find((ticket) => ticket.title === 'Delivery question');
			if (!chat) throw new Error('the seeded chat "Delivery question" is missing');

			await configureWebhook({ url, verifyToken: 'right-token', events: ['conversation_message_added'] });

			expect(handshakes).toHaveLength(1);
			expect(await webhooks()).toEqual([
				{ id: 1, url, verifyToken: 'right-token', events: ['conversation_message_added'], verified: true },
			]);
			const body = await eventBody({ event: 'conversation_created', conversationId: String(chat.id) });
			expect(body).toMatchObject({ EventType: 'conversation_created', TicketId: chat.id });
			expect(posts).toEqual([]);
			const answers = [
				await running.controls.deliver({ webhook: '1', event: 'conversation_created', payload: body as object }),
				await running.controls.deliver({ webhook: '1', event: 'conversation_created', payload: body as object }),
			];
			expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
			expect(posts).toEqual([JSON.stringify(body), JSON.stringify(body)]);

			const delivered = (await visitorMessage({ conversationId: String(chat.id), text: 'Can I get a refund?' })) as Array<{
				rawBody: string;
				status: number;
			}>;

			expect(delivered).toHaveLength(1);
			expect(delivered[0].status).toBe(200);
			expect(posts).toHaveLength(3);
			const message = JSON.parse(posts[2]) as { EventType: string; Events: Array<{ Message: { Message: string; Author: { Status: string } } }> };
			expect(message.EventType).toBe('conversation_message_added');
			expect(message.Events.map((event) => [event.Message.Message, event.Message.Author.Status])).toEqual([['Can I get a refund?', 'client']]);
		} finally {
			await running.close();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
