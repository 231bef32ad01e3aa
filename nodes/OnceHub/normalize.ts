import type { IDataObject } from 'n8n-workflow';

import {
	buildConversation,
	contactOrNull,
	globalId,
	idToString,
	lookUp,
	requireId,
	isPlainObject,
	mapStatus,
	pickAttributes,
	textOrNull,
	toUtcIso,
} from '../shared/normalize';
import type { StatusTable } from '../shared/normalize';
import type { Assignee, Contact, Conversation, ConversationEvent, EventType } from '../shared/types';

/**
 * OnceHub's three conversation statuses. `started` means the visitor answered the chatbot, which is still
 * running the flow; `closed` is the end of the flow; `abandoned` is ten minutes without a reply.
 */
export const ONCEHUB_STATUS: StatusTable = {
	started: { status: 'open', handledBy: 'bot' },
	closed: { status: 'closed', closedReason: 'ended' },
	abandoned: { status: 'closed', closedReason: 'abandoned' },
};

/** What the normalized conversation cannot hold, under OnceHub's own names (expanded objects included). */
const CONVERSATION_ATTRIBUTES = ['initiated_by', 'answers', 'bookings', 'bot', 'website', 'audience', 'contact', 'owner'];

function fullName(first: unknown, last: unknown): string | null {
	const name = [textOrNull(first), textOrNull(last)].filter((part) => part !== null).join(' ');
	return name === '' ? null : name;
}

/** An expandable field holds the object when expanded, else only its id. */
function expandable(value: unknown): { id: string | null; object: IDataObject | null } {
	if (isPlainObject(value)) return { id: idToString(value.id), object: value };
	return { id: typeof value === 'string' ? idToString(value) : null, object: null };
}

function phoneOf(person: IDataObject): string | null {
	return textOrNull(person.mobile_phone) ?? textOrNull(person.phone);
}

function conversationContact(value: unknown): Contact | null {
	const { id, object } = expandable(value);
	if (!object) return contactOrNull({ id });
	return contactOrNull({
		id,
		name: fullName(object.first_name, object.last_name),
		email: object.email,
		phone: phoneOf(object),
	});
}

/** The conversation's owner is the OnceHub user it is routed to. Older payloads expand it without an id. */
function ownerAssignee(value: unknown): Assignee | null {
	const { id, object } = expandable(value);
	if (!id) return null;
	return { type: 'user', id, name: object ? fullName(object.first_name, object.last_name) : null };
}

/**
 * A conversation as webhooks and `expand=conversation` give it. There are no messages: the last interaction
 * is the latest exchange with the visitor. OnceHub gives no closing time.
 */
export function normalizeConversation(raw: IDataObject): Conversation {
	// An older sample carries the key with a trailing space.
	const lastInteraction = raw.last_interacted_time ?? raw['last_interacted_time '];
	const { status, closedReason, handledBy } = mapStatus(ONCEHUB_STATUS, raw.status);
	return buildConversation('oncehub', requireId('OnceHub', 'a conversation', raw.id), {
		status,
		closedReason,
		handledBy,
		vendorStatus: textOrNull(raw.status),
		channel: 'web_chat',
		contact: conversationContact(raw.contact),
		assignee: ownerAssignee(raw.owner),
		createdAt: toUtcIso(raw.creation_time),
		updatedAt: toUtcIso(raw.last_updated_time),
		lastMessageAt: toUtcIso(lastInteraction),
		deleted: raw.deleted === true,
		attributes: pickAttributes(raw, CONVERSATION_ATTRIBUTES),
	});
}

// ---- contacts, bookings and users: no package-wide schema, so one flat camelCase shape each ----

const CONTACT_ATTRIBUTES = [
	'salutation',
	'street_address',
	'city',
	'state',
	'post_code',
	'country',
	'company_size',
	'employees',
	'terms_of_sevice',
	'source',
	'custom_fields',
];

