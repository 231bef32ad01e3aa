import { createHash } from 'crypto';

import { isPlainObject } from '../../shared/normalize';
import type { DeliveryDialect, VendorEvent } from '../../shared/webhook/delivery';
import { normalizeEvent, VOIPBIN_EVENT_TYPES } from '../normalize';

/** The member of `data` without which an event of that kind names nothing. */
function namesItsResource(type: string, data: unknown): boolean {
	const known = VOIPBIN_EVENT_TYPES[type];
	if (!known) return true;
	if (!isPlainObject(data) || typeof data.id !== 'string' || data.id === '') return false;
	return known.carries === 'conversation' || (typeof data.conversation_id === 'string' && data.conversation_id !== '');
}

/**
 * VoIPbin's deliveries: one event per request, compact `{"type":"<event>","data":{…}}`, signed
 * `X-VoIPBIN-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the customer's `webhook_secret`, no
 * timestamp and no event id. VoIPbin retries a delivery (3 attempts, 1 s apart) with the same bytes, so the
 * hash of the raw body is the event's id. Every event type of the account arrives at the one URL: those the
 * trigger does not offer (`call_*`, `account_*`, …) are answered 200 and start nothing.
 */
export const voipbinDeliveries: DeliveryDialect = {
	signature: { kind: 'bodyHmac', header: 'x-voipbin-signature', prefix: 'sha256=' },
	// The secret read from GET /customer at activation is a copy; a pasted one is what the user chose.
	preferredSecret: 'pasted',
	events(delivery) {
		const body = delivery.body;
		if (!isPlainObject(body) || typeof body.type !== 'string' || body.type === '') return { refuse: 'body is not an event' };
		if (!namesItsResource(body.type, body.data)) return { refuse: 'body is not an event' };
		const bytes = delivery.rawBody ?? Buffer.from(JSON.stringify(body));
		return [{ type: body.type, body, id: `sha256:${createHash('sha256').update(bytes).digest('hex')}` }];
	},
	// VoIPbin announces every message, the ones this account sends too (the VoIPbin node's Reply among them).
	isOwnMessage: (event: VendorEvent) =>
		event.type === 'conversation_message_created' && isPlainObject(event.body.data) && event.body.data.direction === 'outgoing',
	normalize: (event, context) =>
		normalizeEvent({
			body: event.body,
			eventId: context.eventId,
			signatureVerified: context.signatureVerified,
			receivedAt: context.receivedAt,
			includeRaw: context.includeRaw,
		}),
};
