import fc from 'fast-check';

import * as awardee from '../../nodes/Awardee/normalize';
import * as oncehub from '../../nodes/OnceHub/normalize';
import * as voipbin from '../../nodes/Voipbin/normalize';
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
		expect((error as Error).message).toMatch(/^(Awardee|OnceHub|VoIPbin) sent an? \w+ without a usable id$/);
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

const VOIPBIN_ADDRESS = ['type', 'target', 'target_name', 'name', 'detail'];
const VOIPBIN_CONVERSATION = ['id', 'customer_id', 'owner_type', 'owner_id', 'account_id', 'name', 'detail', 'type', 'dialog_id', 'self', 'peer', 'tm_create', 'tm_update', 'tm_delete'];
const VOIPBIN_MESSAGE = ['id', 'customer_id', 'conversation_id', 'direction', 'status', 'reference_type', 'reference_id', 'transaction_id', 'source', 'destination', 'text', 'medias', 'tm_create', 'tm_update', 'tm_delete'];
/** VoIPbin times in both its forms (RFC 3339 and the docs' zone-less one, with the 9999 sentinel), or anything. */
const voipbinTimeValue = fc.oneof(
	fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('Z', `${String(date.getUTCMilliseconds()).padStart(3, '0')}Z`)),
	fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('T', ' ').replace('Z', '000')),
	fc.constantFrom('9999-01-01 00:00:00.000000', '0001-01-01T00:00:00Z', '2026-05-03T08:12:44+09:00', '2026-02-30 00:00:00'),
);
const voipbinAddress = vendorObject(VOIPBIN_ADDRESS, { type: fc.constantFrom('tel', 'email', 'line', 'agent', '') });
const voipbinTimes = { tm_create: voipbinTimeValue, tm_update: voipbinTimeValue, tm_delete: voipbinTimeValue };
const voipbinConversation = vendorObject(VOIPBIN_CONVERSATION, {
	id: fc.uuid(),
	owner_id: fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', '')),
	type: fc.constantFrom('message', 'line', 'email', 'webchat', 'whatsapp', ''),
	self: voipbinAddress,
	peer: voipbinAddress,
	...voipbinTimes,
});
const voipbinMessage = vendorObject(VOIPBIN_MESSAGE, {
	id: fc.uuid(),
	conversation_id: fc.uuid(),
	direction: fc.constantFrom('incoming', 'outgoing', ''),
	source: voipbinAddress,
	destination: voipbinAddress,
	medias: fc.array(vendorObject(['type', 'filename', 'address']), { maxLength: 3 }),
	...voipbinTimes,
});

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
	it('VoIPbin conversations are always valid conversations, whatever VoIPbin sends, objects or not', () => {
		fc.assert(
			fc.property(fc.oneof({ weight: 9, arbitrary: voipbinConversation }, { weight: 1, arbitrary: fc.jsonValue() }), (raw) => {
				validOrClearError(() => voipbin.normalizeConversation(raw as never), 'conversation');
			}),
			fuzz(),
		);
	});

	it('VoIPbin messages are always valid messages, listed under a conversation or not', () => {
		fc.assert(
			fc.property(fc.oneof({ weight: 9, arbitrary: voipbinMessage }, { weight: 1, arbitrary: fc.jsonValue() }), fc.option(fc.uuid()), (raw, listedUnder) => {
				validOrClearError(() => voipbin.normalizeMessage(raw as never, listedUnder ?? undefined), 'message');
			}),
			fuzz(),
		);
	});

	it('VoIPbin deliveries are always valid events, whatever their type and data', () => {
		const type = fc.oneof(
			fc.constantFrom('conversation_created', 'conversation_updated', 'conversation_message_created', 'conversation_message_updated', 'conversation_message_deleted', 'toString', 'constructor'),
			// The trigger takes only deliveries that name their type, as for the other vendors.
			fc.string({ minLength: 1, maxLength: 30 }),
		);
		const data = fc.oneof(voipbinConversation, voipbinMessage, vendorObject(['type']), fc.jsonValue());
		const input = fc.record({
			body: fc.record({ type, data }),
			eventId: fc.string({ minLength: 1, maxLength: 20 }),
			signatureVerified: fc.constantFrom(true, false, null),
			receivedAt: fc.constant('2026-12-01T00:00:00.000Z'),
			includeRaw: fc.boolean(),
		});
		fc.assert(
			fc.property(input, (delivery) => {
				const event = voipbin.normalizeEvent(delivery as never);
				expectValid('event', event);
				expectJsonSafe(event);
			}),
			fuzz(),
		);
	});

	it('VoIPbin times read as UTC ISO with milliseconds or null, never moved past their millisecond', () => {
		fc.assert(
			fc.property(fc.oneof(voipbinTimeValue, fc.jsonValue()), (value) => {
				const iso = voipbin.voipbinTime(value);
				if (iso === null) return;
				expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
				expect(new Date(iso).toISOString()).toBe(iso);
			}),
			fuzz(),
		);
	});

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
