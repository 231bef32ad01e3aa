import type { IDataObject } from 'n8n-workflow';

import { SocialBoardsTrigger } from '../../nodes/SocialBoards/SocialBoardsTrigger.node';
import { expectValid } from '../helpers/schema';
import type { EventType, StoredTicket } from '../simulators/socialboards';
import type { SocialBoardsTriggerSetup } from './triggerSetup';
import { startSocialBoardsTrigger, TRIGGER } from './triggerSetup';

const VERIFY_TOKEN = 'sb-verify-7c41e0';
const ALL_EVENTS: EventType[] = [
	'conversation_created',
	'conversation_message_added',
	'conversation_takeover_state_changed',
	'conversation_closed',
	'ticket_status_change',
];
const PARAMETERS = { registration: 'manual', events: ALL_EVENTS, options: { verifyToken: VERIFY_TOKEN } };
const UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let setup: SocialBoardsTriggerSetup;

beforeAll(async () => {
	setup = await startSocialBoardsTrigger();
});
// Each test starts with an activation, as a deployed workflow does: it also starts the in-process de-duplication afresh.
beforeEach(async () => {
	setup.reset();
	setup.parameters = PARAMETERS;
	await setup.activate();
});
afterAll(async () => await setup.close());

const json = (run: { items: Array<{ json: IDataObject }> }) => run.items.map((item) => item.json);

/** An open chat of the seed, by title. */
function chat(title = 'Delivery question'): StoredTicket {
	const ticket = [...setup.sim.state.tickets.values()].find((candidate) => candidate.title === title);
	if (!ticket?.chat) throw new Error(`No seeded chat "${title}"`);
	return ticket;
}

const teammateId = () => [...setup.sim.state.teammates.keys()][0];

/** POSTs a body to the trigger's URL as SocialBoards does (over HTTP), and returns the answer and what the trigger did. */
async function post(body: object | string) {
	const before = setup.runs.length;
	const answer = await setup.sim.deliver(setup.url, body);
	expect(setup.runs).toHaveLength(before + 1);
	return { answer, run: setup.runs[before] };
}

/** Configures the webhook in the "dashboard", which sends the verification GET; deliveries then follow changes. */
async function configure(events: EventType[] = ALL_EVENTS) {
	const configured = await setup.sim.configureWebhook({ url: setup.url, verifyToken: VERIFY_TOKEN, events });
	expect(configured.verification.passed).toBe(true);
	setup.runs.length = 0;
}

async function deliveriesSettled() {
	await setup.sim.flushDeliveries();
	return setup.runs;
}

describe('SocialBoards Trigger: the verification handshake (A15)', () => {
	it('answers SocialBoards’ GET with 200 and the challenge as the whole body when the verify token matches, and starts nothing', async () => {
		const { webhook, verification } = await setup.sim.configureWebhook({ url: setup.url, verifyToken: VERIFY_TOKEN });
		expect(verification.status).toBe(200);
		expect(verification.body).toBe(verification.challenge);
		expect(verification.passed).toBe(true);
		expect(webhook.verified).toBe(true);
		expect(setup.runs).toHaveLength(1);
		expect(setup.executions()).toHaveLength(0);
	});

	it('answers 403 without the challenge to a wrong verify token, and the webhook stays unverified', async () => {
		const { webhook, verification } = await setup.sim.configureWebhook({ url: setup.url, verifyToken: 'a-guess' });
		expect(verification.status).toBe(403);
		expect(verification.body).not.toContain(verification.challenge);
		expect(webhook.verified).toBe(false);
		expect(setup.executions()).toHaveLength(0);
	});

	it('answers 403 without the challenge when the request has no verify token, or the trigger has none set', async () => {
		const ask = async (query: Record<string, string>, parameters: IDataObject) =>
			await setup.n8n.webhook(TRIGGER, parameters, { method: 'GET', query, headers: {}, body: {}, rawBody: '' }, {});
		const missing = await ask({ challenge: '424242' }, PARAMETERS);
		const unset = await ask({ challenge: '424242', verifyToken: '' }, { ...PARAMETERS, options: {} });
		for (const result of [missing, unset]) {
			expect(result.statusCode).toBe(403);
			expect(JSON.stringify(result.responseBody)).not.toContain('424242');
			expect(result.executed).toBe(false);
		}
	});

	it('sends no deliveries to a webhook whose verification the trigger refused', async () => {
		await setup.sim.configureWebhook({ url: setup.url, verifyToken: 'not-the-token' });
		setup.sim.postMessages(chat().id, [{ author: 'contact', text: 'Anyone there?' }]);
		await setup.sim.flushDeliveries();
		expect(setup.sim.deliveries).toHaveLength(0);
	});
});

