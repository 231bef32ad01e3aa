'use strict';
/** OnceHub in the e2e table: its simulator, credential, nodes, operation cases, trigger and example. */
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');

const { assertShape, single } = require('../lib/assertions');
const { locator } = require('../lib/workflows');

const UNKNOWN_CONTACT = 'CTC-ZZZZZZZZZZ';

/**
 * The seeded data the cases act on, read from the simulator's own API. OnceHub's API has no conversation
 * endpoint: conversations are reached through the bookings they led to.
 */
async function fixtures(client) {
	const { data: bookings } = await client.api('GET', '/bookings?limit=100');
	const { data: contacts } = await client.api('GET', '/contacts?limit=100');
	const { data: users } = await client.api('GET', '/users?limit=100');
	const fromConversation = bookings.filter((booking) => typeof booking.conversation === 'string');
	assert.ok(fromConversation.length >= 2, 'the simulator seeds two bookings that came from conversations');
	const [forTrigger, forExample] = fromConversation;
	const visitors = new Set(fromConversation.map((booking) => booking.contact));
	return {
		contactCount: contacts.length,
		userCount: users.length,
		userId: users[0].id,
		booking: forTrigger.id,
		bookingContact: forTrigger.contact,
		bookingConversation: forTrigger.conversation,
		bookingWithoutConversation: bookings.find((booking) => !booking.conversation).id,
		exampleConversation: forExample.conversation,
		exampleVisitor: forExample.contact,
		// The one the Update case changes: no conversation event of these tests touches it.
		otherContact: contacts.find((contact) => !visitors.has(contact.id)).id,
	};
}

function actionCases(f) {
	return [
		{
			name: 'Get conversation by booking',
			parameters: { resource: 'conversation', operation: 'getByBooking', bookingId: locator(f.booking) },
			expect(items) {
				const item = single(items);
				assertShape('conversation', item);
				assert.equal(item.id, f.bookingConversation);
				assert.equal(item.status, 'closed');
			},
		},
		{
			name: 'Get conversation by booking without one',
			parameters: {
				resource: 'conversation',
				operation: 'getByBooking',
				bookingId: locator(f.bookingWithoutConversation),
			},
			expect(items) {
				assert.equal(items.length, 0, 'a booking made without a conversation gives no item');
			},
		},
		{
			name: 'Get contact',
			parameters: { resource: 'contact', operation: 'get', contactId: locator(f.bookingContact) },
			expect(items) {
				const item = single(items);
				assert.equal(item.id, f.bookingContact);
				assert.equal(item.globalId, `oncehub:${f.bookingContact}`);
			},
		},
		{
			name: 'Get many contacts',
			parameters: { resource: 'contact', operation: 'getAll', returnAll: true },
			expect(items) {
				assert.equal(items.length, f.contactCount);
			},
		},
		{
			name: 'Update contact',
			parameters: {
				resource: 'contact',
				operation: 'update',
				contactId: locator(f.otherContact),
				updateFields: { status: 'Qualified', job_title: 'Buyer' },
			},
			expect(items) {
				const item = single(items);
				assert.equal(item.status, 'Qualified');
				assert.equal(item.jobTitle, 'Buyer');
			},
		},
		{
			name: 'Get booking',
			parameters: { resource: 'booking', operation: 'get', bookingId: locator(f.booking) },
			expect(items) {
				const item = single(items);
				assert.equal(item.id, f.booking);
				assert.equal(item.conversationId, f.bookingConversation);
				assertShape('conversation', item.conversation);
			},
		},
		{
			name: 'Get many bookings of a contact',
			parameters: { resource: 'booking', operation: 'getAll', returnAll: true, filters: { contact: f.bookingContact } },
			expect(items) {
				assert.ok(items.length >= 1, 'the contact has a booking');
				items.forEach((item) => assert.equal(item.contactId, f.bookingContact));
			},
		},
		{
			name: 'Get user',
			parameters: { resource: 'user', operation: 'get', userId: locator(f.userId) },
			expect(items) {
				assert.equal(single(items).id, f.userId);
			},
		},
		{
			name: 'Get many users',
			parameters: { resource: 'user', operation: 'getAll', returnAll: true },
			expect(items) {
				assert.equal(items.length, f.userCount);
			},
		},
		{
			name: 'Get unknown contact',
			expectError: true,
			parameters: { resource: 'contact', operation: 'get', contactId: locator(UNKNOWN_CONTACT) },
			expect(items) {
				const error = JSON.stringify(single(items).error ?? null);
				assert.match(error, /not found|no such/i, 'continue-on-fail output names the missing contact');
			},
		},
	];
}

module.exports = {
	key: 'oncehub',
	displayName: 'OnceHub',
	simulator: 'oncehub',
	nodes: { action: 'onceHub', trigger: 'onceHubTrigger' },
	credential: {
		type: 'onceHubApi',
		id: 'onceHubDemoCredential',
		name: 'OnceHub account',
		data: (simulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.baseUrl }),
		/** The editor's credential test with a wrong key in this field must show OnceHub's reason. */
		wrongKey: { field: 'apiKey', value: 'not-a-key-of-this-account', reason: /^Invalid API key: OnceHub answered 401/ },
	},
	authHeaders: (simulator) => ({ 'API-Key': simulator.apiKey }),
	fixtures,
	actionCases,
	trigger: {
		parameters: {
			registration: 'automatic',
			events: ['conversation.started', 'conversation.closed', 'conversation.abandoned'],
			options: {},
		},
		/** The vendor's webhook registrations, as `{ id, url, mark }` (OnceHub keeps the mark in `name`). */
		async registrations(client) {
			const { data } = await client.api('GET', '/webhooks?limit=100');
			return data.map((webhook) => ({ id: webhook.id, url: webhook.url, mark: webhook.name }));
		},
		delivery: (f) => ({ event: 'conversation.closed', conversationId: f.bookingConversation }),
		/** An event not sent before; the same request again is OnceHub sending that event (same EVNT- id) again. */
		newEvent: async (client, f, n) => ({
			event: 'conversation.closed',
			conversationId: f.bookingConversation,
			id: `EVNT-E2E${n}${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`,
		}),
		expectEvent(event, f) {
			assertShape('event', event);
			assert.equal(event.vendor, 'oncehub');
			assert.equal(event.type, 'conversation.closed');
			assert.equal(event.conversation?.id, f.bookingConversation);
			assert.equal(event.conversation?.closedReason, 'ended');
			assert.equal(event.delivery.signatureVerified, true);
		},
	},
	examples: [
		{
			file: 'oncehub-qualify-visitor.json',
			/**
			 * A visitor finishes a chatbot conversation. OnceHub's API cannot cause one, so the simulator's control
			 * sends the signed event, as OnceHub would, to the example's registered webhook.
			 */
			fire: (f, { webhookUrl }) => ({
				via: 'control',
				method: 'POST',
				path: '/deliver',
				body: { webhook: webhookUrl, event: 'conversation.closed', conversationId: f.exampleConversation },
			}),
			/** What one fired event starts (printed by the demo, checked by the e2e run). */
			executions: { count: 1, why: 'it sets the visitor\'s contact status to Qualified' },
			/** ...and the example marked the visitor as a qualified lead. */
			async verify(client, f) {
				const contact = await client.api('GET', `/contacts/${f.exampleVisitor}`);
				assert.equal(contact.status, 'Qualified', 'the example qualified the visitor');
			},
		},
	],
};
