import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { SocialBoardsTrigger } from '../../nodes/SocialBoards/SocialBoardsTrigger.node';
import { fuzz, fuzzTimeout, FUZZ_RUNS, vendorObject, vendorValue } from '../fuzz/settings';
import { N8nHarness } from '../harness/n8n';
import { expectValid } from '../helpers/schema';

/**
 * Arbitrary SocialBoards deliveries (known and unknown event types, missing fields, wrong types, unicode, huge
 * strings, times in many forms) through the trigger's real `webhook()`: every answer is 200 or 400, never a crash,
 * and every item emitted is a schema-valid event.
 */
const TRIGGER = 'socialBoardsTrigger';
const n8n = new N8nHarness({ nodes: { [TRIGGER]: new SocialBoardsTrigger() }, credentialTypes: [], credentials: {} });
const EVENT_TYPES = ['conversation_created', 'conversation_message_added', 'conversation_takeover_state_changed', 'conversation_closed', 'ticket_status_change'];
const PARAMETERS = { registration: 'manual', events: EVENT_TYPES, ignoreOwnMessages: false, options: { verifyToken: 't', includeRaw: true } };

const offsetTime = fc
	.tuple(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: -12, max: 14 }))
	.map(([date, digits, hours]) => {
		const local = new Date(date.getTime() + hours * 3_600_000).toISOString();
		const fraction = `${local.slice(20, 23)}4567`.slice(0, digits);
		const offset = `${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
		return `${local.slice(0, 19)}${fraction ? `.${fraction}` : ''}${offset}`;
	});
const time = fc.oneof(offsetTime, vendorValue);
const id = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 9_999_999 }) }, { weight: 1, arbitrary: vendorValue });
const user = vendorObject(['Id', 'Name', 'Email', 'IsBot', 'Status', 'CustomIdentifier'], {
	IsBot: fc.boolean(),
	Status: fc.constantFrom('client', 'team', 'vendor', ''),
});
const conversation = vendorObject(['Id', 'Author', 'CreationTime', 'LastModifiedTime', 'IsClosed', 'IsTakeoverEnabled', 'TotalMessagesCount', 'QueuePositionInfo', 'Feedback', 'Fields', 'Messages'], {
	Id: id,
	Author: user,
	CreationTime: time,
	LastModifiedTime: time,
	IsClosed: fc.boolean(),
	IsTakeoverEnabled: fc.boolean(),
	TotalMessagesCount: fc.integer({ min: -1, max: 500 }),
});
const message = vendorObject(['Id', 'Author', 'CreationTime', 'LastModifiedTime', 'Message'], { Id: id, Author: user, CreationTime: time });
const ticket = vendorObject(['Id', 'Title', 'Message', 'Author', 'LockedBy', 'Status', 'Tags', 'Properties', 'Source', 'CreationTime', 'LastThreadElementCreationTime', 'Category'], {
	Id: id,
	Author: user,
	LockedBy: user,
	Status: fc.constantFrom('open', 'pending', 'completed', 'closed', 'archived', ''),
	Tags: fc.array(vendorObject(['Id', 'Name']), { maxLength: 3 }),
	Properties: vendorObject(['IsAssignedToBot', 'IsDeleted'], { IsAssignedToBot: fc.boolean(), IsDeleted: fc.boolean() }),
	Source: fc.constantFrom('web', 'email', 'facebook'),
	CreationTime: time,
	LastThreadElementCreationTime: time,
});
const item = vendorObject(['InboxLink', 'ConversationId', 'Conversation', 'Message', 'EventTime', 'PreviousTicketStatus', 'Ticket'], {
	ConversationId: id,
	Conversation: conversation,
	Message: message,
	EventTime: time,
	PreviousTicketStatus: fc.constantFrom('open', 'pending', 'completed', 'closed'),
	Ticket: ticket,
});
const withId = (object: fc.Arbitrary<Record<string, unknown>>) =>
	fc.tuple(object, fc.integer({ min: 1, max: 9_999_999 })).map(([fields, Id]) => ({ ...fields, Id }));
/** An item with what the trigger needs to emit an event, every other field anything. */
const wellFormedItem = fc
	.tuple(item, fc.record({ Conversation: withId(conversation), Message: message, Ticket: withId(ticket) }))
	.map(([fields, needed]) => ({ ...fields, ...needed }));
const eventType = fc.constantFrom(...EVENT_TYPES, 'ticket_reply_added', 'toString', '__proto__');
const events = fc.array(fc.oneof({ weight: 6, arbitrary: wellFormedItem }, { weight: 3, arbitrary: item }, { weight: 1, arbitrary: vendorValue }), {
	maxLength: 3,
});
const looseDelivery = vendorObject(['CommunityName', 'EventType', 'TicketId', 'Events'], { EventType: eventType, TicketId: id, Events: events });
const delivery = fc.oneof(
	{ weight: 4, arbitrary: fc.tuple(looseDelivery, fc.record({ EventType: eventType, Events: events })).map(([fields, needed]) => ({ ...fields, ...needed })) },
	{ weight: 1, arbitrary: looseDelivery },
);

it(
	'answers any delivery with 200 or 400, and every event it emits is schema-valid',
	async () => {
		await fc.assert(
			fc.asyncProperty(delivery, async (body) => {
				const rawBody = JSON.stringify(body);
				const result = await n8n.webhook(TRIGGER, PARAMETERS, { headers: {}, body: body as IDataObject, rawBody }, {});
				expect([200, 400]).toContain(result.statusCode);
				if (result.statusCode === 400) expect(result.executed).toBe(false);
				for (const emitted of result.items) expectValid('event', emitted.json);
			}),
			fuzz(),
		);
	},
	fuzzTimeout(FUZZ_RUNS),
);