describe('SocialBoards Trigger: registration is manual', () => {
	it('activates and deactivates without a single request to SocialBoards', async () => {
		await setup.activate();
		await expect(setup.deactivate()).resolves.toBe(true);
		expect(setup.sim.requests).toHaveLength(0);
		// Only the activation mark of the shared core (de-duplication records executed events against it): no registration.
		expect(setup.store.load()).toEqual({ 'node:Node': { activated: true } });
	});

	it('refuses to activate without a verify token, saying where to set it', async () => {
		for (const options of [{}, { verifyToken: '   ' }]) {
			await expect(setup.activate({ ...PARAMETERS, options })).rejects.toMatchObject({
				message: 'The SocialBoards Trigger needs a Verify Token',
				description: expect.stringContaining('Options → Verify Token'),
			});
		}
	});

	it('needs no credential: the node lists none', () => {
		expect(new SocialBoardsTrigger().description.credentials).toBeUndefined();
	});
});

describe('SocialBoards Trigger: deliveries', () => {
	it('turns conversation_created into one normalized, schema-valid event with signatureVerified null', async () => {
		const ticket = chat();
		const { answer, run } = await post(setup.sim.eventBody('conversation_created', ticket.id));
		expect(answer.status).toBe(200);
		expect(run.executed).toBe(true);
		const [event] = json(run);
		expectValid('event', event);
		expect(event).toMatchObject({
			vendor: 'socialboards',
			type: 'conversation.created',
			vendorEventType: 'conversation_created',
			message: null,
			changes: null,
			delivery: { id: null, signatureVerified: null, source: 'webhook' },
			conversation: {
				id: String(ticket.id),
				globalId: `socialboards:${ticket.id}`,
				status: 'open',
				channel: 'web_chat',
				handledBy: 'bot',
				contact: { name: 'Per Hansen', email: 'per.hansen@example.no' },
				webUrl: `https://inbox.socialboards.com/exampleshop/tickets?ticketId=${ticket.id}`,
			},
		});
		expect(event.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(event.occurredAt).toMatch(UTC_MS);
	});

	it('emits one item per event of a POST that carries several, each with its own event id (A16)', async () => {
		await configure();
		setup.parameters = { ...PARAMETERS, ignoreOwnMessages: false };
		const ticket = chat();
		setup.sim.postMessages(ticket.id, [
			{ author: 'contact', text: 'First question' },
			{ author: 'contact', text: 'Second question' },
			{ author: { userId: teammateId() }, text: 'An agent answers' },
		]);
		const runs = await deliveriesSettled();
		expect(setup.sim.deliveries.map((delivery) => delivery.eventCount)).toEqual([3]);
		expect(runs).toHaveLength(1);
		const events = json(runs[0]);
		for (const event of events) expectValid('event', event);
		expect(events.map((event) => [event.type, (event.message as IDataObject).text, (event.message as IDataObject).authorRole])).toEqual([
			['message.created', 'First question', 'contact'],
			['message.created', 'Second question', 'contact'],
			['message.created', 'An agent answers', 'agent'],
		]);
		expect(new Set(events.map((event) => event.eventId)).size).toBe(3);
		expect(events.map((event) => (event.message as IDataObject).conversationId)).toEqual(Array(3).fill(String(ticket.id)));
	});

	it('starts nothing for a repeat of a delivery, and only the new events of a POST that repeats some', async () => {
		const ticket = chat();
		const first = setup.sim.eventBody('conversation_created', ticket.id);
		expect((await post(first)).run.executed).toBe(true);
		const repeat = await post(JSON.stringify(first));
		expect(repeat.answer.status).toBe(200);
		expect(repeat.run.executed).toBe(false);

		await configure();
		setup.sim.postMessages(ticket.id, [{ author: 'contact', text: 'Hello?' }]);
		await deliveriesSettled();
		await setup.sim.redeliver(-1);
		expect(setup.runs.map((run) => run.executed)).toEqual([true, false]);

		// The first message again beside a new one: the first is known by its item as sent, so only the new one runs.
		const delivered = setup.sim.deliveries.find((delivery) => delivery.eventType === 'conversation_message_added');
		const known = JSON.parse(delivered!.rawBody) as { Events: object[] };
		setup.sim.addMessage(ticket.id, 'contact', 'Still there?');
		const latest = setup.sim.eventBody('conversation_message_added', ticket.id);
		const both = await post({ ...latest, Events: [...known.Events, ...latest.Events] });
		expect(json(both.run).map((event) => (event.message as IDataObject).text)).toEqual(['Still there?']);
	});
});

describe('SocialBoards Trigger: the loop guard (A17) and unselected events', () => {
	it('drops teammates’ and the bot’s messages by default, with a 2xx and no execution when nothing is left', async () => {
		await configure();
		const ticket = chat();
		setup.sim.postMessages(ticket.id, [{ author: { userId: teammateId() }, text: 'Agent reply' }]);
		setup.sim.postMessages(ticket.id, [{ author: 'bot', text: 'Bot reply' }]);
		setup.sim.postMessages(ticket.id, [
			{ author: 'bot', text: 'Bot again' },
			{ author: 'contact', text: 'The contact' },
		]);
		const runs = await deliveriesSettled();
		expect(setup.sim.deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
		expect(runs.map((run) => run.executed)).toEqual([false, false, true]);
		expect(json(runs[2]).map((event) => (event.message as IDataObject).text)).toEqual(['The contact']);
	});

	it('keeps them with Ignore Own Messages off, as outbound agent and bot messages', async () => {
		await configure();
		setup.parameters = { ...PARAMETERS, ignoreOwnMessages: false };
		setup.sim.postMessages(chat().id, [
			{ author: { userId: teammateId() }, text: 'Agent reply' },
			{ author: 'bot', text: 'Bot reply' },
		]);
		const [run] = await deliveriesSettled();
		expect(json(run).map((event) => event.message)).toMatchObject([
			{ direction: 'outbound', authorRole: 'agent', text: 'Agent reply' },
			{ direction: 'outbound', authorRole: 'bot', text: 'Bot reply' },
		]);
	});

	it('answers 2xx and starts nothing for events that are not selected, or that it does not know', async () => {
		setup.parameters = { ...PARAMETERS, events: ['conversation_created'] };
		const ticket = chat();
		const message = await post(setup.sim.eventBody('conversation_message_added', ticket.id));
		const unknown = await post(setup.sim.deliveryBody('ticket_reply_added', ticket.id, [{ InboxLink: 'x', Reply: { Id: 1 } }]));
		for (const { answer, run } of [message, unknown]) {
			expect(answer.status).toBeLessThan(300);
			expect(run.executed).toBe(false);
		}
	});
});

describe('SocialBoards Trigger: status changes, closing and takeover', () => {
	it('maps ticket_status_change to conversation.status_changed with the previous status from PreviousTicketStatus', async () => {
		await configure(['ticket_status_change']);
		const ticket = chat();
		setup.sim.setStatus(ticket.id, 'pending');
		const [run] = await deliveriesSettled();
		const [event] = json(run);
		expectValid('event', event);
		expect(event).toMatchObject({
			type: 'conversation.status_changed',
			vendorEventType: 'ticket_status_change',
			changes: { status: { from: 'open', to: 'pending' } },
			occurredAt: null,
			conversation: { id: String(ticket.id), status: 'pending', vendorStatus: 'pending', closedReason: null, title: 'Delivery question' },
		});
	});

	it('maps a change to closed to conversation.closed, from the ticket event and from conversation_closed', async () => {
		await configure(['ticket_status_change', 'conversation_closed']);
		const ticket = chat('Refund for a damaged item');
		setup.sim.setStatus(ticket.id, 'closed');
		const runs = await deliveriesSettled();
		const events = runs.flatMap(json);
		for (const event of events) expectValid('event', event);
		expect(events.map((event) => [event.vendorEventType, event.type, event.changes])).toEqual([
			['ticket_status_change', 'conversation.closed', { status: { from: 'pending', to: 'closed' } }],
			['conversation_closed', 'conversation.closed', null],
		]);
		for (const event of events) expect(event.conversation).toMatchObject({ status: 'closed', closedReason: 'ended', handledBy: null });
	});

	it('maps a completed ticket to resolved (A9), still a status change', async () => {
		await configure(['ticket_status_change']);
		setup.sim.setStatus(chat().id, 'completed');
		const [event] = json((await deliveriesSettled())[0]);
		expect(event).toMatchObject({ type: 'conversation.status_changed', conversation: { status: 'resolved', vendorStatus: 'completed' } });
	});

	it('maps the takeover event to conversation.handover, the new state from the conversation (A14)', async () => {
		const ticket = chat();
		ticket.isAssignedToBot = false;
		const { run } = await post(setup.sim.eventBody('conversation_takeover_state_changed', ticket.id));
		const [event] = json(run);
		expectValid('event', event);
		expect(event).toMatchObject({
			type: 'conversation.handover',
			changes: { isTakeoverEnabled: { from: false, to: true } },
			conversation: { handledBy: 'human', attributes: { isTakeoverEnabled: true } },
		});
	});
});

describe('SocialBoards Trigger: malformed bodies', () => {
	const valid = () => setup.sim.eventBody('conversation_message_added', chat().id) as unknown as IDataObject;
	const item = (body: IDataObject) => (body.Events as IDataObject[])[0];

	it.each([
		['text that is not JSON', () => 'conversation_created, not JSON'],
		['a JSON array', () => '[]'],
		['an envelope without EventType', () => ({ ...valid(), EventType: undefined })],
		['an envelope whose Events is not a list', () => ({ ...valid(), Events: item(valid()) })],
		['an event item that is not an object', () => ({ ...valid(), Events: [item(valid()), 'message'] })],
		['a message event without its Message', () => ({ ...valid(), Events: [{ ...item(valid()), Message: undefined }] })],
		[
			'a chat event that names no conversation',
			() => {
				const body = valid();
				const only = item(body);
				return { ...body, TicketId: undefined, Events: [{ ...only, ConversationId: undefined, Conversation: { ...(only.Conversation as IDataObject), Id: undefined } }] };
			},
		],
		['a ticket event without its Ticket', () => ({ ...valid(), EventType: 'ticket_status_change', Events: [{ InboxLink: 'x', PreviousTicketStatus: 'open' }] })],
	])('answers 400 and starts nothing for %s', async (_case, body) => {
		const { answer, run } = await post(body() as object | string);
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.body)).toEqual({ error: 'bad request' });
		expect(run.executed).toBe(false);
	});
});

