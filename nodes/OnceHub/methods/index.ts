import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isPlainObject } from '../../shared/normalize';
import { normalizeBooking, normalizeContact, normalizeUser } from '../normalize';
import { listPage, onceHubClient } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

function bookingLabel(raw: IDataObject): string {
	const booking = normalizeBooking(raw);
	const who = booking.customer?.name ?? booking.customer?.email ?? 'Customer';
	const when = booking.startsAt ? booking.startsAt.slice(0, 16).replace('T', ' ') : 'no time';
	return `${who} — ${booking.subject ?? 'Booking'}, ${when} UTC (${booking.status ?? 'unknown'})`;
}

/** OnceHub has no text search on bookings, so the list pages lazily (newest first) and filters each page here. */
export async function searchBookings(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { items, nextCursor } = await listPage(onceHubClient(this), '/bookings', paginationToken);
	return {
		results: items
			.filter((raw) => {
				const form = isPlainObject(raw.form_submission) ? raw.form_submission : {};
				return matches(filter, raw.id, raw.subject, form.name, form.email);
			})
			.map((raw) => ({ name: bookingLabel(raw), value: String(raw.id) })),
		paginationToken: nextCursor ?? undefined,
	};
}

/** A filter with an @ asks OnceHub for that exact email; any other text filters the pages here. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const byEmail = filter?.includes('@') ? { email: filter.trim() } : {};
	const { items, nextCursor } = await listPage(onceHubClient(this), '/contacts', paginationToken, byEmail);
	return {
		results: items
			.map(normalizeContact)
			.filter((c) => byEmail.email !== undefined || matches(filter, c.id, c.name, c.email, c.company))
			.map((c) => ({ name: `${c.name ?? c.email ?? c.id}${c.email && c.name ? ` <${c.email}>` : ''}`, value: c.id })),
		paginationToken: nextCursor ?? undefined,
	};
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { items, nextCursor } = await listPage(onceHubClient(this), '/users', paginationToken);
	return {
		results: items
			.map(normalizeUser)
			.filter((u) => matches(filter, u.id, u.name, u.email))
			.map((u) => ({ name: `${u.name ?? u.email ?? u.id}${u.role ? ` (${u.role})` : ''}`, value: u.id })),
		paginationToken: nextCursor ?? undefined,
	};
}
