import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../shared/normalize';
import type { DeliveryDialect, VendorEvent } from '../../shared/webhook/delivery';
import { authorRoleOf } from '../normalize';
import { camelCaseKeys, namesItsObject, normalizeSocialBoardsEvent } from './normalize';

/** The one event item of a VendorEvent's body (the delivery with only that event in `Events`). */
const itemOf = (event: VendorEvent): IDataObject => (event.body.Events as IDataObject[])[0];

/**
 * A16: SocialBoards sends no event or delivery id and repeats a delivery with the same body, so an event is known
 * by its type, its ticket and its item as sent. Two messages of one conversation differ in their item (the message).
 */
function eventIdOf(eventType: string, ticketId: unknown, item: IDataObject): string {
	const digest = createHash('sha256').update(JSON.stringify([eventType, ticketId ?? null, item])).digest('hex');
	return `sha256:${digest}`;
}

/**
 * SocialBoards' deliveries: `POST {CommunityName, EventType, TicketId, Events: [...]}` in PascalCase, unsigned
 * (no signature is documented: the trigger's unguessable URL is what protects it). One POST may carry several
 * events of its one `EventType`, each an item of `Events`: one output item each (A16).
 */
export const socialBoardsDeliveries: DeliveryDialect = {
	signature: { kind: 'none' },
	preferredSecret: 'pasted',
	events(delivery) {
		const body = delivery.body;
		if (!isPlainObject(body) || typeof body.EventType !== 'string' || body.EventType.trim() === '' || !Array.isArray(body.Events)) {
			return { refuse: 'body is not an event' };
		}
		const eventType = body.EventType;
		const items = body.Events as unknown[];
		if (!items.every(isPlainObject)) return { refuse: 'body is not an event' };
		if (!items.every((item) => namesItsObject(eventType, item, body.TicketId))) return { refuse: 'body is not an event' };
		return items.map((item) => ({
			type: eventType,
			body: { ...body, Events: [item] },
			id: eventIdOf(eventType, body.TicketId, item),
		}));
	},
	/**
	 * A17: nothing marks the messages the API posted, so with Ignore Own Messages on, every message of a teammate or
	 * the bot is dropped (those are what the SocialBoards node's Reply posts); the contact's always pass.
	 */
	isOwnMessage(event) {
		if (event.type !== 'conversation_message_added') return false;
		const { message } = camelCaseKeys(itemOf(event)) as IDataObject;
		return isPlainObject(message) && authorRoleOf(message.author) !== 'contact';
	},
	normalize: (event, context) =>
		normalizeSocialBoardsEvent({
			eventType: event.type,
			item: itemOf(event),
			ticketId: event.body.TicketId,
			raw: event.body,
			eventId: context.eventId,
			signatureVerified: context.signatureVerified,
			receivedAt: context.receivedAt,
			includeRaw: context.includeRaw,
		}),
};
