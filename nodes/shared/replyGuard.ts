import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Message } from './types';

/** How many of a conversation's latest messages the guard reads: one page at every vendor of this package. */
export const RECENT_MESSAGES_READ = 100;

/** The Reply option of a vendor without idempotency keys: absent, the guard is off. */
export function skipIfSentWithinOption(vendorName: string): INodeProperties {
	return {
		displayName: 'Skip If Already Sent Within (Minutes)',
		name: 'skipIfSentWithinMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: 10,
		description: `${vendorName} has no idempotency key, so a workflow that runs twice for one event replies twice. With this option the node first reads the conversation’s latest ${RECENT_MESSAGES_READ} messages and skips the reply when a message with the same text went out to it within this many minutes; the item then says it was skipped and why. Best effort: two executions at the very same moment can both pass the check.`,
	};
}

/** What a reply the node did not send outputs instead of the message: a clear field, not an error. */
/**
 * Why a reply that failed in a way that may have reached the vendor was not sent again, for a vendor without
 * idempotency keys: the error's description begins with it.
 */
export function notResentWithoutKey(vendorName: string): string {
	return `${vendorName} has no idempotency key, so the reply was not sent again: it may or may not have gone out. Check the conversation’s messages before running the workflow again, or turn on Skip If Already Sent Within so that the next run checks them itself.`;
}

export interface SkippedReply extends IDataObject {
	skipped: true;
	skipReason: string;
	conversationId: string;
	/** The message already sent that made this one a repeat, where known. */
	previousMessageId: string | null;
	previousMessageAt: string | null;
}

export function skippedReply(
	conversationId: string,
	skipReason: string,
	previous: { id: string | null; createdAt: string | null } | null = null,
): SkippedReply {
	return {
		skipped: true,
		skipReason,
		conversationId,
		previousMessageId: previous?.id ?? null,
		previousMessageAt: previous?.createdAt ?? null,
	};
}

/**
 * The newest outbound message among `messages` with the same text (ends trimmed) sent at most `withinMinutes`
 * before `now`, or null. A message without a time cannot be placed in the window and never counts; one dated
 * after `now` (clocks differ between n8n and the vendor) counts as recent.
 */
export function findRecentRepeat(messages: Message[], text: string, withinMinutes: number, now: number): Message | null {
	const wanted = text.trim();
	const since = now - withinMinutes * 60_000;
	let newest: Message | null = null;
	for (const message of messages) {
		if (message.direction !== 'outbound' || (message.text ?? '').trim() !== wanted || message.createdAt === null) continue;
		const at = Date.parse(message.createdAt);
		if (at >= since && (newest === null || at > Date.parse(newest.createdAt!))) newest = message;
	}
	return newest;
}

export interface ReplyGuard {
	/** The option's value as read from the node: a number of minutes, or undefined when the option is absent. */
	withinMinutes: unknown;
	conversationId: string;
	text: string;
	/** The conversation's latest messages (at most RECENT_MESSAGES_READ), normalized. */
	latestMessages: () => Promise<Message[]>;
	now?: () => number;
}

/**
 * Checks a reply against the conversation before it is sent: the skipped item to output when an identical
 * outbound message went out within the window, else null (send it). Off when the option is absent; reads
 * nothing then.
 */
export async function skipIfRecentlySent(guard: ReplyGuard): Promise<SkippedReply | null> {
	const minutes = Number(guard.withinMinutes);
	if (guard.withinMinutes === undefined || guard.withinMinutes === null || !Number.isFinite(minutes) || minutes <= 0) {
		return null;
	}
	const now = (guard.now ?? Date.now)();
	const previous = findRecentRepeat(await guard.latestMessages(), guard.text, minutes, now);
	if (!previous) return null;
	const ago = Math.max(0, Math.round((now - Date.parse(previous.createdAt!)) / 60_000));
	const reason = `The same text was sent to this conversation ${ago === 0 ? 'less than a minute' : `${ago} minute${ago === 1 ? '' : 's'}`} ago (at ${previous.createdAt}), within the ${minutes} minute${minutes === 1 ? '' : 's'} of Skip If Already Sent Within; the reply was not sent again.`;
	return skippedReply(guard.conversationId, reason, previous);
}