export interface ContactRecord {
	vendor: 'oncehub';
	id: string;
	globalId: string;
	name: string | null;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
	mobilePhone: string | null;
	company: string | null;
	jobTitle: string | null;
	status: string | null;
	ownerId: string | null;
	timezone: string | null;
	hasConsent: boolean | null;
	createdAt: string | null;
	updatedAt: string | null;
	lastInteractedAt: string | null;
	deleted: boolean;
	attributes: IDataObject;
}

export function normalizeContact(raw: IDataObject): ContactRecord {
	const id = idToString(raw.id) ?? '';
	return {
		vendor: 'oncehub',
		id,
		globalId: globalId('oncehub', id),
		name: fullName(raw.first_name, raw.last_name),
		firstName: textOrNull(raw.first_name),
		lastName: textOrNull(raw.last_name),
		email: textOrNull(raw.email),
		phone: textOrNull(raw.phone),
		mobilePhone: textOrNull(raw.mobile_phone),
		company: textOrNull(raw.company),
		jobTitle: textOrNull(raw.job_title),
		status: textOrNull(raw.status),
		ownerId: expandable(raw.owner).id,
		timezone: textOrNull(raw.timezone),
		hasConsent: typeof raw.has_consent === 'boolean' ? raw.has_consent : null,
		createdAt: toUtcIso(raw.creation_time),
		updatedAt: toUtcIso(raw.last_updated_time),
		lastInteractedAt: toUtcIso(raw.last_interacted_time),
		deleted: raw.deleted === true,
		attributes: pickAttributes(raw, CONTACT_ATTRIBUTES),
	};
}

export function simplifyContact(contact: ContactRecord): IDataObject {
	return {
		id: contact.id,
		name: contact.name,
		email: contact.email,
		phone: contact.mobilePhone ?? contact.phone,
		company: contact.company,
		jobTitle: contact.jobTitle,
		status: contact.status,
		ownerId: contact.ownerId,
		createdAt: contact.createdAt,
		updatedAt: contact.updatedAt,
	};
}

const BOOKING_ATTRIBUTES = [
	'form_submission',
	'attendees',
	'location_description',
	'virtual_conferencing',
	'booking_page',
	'master_page',
	'event_type',
	'booking_calendar',
	'external_calendar',
	'cancel_reschedule_information',
	'rescheduled_booking_id',
	'cancel_reschedule_url',
	'cancel_url',
	'reschedule_url',
	'ics_url',
	'utm_params',
	'custom_fields',
];

export interface BookingRecord {
	vendor: 'oncehub';
	id: string;
	globalId: string;
	status: string | null;
	subject: string | null;
	trackingId: string | null;
	startsAt: string | null;
	durationMinutes: number | null;
	customerTimezone: string | null;
	/** Who booked, as typed into the booking form. */
	customer: Contact | null;
	contactId: string | null;
	ownerId: string | null;
	conversationId: string | null;
	/** The conversation the booking came from, normalized, when OnceHub expanded it. */
	conversation: Conversation | null;
	inTrash: boolean;
	createdAt: string | null;
	updatedAt: string | null;
	deleted: boolean;
	attributes: IDataObject;
}

export function normalizeBooking(raw: IDataObject): BookingRecord {
	const id = idToString(raw.id) ?? '';
	const form = isPlainObject(raw.form_submission) ? raw.form_submission : {};
	const conversation = expandable(raw.conversation);
	return {
		vendor: 'oncehub',
		id,
		globalId: globalId('oncehub', id),
		status: textOrNull(raw.status),
		subject: textOrNull(raw.subject),
		trackingId: textOrNull(raw.tracking_id),
		startsAt: toUtcIso(raw.starting_time),
		durationMinutes: typeof raw.duration_minutes === 'number' ? raw.duration_minutes : null,
		customerTimezone: textOrNull(raw.customer_timezone),
		customer: contactOrNull({ name: form.name, email: form.email, phone: phoneOf(form) }),
		contactId: expandable(raw.contact).id,
		ownerId: expandable(raw.owner).id,
		conversationId: conversation.id,
		conversation: conversation.object && conversation.id !== null ? normalizeConversation(conversation.object) : null,
		inTrash: raw.in_trash === true,
		createdAt: toUtcIso(raw.creation_time),
		updatedAt: toUtcIso(raw.last_updated_time),
		deleted: raw.deleted === true,
		attributes: pickAttributes(raw, BOOKING_ATTRIBUTES),
	};
}

