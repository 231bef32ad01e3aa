import type { DeliveryDialect } from '../../shared/webhook/delivery';
import { isPlainObject } from '../../shared/normalize';
import { normalizeDelivery } from '../normalize';

/**
 * OnceHub's deliveries: one event envelope per POST (`{ id: "EVNT-…", type, creation_time, data }`), signed
 * `Oncehub-Signature: t=<unix>,s=<hex HMAC-SHA256 of "t.rawBody">`; the event id is inside the signed body.
 */
export const onceHubDeliveries: DeliveryDialect = {
	signature: { kind: 'timestampedHmac', header: 'oncehub-signature', timestampKey: 't', signatureKey: 's' },
	preferredSecret: 'registered',
	events(delivery) {
		const body = delivery.body;
		if (!isPlainObject(body)) return { refuse: 'body is not an event' };
		// `type` is the documented field; OnceHub's own n8n node reads `event`.
		const type = String(body.type ?? body.event ?? 'unknown');
		const id = typeof body.id === 'string' && body.id !== '' ? body.id : undefined;
		return [{ type, body, id }];
	},
	normalize: (event, context) =>
		normalizeDelivery({
			eventType: event.type,
			eventId: context.eventId,
			body: event.body,
			signatureVerified: context.signatureVerified,
			receivedAt: context.receivedAt,
			includeRaw: context.includeRaw,
		}),
};
