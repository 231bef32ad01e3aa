import { randomUUID } from 'crypto';
import type { INodeProperties } from 'n8n-workflow';

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.ticketId }}-reply',
	description:
		'Awardee answers a repeat of the same key with the first result for 24 hours. Leave empty for a fresh key per item (still safe across this run’s retries); set one from your data to make re-runs of the workflow safe too.',
};

/** One key per logical write, reused by every retry of it, so Awardee can never store it twice. */
export function idempotencyKeyFor(given: unknown): string {
	const key = typeof given === 'string' ? given.trim() : '';
	return key !== '' ? key.slice(0, 255) : randomUUID();
}
