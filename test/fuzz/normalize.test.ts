import fc from 'fast-check';

import * as awardee from '../../nodes/Awardee/normalize';
import * as oncehub from '../../nodes/OnceHub/normalize';
import { expectValid } from '../helpers/schema';
import { fuzz, vendorObject } from './settings';

/**
 * Every normalizer takes arbitrary vendor JSON (missing fields, wrong types, unicode, huge strings, sentinel
 * and impossible dates) and returns a schema-valid shape, or, for an object without the id every shape
 * needs, a clear error saying so: never a crash, never an invalid field.
 */
function validOrClearError(normalize: () => unknown, schema: 'conversation' | 'message' | 'event'): void {
	let result: unknown;
	try {
		result = normalize();
	} catch (error) {
		expect((error as Error).message).toMatch(/^(Awardee|OnceHub) sent an? \w+ without a usable id$/);
		return;
	}
	expectValid(schema, result);
	expectJsonSafe(result);
}
const AWARDEE_CONVERSATION = ['id', 'status', 'title', 'summary', 'last_message_preview', 'contact_name', 'contact_email', 'contact_phone', 'assigned_to', 'priority', 'created_at', 'updated_at', 'last_message_at', 'closed_at', 'chatbot_id', 'sentiment_score'];
const AWARDEE_MESSAGE = ['id', 'conversation_id', 'role', 'created_at', 'author_id', 'content', 'metadata', 'parts'];
const awardeePart = vendorObject(['type', 'text', 'url', 'name', 'mime_type', 'order']);
const awardeeMessage = vendorObject(AWARDEE_MESSAGE, {
	parts: fc.array(awardeePart, { maxLength: 4 }),
	metadata: vendorObject(['source']),
});
const awardeeTags = fc.oneof(fc.constant(null), fc.array(vendorObject(['id', 'name']), { maxLength: 4 }));

const ONCEHUB_CONVERSATION = ['id', 'object', 'status', 'subject', 'contact', 'owner', 'creation_time', 'last_updated_time', 'last_interacted_time', 'tracking_id', 'form_submission', 'teams'];
const ONCEHUB_CONTACT = ['id', 'first_name', 'last_name', 'email', 'mobile_phone', 'phone', 'company', 'job_title', 'owner', 'status', 'timezone', 'has_consent', 'creation_time', 'last_updated_time', 'in_trash', 'deleted'];
const ONCEHUB_BOOKING = ['id', 'status', 'subject', 'starting_time', 'duration_minutes', 'customer_timezone', 'contact', 'owner', 'conversation', 'creation_time', 'last_updated_time', 'in_trash', 'tracking_id', 'form_submission'];
const ONCEHUB_USER = ['id', 'first_name', 'last_name', 'email', 'role_name', 'status', 'timezone', 'teams'];
const onceHubConversation = vendorObject(ONCEHUB_CONVERSATION, { contact: vendorObject(ONCEHUB_CONTACT) });

const EVENT_NAMES = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('conversation.created', 'conversation.updated', 'message.created', 'conversation.started', 'conversation.closed', 'conversation.abandoned', 'booking.scheduled'));

function delivery(body: fc.Arbitrary<Record<string, unknown>>) {
	return fc.record({
		eventType: EVENT_NAMES,
		deliveryId: fc.string({ minLength: 1, maxLength: 20 }),
		eventId: fc.string({ minLength: 1, maxLength: 20 }),
		body,
		signatureVerified: fc.constantFrom(true, false, null),
		receivedAt: fc.constant('2026-12-01T00:00:00.000Z'),
		includeRaw: fc.boolean(),
	});
}

/** Output must also survive n8n's own handling: JSON without loss. */
function expectJsonSafe(value: unknown): void {
	expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

describe('normalizers under arbitrary vendor JSON', () => {
	it('Awardee conversations are always valid conversations', () => {
		fc.assert(
			fc.property(vendorObject(AWARDEE_CONVERSATION), awardeeTags, (raw, tags) => {
				validOrClearError(() => awardee.normalizeConversation(raw as never, tags as never), 'conversation');
			}),
			fuzz(),
		);
	});

	it('Awardee messages and notes are always valid messages', () => {
		fc.assert(
			fc.property(awardeeMessage, fc.option(fc.uuid()), (raw, listedUnder) => {
				validOrClearError(() => awardee.normalizeMessage(raw as never, listedUnder ?? undefined), 'message');
				validOrClearError(() => awardee.normalizeNote(raw as never, listedUnder ?? undefined), 'message');
			}),
			fuzz(),
		);
	});

	it('Awardee deliveries are always valid events', () => {
		const body = vendorObject(['conversation', 'message', 'changes'], {
			conversation: vendorObject(AWARDEE_CONVERSATION.map((key) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))),
			message: awardeeMessage,
			changes: fc.dictionary(fc.constantFrom('status', 'assignedTo', 'tags', 'title'), vendorObject(['from', 'to'])),
		});
		fc.assert(
			fc.property(delivery(body), (input) => {
				const event = awardee.normalizeDelivery(input as never);
				expectValid('event', event);
				expectJsonSafe(event);
			}),
			fuzz(),
		);
	});

	it('OnceHub conversations are always valid conversations', () => {
		fc.assert(
			fc.property(onceHubConversation, (raw) => {
				validOrClearError(() => oncehub.normalizeConversation(raw as never), 'conversation');
			}),
			fuzz(),
		);
	});

	it('OnceHub contacts, bookings and users never crash and keep JSON-safe, string-or-null ids', () => {
		const booking = vendorObject(ONCEHUB_BOOKING, { conversation: onceHubConversation, contact: vendorObject(ONCEHUB_CONTACT) });
		fc.assert(
			fc.property(vendorObject(ONCEHUB_CONTACT), booking, vendorObject(ONCEHUB_USER), (contact, bookingRaw, user) => {
				for (const record of [oncehub.normalizeContact(contact as never), oncehub.normalizeBooking(bookingRaw as never), oncehub.normalizeUser(user as never)]) {
					expectJsonSafe(record);
					const id = (record as unknown as { id: unknown }).id;
					expect(id === null || typeof id === 'string').toBe(true);
				}
				const nested = oncehub.normalizeBooking(bookingRaw as never) as unknown as { conversation: unknown };
				if (nested.conversation !== null && typeof nested.conversation === 'object') expectValid('conversation', nested.conversation);
			}),
			fuzz(),
		);
	});

	it('OnceHub deliveries are always valid events', () => {
		const body = vendorObject(['id', 'type', 'creation_time', 'data'], { data: onceHubConversation });
		fc.assert(
			fc.property(delivery(body), (input) => {
				const event = oncehub.normalizeDelivery(input as never);
				expectValid('event', event);
				expectJsonSafe(event);
			}),
			fuzz(),
		);
	});
});
