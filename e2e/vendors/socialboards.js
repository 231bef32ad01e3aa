'use strict';
/**
 * SocialBoards in the e2e table: its simulator, credential, nodes, operation cases, trigger and example.
 * SocialBoards differs from the other vendors: its webhooks are set up by hand in its dashboard (`register`, the
 * simulator's POST /__sim/webhook, which sends the verification GET to n8n), and its deliveries are unsigned.
 */
const assert = require('node:assert/strict');

const { assertShape, single } = require('../lib/assertions');
const { locator } = require('../lib/workflows');

const UNKNOWN_CONVERSATION = '4711';

/** The example's Reply text (examples/socialboards-route-refund.json), to count its replies at the simulator. */
const REFUND_REPLY = 'Thanks! We have passed your refund request on to our billing team';

/** `{data, errorCode, errorText}`: the data of a success. */
function data(envelope) {
	assert.equal(envelope.errorCode, -1, `SocialBoards answered error code ${envelope.errorCode}: ${envelope.errorText}`);
	return envelope.data;
}

/**
 * The seeded data the cases act on, read from the simulator's own API (ids are not hard-coded). Each case that
 * changes a conversation gets its own.
 */
async function fixtures(client) {
	const tickets = data(await client.api('POST', '/tickets/list', { orderBy: 'creation_time_asc', skip: 0, take: 50 }));
	const teammates = data(await client.api('GET', '/Teammates'));
	const tags = data(await client.api('GET', '/tags'));
	const byTitle = (title) => {
		const ticket = tickets.find((candidate) => candidate.title === title);
		assert.ok(ticket, `the simulator seeds the ticket "${title}"`);
		return ticket.id;
	};
	const agents = teammates.filter((teammate) => teammate.role === 'admin' || teammate.role === 'agent');
	assert.ok(agents.length >= 2, `the simulator seeds two assignable teammates (${agents.length})`);
	return {
		ticketCount: tickets.length,
		toRead: byTitle('Chat API Client Problems'),
		toReply: byTitle('Delivery question'),
		toAssign: byTitle('Refund for a damaged item'),
		toClose: byTitle('Opening hours'),
		toTag: byTitle('Invoice copy'),
		email: byTitle('Invoice address change'),
		longChat: byTitle('Long chat'),
		agentId: agents[1].id,
		agentName: agents[1].name,
		tagName: tags[0].name,
		// Only read by the action cases, so its messages stay as seeded: the latest is the contact's.
		forTrigger: byTitle('Chat API Client Problems'),
		// Unassigned, without tags, handled by the bot: a chat the example routes. The actions' "Reply as the bot"
		// writes in it too (before the example runs), with another text.
		forExample: byTitle('Delivery question'),
		exampleAssignee: teammates.find((teammate) => teammate.name === 'Ingrid Berg'),
	};
}