describe('SocialBoards Trigger: times and raw payloads', () => {
	/** A delivery written out by hand: local offsets and 2 to 7 fraction digits, as the docs' examples show them. */
	const handWritten = {
		CommunityName: 'exampleshop',
		EventType: 'conversation_message_added',
		TicketId: 2555100,
		Events: [
			{
				InboxLink: 'https://inbox.socialboards.com/exampleshop/tickets?ticketId=2555100',
				ConversationId: 2555100,
				Conversation: {
					Author: { Email: 'kari@example.no', Id: '5b0c7a9e-2f4d-4c1e-9a3b-7e6f1d2c8a40', IsBot: false, Name: 'Kari', Status: 'client' },
					CreationTime: '2024-03-14T09:12:45.4381923+01:00',
					Id: 2555100,
					IsClosed: false,
					IsTakeoverEnabled: true,
					LastModifiedTime: '2024-03-14T12:20:03.11+03:00',
					TotalMessagesCount: 1,
				},
				Message: {
					Author: { Id: '5b0c7a9e-2f4d-4c1e-9a3b-7e6f1d2c8a40', IsBot: false, Name: 'Kari', Status: 'client' },
					CreationTime: '2024-03-14T08:20:03.1+00:00',
					Id: 667203,
					Message: 'Where is my parcel?',
				},
				EventTime: '2024-03-13T23:59:59.99999-05:00',
			},
		],
	};

	it('writes every time as UTC ISO with milliseconds, whatever the offset and precision', async () => {
		const { run } = await post(handWritten);
		const [event] = json(run);
		expectValid('event', event);
		expect(event.occurredAt).toBe('2024-03-14T04:59:59.999Z');
		expect(event.conversation).toMatchObject({ createdAt: '2024-03-14T08:12:45.438Z', updatedAt: '2024-03-14T09:20:03.110Z', messageCount: 1 });
		expect(event.message).toMatchObject({ id: '667203', createdAt: '2024-03-14T08:20:03.100Z', direction: 'inbound', authorRole: 'contact' });
	});

	it('adds, with Include Raw Payload, the delivery as sent with only that event in Events', async () => {
		setup.parameters = { ...PARAMETERS, options: { ...PARAMETERS.options, includeRaw: true } };
		const second = { ...handWritten.Events[0], Message: { ...handWritten.Events[0].Message, Id: 667204, Message: 'Hello?' } };
		const { run } = await post({ ...handWritten, Events: [handWritten.Events[0], second] });
		expect(json(run).map((event) => event.raw)).toEqual([
			{ ...handWritten, Events: [handWritten.Events[0]] },
			{ ...handWritten, Events: [second] },
		]);
	});
});
