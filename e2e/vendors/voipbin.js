'use strict';
/** VoIPbin in the e2e table: its simulator, credential, nodes, operation cases, trigger and example. */
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');

const { assertShape, single } = require('../lib/assertions');
const { locator } = require('../lib/workflows');

const UNKNOWN_CONVERSATION = '7f3e2d1c-0b9a-4877-8665-544332211000';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The seeded data the cases act on, read from the simulator's own API (ids are not hard-coded). Each case that
 * changes a conversation gets its own, and the example and the trigger theirs.
 */
async function fixtures(client) {
	const { result: conversations } = await client.api('GET', '/conversations?page_size=100');
	const { result: agents } = await client.api('GET', '/agents?page_size=100');
	const isAssigned = (conversation) => Boolean(conversation.owner_id) && conversation.owner_id !== NIL_UUID;
	const unassigned = conversations.filter((conversation) => !isAssigned(conversation));
	const assigned = conversations.filter(isAssigned);
	assert.ok(unassigned.length >= 2, `the simulator seeds two unassigned conversations (${unassigned.length})`);
	assert.ok(assigned.length >= 1, 'the simulator seeds an assigned conversation');
	const [toRead, forExample] = unassigned;
	const toUnassign = assigned[0];
	const others = conversations.filter((conversation) => ![toRead, forExample, toUnassign].includes(conversation));
	assert.ok(others.length >= 2, `the simulator seeds five conversations (${conversations.length})`);
	return {
		conversationCount: conversations.length,
		toRead: toRead.id,
		toUpdate: others[0].id,
		toAssign: others[1].id,
		toUnassign: toUnassign.id,
		forTrigger: others[others.length - 1].id,
		forExample: forExample.id,
		agentId: agents[0].id,
	};
}

