'use strict';
/** Awardee in the e2e table: its simulator, credential, nodes, operation cases, trigger and example. */
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');

const { assertShape, single } = require('../lib/assertions');
const { locator } = require('../lib/workflows');

const UNKNOWN_CONVERSATION = '00000000-0000-4000-8000-000000000000';
const names = (tags) => tags.map((tag) => tag.name).sort();

/** The seeded data the cases act on, read from the simulator's own API (ids are not hard-coded). */
async function fixtures(client) {
	const { data: conversations } = await client.api('GET', '/conversations?limit=100');
	const { data: members } = await client.api('GET', '/team/members');
	const withStatus = (status) => {
		const found = conversations.find((conversation) => conversation.status === status);
		assert.ok(found, `the simulator has no seeded conversation with status ${status}`);
		return found.id;
	};
	return {
		conversationCount: conversations.length,
		waiting: withStatus('agent_requested'),
		open: withStatus('open'),
		withBot: withStatus('bot_active'),
		resolved: withStatus('resolved'),
		agentId: members.find((member) => member.role === 'agent').user_id,
	};
}

/**
 * One node per case. Cases that change a conversation each use their own, so the order they run in does not
 * matter; `after` chains a case behind another whose output it needs.
 */
function actionCases(f) {
	const conversation = (operation, parameters = {}) => ({ resource: 'conversation', operation, ...parameters });
	return [
		{
			name: 'Get conversation',
			parameters: conversation('get', { conversationId: locator(f.waiting) }),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.id, f.waiting);
				assert.equal(item.status, 'pending');
				assert.ok(Array.isArray(item.tags), 'tags are loaded by default');
			},
		},
		{
			name: 'Get conversation (simplified)',
			parameters: conversation('get', { conversationId: locator(f.waiting), output: 'simplified' }),
			expect(items) {
				const item = single(items);
				assert.equal(item.id, f.waiting);
				assert.ok(Object.keys(item).length <= 10, `at most 10 fields, got ${Object.keys(item).join(', ')}`);
			},
		},
		{
			name: 'Get conversation (raw)',
			parameters: conversation('get', { conversationId: locator(f.waiting), output: 'raw' }),
			expect(items) {
				const item = single(items);
				assert.equal(item.object, 'conversation');
				assert.equal(item.status, 'agent_requested');
			},
		},
		{
			name: 'Get many conversations',
			parameters: conversation('getAll', { returnAll: true }),
			expect(items) {
				assert.equal(items.length, f.conversationCount);
				items.forEach((item) => assertShape('conversation', item));
			},
		},
		{
			name: 'Get many conversations (filtered)',
			parameters: conversation('getAll', { limit: 10, filters: { status: ['open'] } }),
			expect(items) {
				assert.ok(items.length >= 1, 'expected at least one open conversation');
				items.forEach((item) => assert.equal(item.vendorStatus, 'open'));
			},
		},
		{
			name: 'Update conversation',
			parameters: conversation('update', {
				conversationId: locator(f.resolved),
				updateFields: { priority: 'high', title: 'Updated by the e2e test' },
			}),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.title, 'Updated by the e2e test');
				assert.equal(item.priority, 'high');
			},
		},
		{
			name: 'Reply',
			parameters: conversation('reply', { conversationId: locator(f.open), text: 'Hello from the e2e test' }),
			expect(items) {
				const item = single(items);
				assertShape('message', item);
				assert.equal(item.conversationId, f.open);
				assert.equal(item.text, 'Hello from the e2e test');
				assert.equal(item.direction, 'outbound');
				assert.equal(item.authorRole, 'agent');
			},
		},
		{
			name: 'Assign',
			parameters: conversation('assign', { conversationId: locator(f.withBot), assigneeId: locator(f.agentId) }),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.assignee?.id, f.agentId);
			},
		},
		{
			name: 'Add tags',
			parameters: conversation('addTags', { conversationId: locator(f.withBot), tags: ['vip'] }),
			expect(items) {
				const item = single(items);
				assert.deepEqual(names(item.added), ['vip']);
				assert.deepEqual(names(item.tags), ['billing', 'vip'], 'the tag it had stays');
			},
		},
		{
			name: 'Remove tags',
			parameters: conversation('removeTags', { conversationId: locator(f.waiting), tags: ['billing'] }),
			expect(items) {
				const item = single(items);
				assert.deepEqual(names(item.removed), ['billing']);
				assert.deepEqual(names(item.tags), ['refund'], 'the other tag stays');
			},
		},
		{
			name: 'Set tags',
			parameters: conversation('setTags', { conversationId: locator(f.resolved), tags: ['vip', 'refund'] }),
			expect(items) {
				assert.deepEqual(names(single(items).tags), ['refund', 'vip']);
			},
		},
		{
			name: 'Close',
			parameters: conversation('close', { conversationId: locator(f.resolved) }),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
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
		{
			name: 'Get many messages',
			parameters: { resource: 'message', operation: 'getAll', conversationId: locator(f.open), returnAll: true },
			expect(items) {
				assert.ok(items.length >= 2, `expected the seeded messages, got ${items.length}`);
				items.forEach((item) => assertShape('message', item));
			},
		},
		{
			name: 'Create note',
			parameters: { resource: 'note', operation: 'create', conversationId: locator(f.waiting), content: 'Checked by e2e' },
			expect(items) {
				const item = single(items);
				assertShape('message', item);
				assert.equal(item.isPrivate, true);
				assert.equal(item.text, 'Checked by e2e');
			},
		},
		{
			name: 'Get many notes',
			after: 'Create note',
			parameters: { resource: 'note', operation: 'getAll', conversationId: locator(f.waiting), returnAll: true },
			expect(items) {
				assert.ok(items.some((item) => item.text === 'Checked by e2e'), 'the note just created is listed');
			},
		},
		{
			name: 'Get many tags',
			parameters: { resource: 'tag', operation: 'getAll', returnAll: true },
			expect(items) {
				assert.deepEqual(names(items), ['billing', 'refund', 'vip']);
			},
		},
		{
			name: 'Create tag',
			parameters: { resource: 'tag', operation: 'create', name: 'e2e-temporary' },
			expect(items) {
				assert.equal(single(items).name, 'e2e-temporary');
			},
		},
		{
			name: 'Delete tag',
			after: 'Create tag',
			parameters: { resource: 'tag', operation: 'delete', tagId: locator('={{ $json.id }}') },
			expect(items) {
				assert.equal(single(items).deleted, true);
			},
		},
	];
}

