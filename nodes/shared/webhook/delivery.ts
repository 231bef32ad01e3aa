import { createHash } from 'crypto';
import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { refuseDelivery } from './registration';
import { verifyTimestampedSignature } from './signature';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/** Where a vendor puts its `t=<unix>,<key>=<hex HMAC of "t.rawBody">` signature. */
export interface SignatureScheme {
	/** Lower-case header name, as n8n hands headers over. */
	header: string;
	timestampKey: string;
	signatureKey: string;
}

/** The trigger options every signed webhook trigger shares. */
export function triggerOptionsProperty(vendorName: string, secretExample: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: `Whether to add the body ${vendorName} sent, unchanged, as \`raw\``,
			},
			{
				displayName: 'Replay Window (Seconds)',
				name: 'replayWindowSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'Deliveries signed longer ago (or further ahead) than this are refused',
			},
			{
				displayName: 'Signing Secret',
				name: 'signingSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				placeholder: `e.g. ${secretExample}`,
				description: `The signing secret of a webhook made in the ${vendorName} dashboard (Registration: Manual). With Automatic registration ${vendorName} hands the secret to n8n itself.`,
			},
			{
				displayName: 'Verify Signatures',
				name: 'verifySignatures',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse deliveries without a valid signature. Turning this off lets anyone who knows the URL start the workflow.',
			},
		],
	};
}

export function readHeader(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : (value as string | undefined);
}

export type SignatureOutcome = { refusal: IWebhookResponseData } | { signatureVerified: boolean | null };

/**
 * Checks a delivery's signature with the secret the vendor returned at registration (preferred) or the
 * pasted one. Without a secret, or with a bad, missing or stale signature, the delivery is refused (401).
 * `signatureVerified` is null only when the user turned verification off.
 */
export function checkDeliverySignature(
	ctx: IWebhookFunctions,
	scheme: SignatureScheme,
	registeredSecret: string | undefined,
): SignatureOutcome {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (options.verifySignatures === false) return { signatureVerified: null };
	const secret = registeredSecret ?? (options.signingSecret as string | undefined);
	if (!secret) return { refusal: refuseDelivery(ctx, 'no signing secret known for this trigger') };
	const check = verifyTimestampedSignature({
		rawBody: ctx.getRequestObject().rawBody as Buffer | undefined,
		header: readHeader(ctx, scheme.header),
		secret,
		timestampKey: scheme.timestampKey,
		signatureKey: scheme.signatureKey,
		toleranceSeconds: Number(options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS),
	});
	return check.valid ? { signatureVerified: true } : { refusal: refuseDelivery(ctx, check.reason) };
}

/** The vendor's event or delivery id, else a stable hash of the exact bytes received. */
export function deliveryIdOf(ctx: IWebhookFunctions, vendorId: unknown): string {
	if (typeof vendorId === 'string' && vendorId !== '') return vendorId;
	const rawBody = ctx.getRequestObject().rawBody as Buffer | undefined;
	return `sha256:${createHash('sha256').update(rawBody ?? JSON.stringify(ctx.getBodyData())).digest('hex')}`;
}
