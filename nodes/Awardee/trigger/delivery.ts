import type { DeliveryDialect, VendorEvent } from '../../shared/webhook/delivery';
import { isPlainObject } from '../../shared/normalize';
import { isApiReply, normalizeDelivery } from '../normalize';

/** Which member of the signed body each event type carries; the event type itself comes in an unsigned header. */
const BODY_MEMBER: Record<string, string> = {
	'conversation.created': 'conversation',
	'conversation.updated': 'conversation',
	'message.created': 'message',
};

/**
 * Awardee's deliveries: one event per POST, named by `X-Awardee-Event`, identified by `X-Awardee-Delivery`
 * (reused by retries), signed `X-Awardee-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">` with the
 * whole whsec_ secret. Neither header is signed, so an event name that does not fit the signed body is refused.
 */
export const awardeeDeliveries: DeliveryDialect = {
	signature: { kind: 'timestampedHmac', header: 'x-awardee-signature', timestampKey: 't', signatureKey: 'v1' },
	preferredSecret: 'registered',
	deliveryId: (delivery) => delivery.header('x-awardee-delivery'),
	events(delivery) {
		if (!isPlainObject(delivery.body)) return { refuse: 'body is not an event' };
		const type = delivery.header('x-awardee-event') ?? 'unknown';
		const member = BODY_MEMBER[type];
		if (member !== undefined && !isPlainObject(delivery.body[member])) return { refuse: 'event header contradicts the signed body' };
		return [{ type, body: delivery.body }];
	},
	isOwnMessage: (event: VendorEvent) =>
		event.type === 'message.created' && isPlainObject(event.body.message) && isApiReply(event.body.message),
	normalize: (event, context) =>
		normalizeDelivery({
			eventType: event.type,
			deliveryId: context.eventId,
			body: event.body,
			signatureVerified: context.signatureVerified,
			receivedAt: context.receivedAt,
			includeRaw: context.includeRaw,
		}),
};