function actionCases(f) {
	const conversation = (operation, parameters = {}) => ({ resource: 'conversation', operation, ...parameters });
	return [
		{
			name: 'Get conversation',
			parameters: conversation('get', { conversationId: locator(f.toRead) }),
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.id, f.toRead);
				assert.equal(item.vendor, 'voipbin');
				assert.equal(item.assignee, null);
			},
		},
		{
			name: 'Get conversation (raw)',
			parameters: conversation('get', { conversationId: locator(f.toRead), output: 'raw' }),
			expect(items) {
				const item = single(items);
				assert.equal(item.id, f.toRead);
				assert.ok('tm_create' in item, 'the raw output is VoIPbin’s JSON');
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
			name: 'Update conversation',
			parameters: conversation('update', {
				conversationId: locator(f.toUpdate),
				updateFields: { name: 'Checked by e2e', detail: 'Renamed through n8n' },
			}),
			expect(items) {
				const item = single(items);
				assert.equal(item.title, 'Checked by e2e');
				assert.equal(item.summary, 'Renamed through n8n');
			},
		},
		{
			name: 'Assign conversation',
			parameters: conversation('assign', { conversationId: locator(f.toAssign), assigneeId: locator(f.agentId) }),
			expect(items) {
				assert.deepEqual(single(items).assignee, { type: 'agent', id: f.agentId, name: null });
			},
		},
		{
			name: 'Unassign conversation',
			parameters: conversation('assign', { conversationId: locator(f.toUnassign), assigneeId: locator('') }),
			expect(items) {
				assert.equal(single(items).assignee, null);
			},
		},
		{
			name: 'Reply',
			parameters: conversation('reply', { conversationId: locator(f.toRead), text: 'Checked by e2e' }),
			expect(items) {
				const item = single(items);
				assertShape('message', item);
				assert.equal(item.direction, 'outbound');
				assert.equal(item.text, 'Checked by e2e');
			},
		},
		{
			name: 'Get many messages',
			after: 'Reply',
			parameters: { resource: 'message', operation: 'getAll', conversationId: locator(f.toRead), returnAll: true },
			expect(items) {
				assert.ok(items.some((item) => item.text === 'Checked by e2e'), 'the reply just sent is listed');
				items.forEach((item) => assertShape('message', item));
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

/** An inbound message of a conversation, as VoIPbin's `conversation_message_created` carries it. */
function inboundMessage(conversationId, text) {
	const now = new Date().toISOString().replace('Z', '000Z');
	return {
		id: randomUUID(),
		customer_id: randomUUID(),
		conversation_id: conversationId,
		direction: 'incoming',
		status: 'done',
		reference_type: 'message',
		reference_id: randomUUID(),
		source: { type: 'tel', target: '+14155550188', target_name: 'e2e contact' },
		destination: { type: 'tel', target: '+14155550100' },
		text,
		medias: [],
		tm_create: now,
		tm_update: now,
		tm_delete: null,
	};
}

module.exports = {
	key: 'voipbin',
	displayName: 'VoIPbin',
	simulator: 'voipbin',
	nodes: { action: 'voipbin', trigger: 'voipbinTrigger' },
	/** The example workflow refers to this id and name, so importing it wires it up. */
	credential: {
		type: 'voipbinApi',
		id: 'voipbinDemoCredential',
		name: 'VoIPbin account',
		data: (simulator) => ({ accessKey: simulator.accessKey, baseUrl: simulator.baseUrl }),
		/** The editor's credential test with a wrong key in this field must show VoIPbin's reason. */
		wrongKey: { field: 'accessKey', value: 'vb_not-a-key-of-this-account', reason: /^Invalid access key: VoIPbin answered 401/ },
	},
	authHeaders: (simulator) => ({ Cookie: `accesskey=${simulator.accessKey}` }),
	fixtures,
	actionCases,
	trigger: {
		parameters: {
			registration: 'takeover',
			events: ['conversation_created', 'conversation_updated', 'conversation_message_created'],
			options: {},
		},
		/**
		 * VoIPbin has one webhook per account, the customer's `webhook_uri`: that is the only registration, and it
		 * has no field to carry a mark (the take-over knows its own by the URL). Only one trigger can hold it: the
		 * example and the trigger workflow cannot both be active.
		 */
		oneAccountWebhook: true,
		async registrations(client) {
			const customer = await client.api('GET', '/customer');
			return customer.webhook_uri ? [{ id: customer.webhook_uri, url: customer.webhook_uri, mark: undefined }] : [];
		},
		delivery: (f) => ({ event: 'conversation_created', conversationId: f.forTrigger }),
		/**
		 * An event not sent before: the conversation as the API gives it, with a detail of its own. VoIPbin sends
		 * no id, and a retry is the same bytes: sending the same request again is VoIPbin sending that event again.
		 */
		async newEvent(client, f, n) {
			const conversation = await client.api('GET', `/conversations/${f.forTrigger}`);
			return { event: 'conversation_updated', payload: { ...conversation, detail: `e2e event ${n} ${randomUUID()}` } };
		},
		expectEvent(event, f) {
			assertShape('event', event);
			assert.equal(event.vendor, 'voipbin');
			assert.equal(event.type, 'conversation.created');
			assert.equal(event.conversation?.id, f.forTrigger);
			assert.equal(event.delivery.signatureVerified, true);
		},
	},
	examples: [
		{
			file: 'voipbin-auto-reply.json',
			/**
			 * A contact writes on a conversation no agent owns. VoIPbin's API cannot cause an inbound message, so the
			 * simulator's control sends the signed event, as VoIPbin would, to the example's webhook.
			 */
			fire: (f, { webhookUrl }) => ({
				via: 'control',
				method: 'POST',
				path: '/deliver',
				body: {
					webhook: webhookUrl,
					event: 'conversation_message_created',
					payload: inboundMessage(f.forExample, 'Is anyone there?'),
				},
			}),
			/**
			 * One run: the acknowledgement it sends comes back as an outgoing `conversation_message_created`, which
			 * the trigger's Ignore Own Messages drops.
			 */
			executions: { count: 1, why: 'it acknowledges the message; its own reply, echoed back by VoIPbin, starts no run' },
			/** ...and the example acknowledged it. */
			async verify(client, f) {
				const { result: messages } = await client.api('GET', `/conversations/${f.forExample}/messages?page_size=100`);
				assert.ok(
					messages.some((message) => message.direction === 'outgoing' && message.text.startsWith('Thanks for your message')),
					'the example sent its acknowledgement',
				);
			},
		},
	],
};
