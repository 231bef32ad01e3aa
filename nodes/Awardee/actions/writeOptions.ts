import { randomUUID } from 'crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { eventDerivedKey } from '../../shared/idempotency';
import { isPlainObject } from '../../shared/normalize';
import type { SkippedReply } from '../../shared/replyGuard';
import { skippedReply } from '../../shared/replyGuard';

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.ticketId }}-reply',
	description:
		'Awardee answers a repeat of the same key with the first result for 24 hours. Leave empty and, when the item comes from an Awardee Trigger event (through paired items), the key derives from that event, this node and the conversation: a second execution of the same event writes nothing new. Without such an event a fresh key per item keeps this run’s retries safe; set one from your data to make re-runs safe too.',
};

/** One key per logical write, reused by every retry of it, so Awardee can never store it twice. */
export function idempotencyKeyFor(given: unknown): string {
	const key = typeof given === 'string' ? given.trim() : '';
	return key !== '' ? key.slice(0, 255) : randomUUID();
}

/** The key of a reply or note, and whether it derives from the triggering event. */
export interface WriteKey {
	key: string;
	derived: boolean;
}

/**
 * The key a reply or note sends: the user's when set, else one derived from the triggering event (the same
 * in every execution of that event), else a fresh one per item.
 */
export function writeKeyFor(ctx: IExecuteFunctions, itemIndex: number, given: unknown, conversationId: string): WriteKey {
	if (typeof given === 'string' && given.trim() !== '') return { key: idempotencyKeyFor(given), derived: false };
	const derived = eventDerivedKey(ctx, itemIndex, conversationId);
	return derived ? { key: derived, derived: true } : { key: idempotencyKeyFor(undefined), derived: false };
}

/**
 * With a derived key, Awardee's `idempotency_conflict` means this node already wrote to the conversation for
 * this event, with other content (a text that differs between executions): the write is not repeated, and the
 * item says so instead of failing.
 */
export function alreadyWrittenForEvent(error: unknown, key: WriteKey, conversationId: string, what: string): SkippedReply | null {
	if (!key.derived || !(error instanceof NodeApiError)) return null;
	const response = (error as { errorResponse?: unknown }).errorResponse;
	if (!isPlainObject(response) || response.code !== 'idempotency_conflict') return null;
	return skippedReply(
		conversationId,
		`This node already posted ${what} to this conversation for the event that started this execution (Awardee keeps the first one for 24 hours and refused other content under the same idempotency key); it was not posted again. To post once more, set Idempotency Key.`,
	);
}
