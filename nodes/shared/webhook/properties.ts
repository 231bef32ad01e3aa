import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_REPLAY_WINDOW_SECONDS } from './delivery';

/** The `registration` option values; which of them a trigger offers is its vendor's choice. */
export type RegistrationMode = 'automatic' | 'takeover' | 'manual';

const MODE_NAMES: Record<RegistrationMode, string> = {
	automatic: 'Automatic',
	takeover: 'Take Over the Account Webhook',
	manual: 'Manual',
};

/** The Registration option: one entry per mode the vendor supports, with the vendor's own wording. */
export function registrationProperty(
	modes: Partial<Record<RegistrationMode, string>>,
	defaultMode: RegistrationMode,
): INodeProperties {
	const options: INodePropertyOptions[] = (Object.keys(modes) as RegistrationMode[]).map((mode) => ({
		name: MODE_NAMES[mode],
		value: mode,
		description: modes[mode],
	}));
	return { displayName: 'Registration', name: 'registration', type: 'options', noDataExpression: true, default: defaultMode, options };
}

export interface TriggerOptionsSpec {
	vendorName: string;
	/** Whether the vendor signs its deliveries: then the secret, verification and (for timestamps) the window. */
	signed: boolean;
	/** Whether the signature covers a timestamp, so that a replay window applies. */
	timestamped?: boolean;
	/** What the vendor's secrets look like, shown as the Signing Secret placeholder. */
	example?: string;
	/** The Signing Secret description: where the pasted secret comes from, in the vendor's words. */
	secretDescription?: string;
	/** Whether the vendor checks the URL with a verify token (a GET handshake). */
	handshake?: boolean;
}

/** The trigger options collection; each member appears only where the vendor's webhooks need it. */
export function triggerOptionsProperty(spec: TriggerOptionsSpec): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Include Raw Payload',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: `Whether to add the body ${spec.vendorName} sent, unchanged, as \`raw\``,
		},
	];
	if (spec.signed && spec.timestamped !== false) {
		options.push({
			displayName: 'Replay Window (Seconds)',
			name: 'replayWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_REPLAY_WINDOW_SECONDS,
			description: 'Deliveries signed longer ago (or further ahead) than this are refused',
		});
	}
	if (spec.signed) {
		options.push(
			{
				displayName: 'Signing Secret',
				name: 'signingSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				...(spec.example ? { placeholder: `e.g. ${spec.example}` } : {}),
				...(spec.secretDescription ? { description: spec.secretDescription } : {}),
			},
			{
				displayName: 'Verify Signatures',
				name: 'verifySignatures',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse deliveries without a valid signature. Turning this off lets anyone who knows the URL start the workflow.',
			},
		);
	}
	if (spec.handshake) {
		options.push({
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `The Verify Token set for this webhook in ${spec.vendorName}; its verification request is answered only when the token matches`,
		});
	}
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options };
}
