import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isRepeatDelivery } from '../../shared/webhook/dedupe';
import { acknowledgeWithoutRun, refuseDelivery } from '../../shared/webhook/registration';
import { verifyTimestampedSignature } from '../../shared/webhook/signature';
import { normalizeDelivery } from '../normalize';
import type { RegistrationState } from './lifecycle';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

function header(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/**
 * Handles one OnceHub delivery: verify `Oncehub-Signature: t=<unix>,s=<hex HMAC-SHA256 of "t.rawBody">`,
 * filter by event, de-duplicate on the event id (`EVNT-…`), then emit one normalized event.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	const rawBody = this.getRequestObject().rawBody as Buffer | undefined;

	let signatureVerified: boolean | null = null;
	if (options.verifySignatures !== false) {
		// A secret OnceHub returned when the trigger registered itself wins over a pasted one.
		const secret = state.webhookSecret ?? (options.signingSecret as string | undefined);
		if (!secret) return refuseDelivery(this, 'no signing secret known for this trigger');
		const check = verifyTimestampedSignature({
			rawBody,
			header: header(this, 'oncehub-signature'),
			secret,
			timestampKey: 't',
			signatureKey: 's',
			toleranceSeconds: Number(options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS),
		});
		if (!check.valid) return refuseDelivery(this, check.reason);
		signatureVerified = true;
	}

	const body = this.getBodyData();
	// `type` is the documented field; OnceHub's own n8n node reads `event`.
	const eventType = String(body.type ?? body.event ?? 'unknown');
	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(eventType)) return acknowledgeWithoutRun(`event ${eventType} not selected`);

	const eventId =
		typeof body.id === 'string' && body.id !== ''
			? body.id
			: `sha256:${createHash('sha256').update(rawBody ?? JSON.stringify(body)).digest('hex')}`;
	if (isRepeatDelivery(state, eventId)) return acknowledgeWithoutRun('event already received');

	const event = normalizeDelivery({
		eventType,
		eventId,
		body,
		signatureVerified,
		receivedAt: new Date().toISOString(),
		includeRaw: options.includeRaw === true,
	});
	return { workflowData: [[{ json: event as unknown as IDataObject }]] };
}
