import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isRepeatDelivery } from '../../shared/webhook/dedupe';
import { checkDeliverySignature, deliveryIdOf } from '../../shared/webhook/delivery';
import type { RegistrationState } from '../../shared/webhook/registration';
import { acknowledgeWithoutRun } from '../../shared/webhook/registration';
import { normalizeDelivery } from '../normalize';

/** `Oncehub-Signature: t=<unix>,s=<hex HMAC-SHA256 of "t.rawBody">`. */
const ONCEHUB_SIGNATURE = { header: 'oncehub-signature', timestampKey: 't', signatureKey: 's' };

/** Handles one OnceHub delivery: verify, filter by event, de-duplicate on the event id (`EVNT-…`), emit. */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const signature = checkDeliverySignature(this, ONCEHUB_SIGNATURE, state.webhookSecret);
	if ('refusal' in signature) return signature.refusal;

	const body = this.getBodyData();
	// `type` is the documented field; OnceHub's own n8n node reads `event`.
	const eventType = String(body.type ?? body.event ?? 'unknown');
	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(eventType)) return acknowledgeWithoutRun(`event ${eventType} not selected`);

	const eventId = deliveryIdOf(this, body.id);
	if (isRepeatDelivery(state, eventId)) return acknowledgeWithoutRun('event already received');

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const event = normalizeDelivery({
		eventType,
		eventId,
		body,
		signatureVerified: signature.signatureVerified,
		receivedAt: new Date().toISOString(),
		includeRaw: options.includeRaw === true,
	});
	return { workflowData: [[{ json: event as unknown as IDataObject }]] };
}
