import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isPlainObject } from '../../shared/normalize';
import { isRepeatDelivery } from '../../shared/webhook/dedupe';
import { checkDeliverySignature, deliveryIdOf, readHeader } from '../../shared/webhook/delivery';
import type { RegistrationState } from '../../shared/webhook/registration';
import { acknowledgeWithoutRun } from '../../shared/webhook/registration';
import { isApiReply, normalizeDelivery } from '../normalize';

/** `X-Awardee-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">`, keyed with the whole whsec_ secret. */
const AWARDEE_SIGNATURE = { header: 'x-awardee-signature', timestampKey: 't', signatureKey: 'v1' };

/** Handles one Awardee delivery: verify, filter, de-duplicate, then emit one normalized event. */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const signature = checkDeliverySignature(this, AWARDEE_SIGNATURE, state.webhookSecret);
	if ('refusal' in signature) return signature.refusal;

	const body = this.getBodyData();
	const eventType = readHeader(this, 'x-awardee-event') ?? 'unknown';
	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(eventType)) return acknowledgeWithoutRun(`event ${eventType} not selected`);

	const deliveryId = deliveryIdOf(this, readHeader(this, 'x-awardee-delivery'));
	if (isRepeatDelivery(state, deliveryId)) return acknowledgeWithoutRun('delivery already received');

	if (
		eventType === 'message.created' &&
		this.getNodeParameter('ignoreOwnMessages', true) !== false &&
		isPlainObject(body.message) &&
		isApiReply(body.message)
	) {
		return acknowledgeWithoutRun('reply posted through the API');
	}

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const event = normalizeDelivery({
		eventType,
		deliveryId,
		body,
		signatureVerified: signature.signatureVerified,
		receivedAt: new Date().toISOString(),
		includeRaw: options.includeRaw === true,
	});
	return { workflowData: [[{ json: event as unknown as IDataObject }]] };
}