function actionCases(f) {
	const conversation = (operation, parameters = {}) => ({ resource: 'conversation', operation, ...parameters });
	return [
		{
			name: 'Get conversation',
			parameters: conversation('get', { conversationId: locator(String(f.toRead)), options: { includeMessages: true } }),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.id, String(f.toRead));
				assert.equal(item.vendor, 'socialboards');
				assert.equal(item.channel, 'web_chat');
				item.attributes.messages.forEach((message) => assertShape('message', message));
			},
		},
		{
			name: 'Get conversation (raw)',
			parameters: conversation('get', { conversationId: locator(String(f.email)), output: 'raw' }),
			expect(items) {
				const item = single(items);
				assert.equal(item.ticket.id, f.email);
				assert.equal(item.conversation, null, 'an email ticket has no chat conversation');
			},
		},
		{
			name: 'Get many conversations',
			parameters: conversation('getAll', { returnAll: true }),
			expect(items) {
				assert.equal(items.length, f.ticketCount);
				items.forEach((item) => assertShape('conversation', item));
			},
		},
		{
			name: 'Update conversation status',
			parameters: conversation('update', { conversationId: locator(String(f.toRead)), updateFields: { status: 'pending' } }),
			expect(items) {
				assert.equal(single(items).status, 'pending');
			},
		},
		{
			name: 'Assign conversation',
			parameters: conversation('assign', { conversationId: locator(String(f.toAssign)), assigneeId: locator(f.agentId) }),
			expect(items) {
				assert.deepEqual(single(items).assignee, { type: 'agent', id: f.agentId, name: f.agentName });
			},
		},
		{
			name: 'Take over the chat',
			parameters: conversation('setTakeover', { conversationId: locator(String(f.toReply)), handledBy: 'human' }),
			expect(items) {
				assert.equal(single(items).handledBy, 'human');
			},
		},
		{
			name: 'Reply as the bot',
			after: 'Take over the chat',
			parameters: conversation('reply', { conversationId: locator(String(f.toReply)), replyAs: 'bot', text: 'Checked by e2e' }),
			expect(items) {
				const item = single(items);
				assertShape('message', item);
				assert.equal(item.authorRole, 'bot');
				assert.equal(item.text, 'Checked by e2e');
			},
		},
		{
			name: 'Get many messages',
			after: 'Reply as the bot',
			parameters: { resource: 'message', operation: 'getAll', conversationId: locator(String(f.toReply)), returnAll: true },
			expect(items) {
				assert.ok(items.some((item) => item.text === 'Checked by e2e'), 'the reply just sent is listed');
				items.forEach((item) => assertShape('message', item));
			},
		},
		{
			name: 'Get many messages of a long chat',
			parameters: { resource: 'message', operation: 'getAll', conversationId: locator(String(f.longChat)), returnAll: true },
			expect(items) {
				assert.equal(items.length, 105, 'two pages of at most 100');
			},
		},
		{
			name: 'Add tags',
			parameters: conversation('addTags', { conversationId: locator(String(f.toTag)), tags: [f.tagName.toUpperCase()] }),
			expect(items) {
				const item = single(items);
				assert.ok(item.tags.some((tag) => tag.name === f.tagName), 'the tag, named in another case, is on the ticket');
			},
		},
		{
			name: 'Close conversation',
			parameters: conversation('close', { conversationId: locator(String(f.toClose)) }),
			expect(items) {
				const item = single(items);
				assert.equal(item.status, 'closed');
				assert.equal(item.closedReason, 'ended');
			},
		},
		{
			name: 'Get unknown conversation',
			expectError: true,
			parameters: conversation('get', { conversationId: locator(UNKNOWN_CONVERSATION) }),
			expect(items) {
				const error = JSON.stringify(single(items).error ?? null);
				assert.match(error, /not found/i, 'continue-on-fail output names the missing conversation');
			},
		},
	];
}

/**
 * The dashboard step of a manual registration: saves the webhook in the (simulated) SocialBoards dashboard with
 * the trigger's verify token and events, which makes SocialBoards send its verification GET to n8n. Answers
 * with that verification (`{status, body, challenge, passed}`).
 */
async function register(client, url, node) {
	const { verification } = await client.control('POST', '/webhook', {
		url,
		verifyToken: node.parameters.options.verifyToken,
		events: node.parameters.events,
	});
	return verification;
}

/** The state a refund routing changes: the ticket's tags and assignee, and the team's and bot's messages. */
async function routingState(client, conversationId) {
	const ticket = data(await client.api('GET', `/tickets/${conversationId}`));
	const messages = data(await client.api('GET', `/chat/conversations/${conversationId}/messages?skip=0&take=100`));
	return {
		tags: ticket.tags.map((tag) => tag.name).sort(),
		assignee: ticket.lockedBy?.id ?? null,
		teamMessages: messages.filter((message) => message.author.status === 'team').map((message) => message.id),
	};
}

/** The contact writes in the chat widget: the simulator stores the message and delivers it to the dashboard's webhooks. */
const visitorWrites = (conversationId, text) => ({
	via: 'control',
	method: 'POST',
	path: '/visitor-message',
	body: { conversationId: String(conversationId), text },
});

