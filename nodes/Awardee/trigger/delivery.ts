import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isRepeatDelivery } from '../../shared/webhook/dedupe';
import { acknowledgeWithoutRun, refuseDelivery } from '../../shared/webhook/registration';
import { verifyTimestampedSignature } from '../../shared/webhook/signature';
import { isPlainObject } from '../../shared/normalize';
import { isApiReply, normalizeDelivery } from '../normalize';
import type { RegistrationState } from './lifecycle';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

function header(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** Handles one Awardee delivery: verify, filter, de-duplicate, then emit one normalized event. */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const request = this.getRequestObject();
	const rawBody = request.rawBody as Buffer | undefined;

	let signatureVerified: boolean | null = null;
	if (options.verifySignatures !== false) {
		// A secret returned by Awardee when the trigger registered itself wins over a pasted one.
		const secret = state.webhookSecret ?? (options.signingSecret as string | undefined);
		if (!secret) return refuseDelivery(this, 'no signing secret known for this trigger');
		const check = verifyTimestampedSignature({
			rawBody,
			header: header(this, 'x-awardee-signature'),
			secret,
			timestampKey: 't',
			signatureKey: 'v1',
			toleranceSeconds: Number(options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS),
		});
		if (!check.valid) return refuseDelivery(this, check.reason);
		signatureVerified = true;
	}

	const body = this.getBodyData();
	const eventType = header(this, 'x-awardee-event') ?? 'unknown';
	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(eventType)) return acknowledgeWithoutRun(`event ${eventType} not selected`);

	const deliveryId =
		header(this, 'x-awardee-delivery') ??
		`sha256:${createHash('sha256').update(rawBody ?? JSON.stringify(body)).digest('hex')}`;
	if (isRepeatDelivery(state, deliveryId)) return acknowledgeWithoutRun('delivery already received');

	if (
		eventType === 'message.created' &&
		this.getNodeParameter('ignoreOwnMessages', true) !== false &&
		isPlainObject(body.message) &&
		isApiReply(body.message)
	) {
		return acknowledgeWithoutRun('reply posted through the API');
	}

	const event = normalizeDelivery({
		eventType,
		deliveryId,
		body,
		signatureVerified,
		receivedAt: new Date().toISOString(),
		includeRaw: options.includeRaw === true,
	});
	return { workflowData: [[{ json: event as unknown as IDataObject }]] };
}
