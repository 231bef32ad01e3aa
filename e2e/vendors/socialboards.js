'use strict';
/**
 * SocialBoards in the e2e table: its simulator, credential, action node and operation cases. The trigger and its
 * example are not here yet: `trigger`, `nodes.trigger` and `examples` are the places to add them.
 */
const assert = require('node:assert/strict');

const { assertShape, single } = require('../lib/assertions');
const { locator } = require('../lib/workflows');

const UNKNOWN_CONVERSATION = '4711';

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

module.exports = {
	key: 'socialboards',
	displayName: 'SocialBoards',
	simulator: 'socialboards',
	nodes: { action: 'socialBoards' },
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
	/** Added with the SocialBoards Trigger. */
	trigger: undefined,
	examples: [],
};