module.exports = {
	key: 'socialboards',
	displayName: 'SocialBoards',
	simulator: 'socialboards',
	nodes: { action: 'socialBoards', trigger: 'socialBoardsTrigger' },
	credential: {
		type: 'socialBoardsApi',
		id: 'socialBoardsDemoCredential',
		name: 'SocialBoards account',
		data: (simulator) => ({
			clientId: simulator.clientId,
			refreshToken: simulator.refreshToken,
			tokenUrl: simulator.tokenUrl,
			baseUrl: simulator.baseUrl,
		}),
		/** The editor's credential test with a wrong refresh token must show SocialBoards' reason, naming the credential. */
		wrongKey: {
			field: 'refreshToken',
			value: 'sbrt_not-a-token-of-this-inbox',
			reason: /^SocialBoards refused the refresh token of the "SocialBoards API" credential \(HTTP 400: invalid_grant/,
		},
	},
	/** For the fixtures' reads outside n8n: the simulator's day-long token, not counted as an exchange. */
	authHeaders: (simulator) => ({ Authorization: `Bearer ${simulator.accessToken}` }),
	fixtures,
	actionCases,
	trigger: {
		parameters: {
			events: ['conversation_created', 'conversation_message_added', 'conversation_closed'],
			options: { verifyToken: 'e2e-verify-token-4b1f9c' },
		},
		/** The trigger makes no request to SocialBoards, so it has no credential. */
		needsCredential: false,
		/** Registration is manual: after activation the suite plays the admin saving the webhook in the dashboard. */
		register,
		/** SocialBoards signs nothing (no bad-signature check); it checks the URL with a GET handshake instead. */
		signed: false,
		handshake: { challengeParameter: 'challenge', tokenParameter: 'verifyToken', token: (node) => node.parameters.options.verifyToken },
		/** The webhooks saved in the dashboard, as `{ id, url, mark, verified }`: SocialBoards has no field for a mark. */
		async registrations(client) {
			const webhooks = await client.control('GET', '/webhooks');
			return webhooks.map((webhook) => ({ id: webhook.id, url: webhook.url, mark: undefined, verified: webhook.verified }));
		},
		delivery: (f) => ({ event: 'conversation_message_added', conversationId: f.forTrigger }),
		/**
		 * A delivery of an event not sent before: SocialBoards' body for a `conversation_created` of the conversation
		 * now (each has its own `EventTime`). SocialBoards sends no delivery id and a retry repeats the body, so
		 * sending this same body again is SocialBoards repeating that delivery.
		 */
		async newEvent(client, f) {
			const payload = await client.control('POST', '/event-body', { event: 'conversation_created', conversationId: String(f.forTrigger) });
			return { event: 'conversation_created', payload };
		},
		expectEvent(event, f) {
			assertShape('event', event);
			assert.equal(event.vendor, 'socialboards');
			assert.equal(event.type, 'message.created');
			assert.equal(event.conversation?.id, String(f.forTrigger));
			assert.equal(event.message?.authorRole, 'contact');
			assert.equal(event.message?.text, 'Thanks, got it.');
			assert.equal(event.delivery.signatureVerified, null, 'SocialBoards signs nothing');
		},
	},
	examples: [
		{
			file: 'socialboards-route-refund.json',
			/** The visitor asks for a refund in the chat (the demo prints this as a curl command). */
			fire: (f) => visitorWrites(f.forExample, 'The lamp arrived broken, can I get a refund?'),
			executions: {
				count: 1,
				why:
					'it tags the chat "refund", assigns it to Ingrid Berg and the bot answers; the bot\'s answer, ' +
					'delivered back by SocialBoards, starts no run (Ignore Own Messages)',
			},
			/** ...and the example tagged, assigned and answered it, once. */
			async verify(client, f) {
				const ticket = data(await client.api('GET', `/tickets/${f.forExample}`));
				assert.ok(ticket.tags.some((tag) => tag.name === 'refund'), 'the example tagged the chat "refund"');
				assert.equal(ticket.lockedBy?.id, f.exampleAssignee.id, 'the example assigned the chat to Ingrid Berg');
				const messages = data(await client.api('GET', `/chat/conversations/${f.forExample}/messages?skip=0&take=100`));
				const replies = messages.filter((message) => message.author.isBot && message.message.startsWith(REFUND_REPLY));
				assert.equal(replies.length, 1, `the bot answered ${replies.length} times`);
			},
			/** A message without refund words runs the workflow once, and it stops at the filter: nothing changes. */
			unrelated: {
				fire: (f) => visitorWrites(f.forExample, 'Do you also ship to Iceland?'),
				executions: { count: 1, why: 'it stops at "Asks for a refund?": nothing is tagged, assigned or answered' },
				state: (client, f) => routingState(client, f.forExample),
			},
		},
	],
};
