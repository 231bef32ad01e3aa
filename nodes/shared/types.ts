import type { IDataObject } from 'n8n-workflow';

/** The shapes every node of the package emits; JSON Schemas of the same live in the project's shared/schema. */

/** A vendor's name as its own code gives it (lower case, e.g. in `globalId`); shared code never lists them. */
export type Vendor = string;

export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed' | 'unknown';
export type ClosedReason = 'abandoned' | 'ended' | 'archived' | null;
export type HandledBy = 'bot' | 'human' | null;
export type Channel = 'web_chat' | 'sms' | 'mms' | 'line' | 'email' | 'other' | null;
export type Priority = 'low' | 'normal' | 'high' | 'urgent' | null;

export interface Contact {
	id: string | null;
	name: string | null;
	email: string | null;
	phone: string | null;
}

export interface Assignee {
	type: 'user' | 'agent' | 'team' | 'bot';
	id: string;
	name: string | null;
}

export interface TagRef {
	id: string | null;
	name: string | null;
}

export interface Conversation {
	schemaVersion: 1;
	vendor: Vendor;
	id: string;
	globalId: string;
	status: ConversationStatus;
	closedReason: ClosedReason;
	vendorStatus: string | null;
	handledBy: HandledBy;
	channel: Channel;
	title: string | null;
	summary: string | null;
	preview: string | null;
	contact: Contact | null;
	assignee: Assignee | null;
	tags: TagRef[] | null;
	priority: Priority;
	createdAt: string | null;
	updatedAt: string | null;
	lastMessageAt: string | null;
	closedAt: string | null;
	deleted: boolean;
	messageCount: number | null;
	webUrl: string | null;
	attributes: IDataObject;
	raw?: IDataObject;
}

export type Direction = 'inbound' | 'outbound' | 'internal';
export type AuthorRole = 'contact' | 'agent' | 'bot' | 'system';

export interface Author {
	id: string | null;
	name: string | null;
	email: string | null;
}

export interface Attachment {
	url: string | null;
	name: string | null;
	mimeType: string | null;
}

export interface Message {
	schemaVersion: 1;
	vendor: Vendor;
	id: string | null;
	conversationId: string;
	direction: Direction;
	authorRole: AuthorRole;
	author: Author | null;
	text: string | null;
	isPrivate: boolean;
	createdAt: string | null;
	attachments: Attachment[];
	attributes?: IDataObject;
	raw?: IDataObject;
}

export type EventType =
	| 'conversation.created'
	| 'conversation.updated'
	| 'conversation.status_changed'
	| 'conversation.assigned'
	| 'conversation.handover'
	| 'conversation.tags_changed'
	| 'conversation.closed'
	| 'message.created'
	| 'message.updated'
	| 'message.deleted'
	| 'other';

export interface FieldChange {
	from: unknown;
	to: unknown;
}

export type Changes = Record<string, FieldChange>;

export interface ConversationEvent {
	schemaVersion: 1;
	vendor: Vendor;
	type: EventType;
	vendorEventType: string;
	eventId: string;
	occurredAt: string | null;
	receivedAt: string;
	conversation: Conversation | null;
	message: Message | null;
	changes: Changes | null;
	delivery: {
		id: string | null;
		signatureVerified: boolean | null;
		source: 'webhook' | 'poll';
	};
	raw?: IDataObject;
}