module.exports = {
	key: 'awardee',
	displayName: 'Awardee',
	simulator: 'awardee',
	nodes: { action: 'awardee', trigger: 'awardeeTrigger' },
	/** The example workflows refer to this id and name, so importing it wires them up. */
	credential: {
		type: 'awardeeApi',
		id: 'awardeeDemoCredential',
		name: 'Awardee account',
		data: (simulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.baseUrl }),
		/** The editor's credential test with a wrong key in this field must show Awardee's reason. */
		wrongKey: { field: 'apiKey', value: 'aw_live_not-a-key-of-this-account', reason: /^Invalid API key: Awardee answered 401/ },
	},
	authHeaders: (simulator) => ({ Authorization: `Bearer ${simulator.apiKey}` }),
	fixtures,
	actionCases,
	trigger: {
		parameters: { events: ['conversation.created', 'conversation.updated', 'message.created'], options: {} },
		/** The vendor's webhook registrations, as `{ id, url, mark }`. */
		async registrations(client) {
			const { data } = await client.api('GET', '/webhooks?limit=100');
			return data.map((webhook) => ({ id: webhook.id, url: webhook.url, mark: webhook.description }));
		},
		delivery: (f) => ({ event: 'conversation.created', conversationId: f.withBot }),
		/**
		 * A delivery of an event not sent before (`n` tells them apart); sending the same request again is Awardee
		 * sending that event again: the same X-Awardee-Delivery, freshly signed. A new event has a body of its
		 * own (here a change of its own): the same body signed in the same second under another delivery id is a
		 * replay to the trigger (README, De-duplication), and the delivery before it may well share that second.
		 */
		newEvent: async (client, f, n) => ({
			event: 'conversation.updated',
			conversationId: f.withBot,
			changes: { title: { from: null, to: `e2e event ${n} ${randomUUID()}` } },
			id: `e2e-event-${n}-${randomUUID()}`,
		}),
		expectEvent(event, f) {
			assertShape('event', event);
			assert.equal(event.vendor, 'awardee');
			assert.equal(event.type, 'conversation.created');
			assert.equal(event.conversation?.id, f.withBot);
			assert.equal(event.delivery.signatureVerified, true);
		},
	},
	examples: [
		{
			file: 'awardee-reply-and-tag.json',
			/** A visitor on the open conversation asks for a person (the demo prints this as a curl command). */
			fire: (f) => ({
				via: 'api',
				method: 'PATCH',
				path: `/conversations/${f.open}`,
				body: { status: 'agent_requested' },
			}),
			/**
			 * What one fired event starts: the reply makes Awardee hand the conversation to a person (status Open),
			 * which is itself a Conversation Updated event. The demo prints this; the e2e run checks the count.
			 */
			executions: {
				count: 2,
				why:
					'the first replies and tags; its reply makes Awardee set the status to Open, another ' +
					'"conversation updated" event, so a second run follows and stops at "Waiting for a person?" ' +
					'(it is the newest, on top of the list)',
			},
			/** ...and the example replied and tagged it. */
			async verify(client, f) {
				const { data: messages } = await client.api('GET', `/conversations/${f.open}/messages?limit=100`);
				const texts = messages.map((message) => message.parts.map((part) => part.text).join(''));
				assert.ok(texts.some((text) => text.startsWith('Thanks for waiting')), 'the example posted its reply');
				const { data: tags } = await client.api('GET', `/conversations/${f.open}/tags`);
				assert.deepEqual(names(tags), ['vip'], 'the example tagged the conversation');
			},
		},
	],
};
