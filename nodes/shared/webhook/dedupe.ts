import type { IDataObject } from 'n8n-workflow';

export const DEDUPE_CAPACITY = 1000;

/**
 * Remembers an event id in the workflow's static data (so it holds across restarts) and says whether it
 * was seen before. Only the newest `capacity` ids are kept; the oldest are forgotten first.
 */
export function isRepeatDelivery(staticData: IDataObject, eventId: string, capacity = DEDUPE_CAPACITY): boolean {
	const seen = Array.isArray(staticData.seenEventIds) ? (staticData.seenEventIds as string[]) : [];
	if (seen.includes(eventId)) return true;
	seen.push(eventId);
	staticData.seenEventIds = seen.slice(-capacity);
	return false;
}