export function simplifyBooking(booking: BookingRecord): IDataObject {
	return {
		id: booking.id,
		status: booking.status,
		subject: booking.subject,
		startsAt: booking.startsAt,
		durationMinutes: booking.durationMinutes,
		customerName: booking.customer?.name ?? null,
		customerEmail: booking.customer?.email ?? null,
		contactId: booking.contactId,
		ownerId: booking.ownerId,
		conversationId: booking.conversationId,
	};
}

export interface UserRecord {
	vendor: 'oncehub';
	id: string;
	globalId: string;
	name: string | null;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	status: string | null;
	role: string | null;
	timezone: string | null;
	teamIds: string[];
}

export function normalizeUser(raw: IDataObject): UserRecord {
	const id = idToString(raw.id) ?? '';
	const teams = Array.isArray(raw.teams) ? raw.teams : [];
	return {
		vendor: 'oncehub',
		id,
		globalId: globalId('oncehub', id),
		name: fullName(raw.first_name, raw.last_name),
		firstName: textOrNull(raw.first_name),
		lastName: textOrNull(raw.last_name),
		email: textOrNull(raw.email),
		status: textOrNull(raw.status),
		role: textOrNull(raw.role_name),
		timezone: textOrNull(raw.timezone),
		teamIds: teams.map((team) => expandable(team).id).filter((teamId): teamId is string => teamId !== null),
	};
}

export function simplifyUser(user: UserRecord): IDataObject {
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		status: user.status,
		role: user.role,
		timezone: user.timezone,
	};
}

// ---- webhook deliveries ----

/** The three conversation events OnceHub documents, and what each means in the common vocabulary. */
export const CONVERSATION_EVENTS: Record<string, { type: EventType; status: string }> = {
	'conversation.started': { type: 'conversation.created', status: 'started' },
	'conversation.closed': { type: 'conversation.closed', status: 'closed' },
	'conversation.abandoned': { type: 'conversation.closed', status: 'abandoned' },
};

export interface OnceHubDelivery {
	eventType: string;
	eventId: string;
	body: IDataObject;
	signatureVerified: boolean | null;
	receivedAt: string;
	includeRaw: boolean;
}

/**
 * An event envelope `{ id, object: "event", creation_time, type, api_version, data }` as the common event.
 * `data` is the conversation, its contact, owner, bot and website expanded; where it lacks a status, the
 * event's own meaning supplies it.
 */
export function normalizeDelivery(delivery: OnceHubDelivery): ConversationEvent {
	const { body, eventType } = delivery;
	const known = lookUp(CONVERSATION_EVENTS, eventType);
	const data = isPlainObject(body.data) ? body.data : null;
	const conversation =
		data !== null && (data.object === 'conversation' || known !== undefined) && idToString(data.id) !== null
			? normalizeConversation({ ...data, status: data.status ?? known?.status })
			: null;
	const event: ConversationEvent = {
		schemaVersion: 1,
		vendor: 'oncehub',
		type: known?.type ?? 'other',
		vendorEventType: eventType,
		eventId: delivery.eventId,
		occurredAt: toUtcIso(body.creation_time),
		receivedAt: delivery.receivedAt,
		conversation,
		message: null,
		changes: null,
		delivery: { id: delivery.eventId, signatureVerified: delivery.signatureVerified, source: 'webhook' },
	};
	if (delivery.includeRaw) event.raw = body;
	return event;
}
