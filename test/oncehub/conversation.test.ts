jest.mock('n8n-workflow', () => jest.requireActual('./recordedSleep').n8nWorkflowWithRecordedSleep());

import type { OnceHubSetup } from '../helpers/oncehub';
import { byId, startOnceHub } from '../helpers/oncehub';
import { expectValid } from '../helpers/schema';

let setup: OnceHubSetup;

beforeAll(async () => {
	setup = await startOnceHub({ seed: 6 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function bookingWithConversation() {
	return [...setup.sim.state.bookings.values()].find((booking) => booking.conversation !== null)!;
}

function bookingWithoutConversation() {
	return [...setup.sim.state.bookings.values()].find((booking) => booking.conversation === null)!;
}

describe('OnceHub conversation → Get by Booking', () => {
	it('returns the conversation the booking came from, normalized and valid against the schema', async () => {
		const booking = bookingWithConversation();
		const stored = setup.sim.state.conversations.get(booking.conversation!)!;
		const { status, items } = await setup.run({ operation: 'getByBooking', bookingId: byId(booking.id) });
		expect(status).toBe('success');
		expect(items).toHaveLength(1);
		const json = items[0].json;
		expectValid('conversation', json);
		expect(json).toMatchObject({
			vendor: 'oncehub',
			id: stored.id,
			globalId: `oncehub:${stored.id}`,
			status: 'closed',
			closedReason: 'ended',
			vendorStatus: 'closed',
			channel: 'web_chat',
			contact: { id: stored.contact },
			assignee: { type: 'user', id: stored.owner, name: null },
			closedAt: null,
		});
		expect(json.createdAt).toBe(new Date(stored.creation_time).toISOString());
		expect(json.lastMessageAt).toBe(new Date(stored.last_interacted_time).toISOString());
		expect(json.attributes).toMatchObject({
			initiated_by: stored.initiated_by,
			answers: stored.answers,
			bookings: [booking.id],
			bot: stored.bot,
			website: stored.website,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const request = setup.sim.requests.at(-1)!;
		expect(request).toMatchObject({ method: 'GET', path: `/bookings/${booking.id}`, query: { expand: 'conversation' } });
	});

	it('maps started and abandoned conversations onto the common scale', async () => {
		const contact = [...setup.sim.state.contacts.values()][0];
		const expected = {
			started: { status: 'open', closedReason: null, handledBy: 'bot' },
			abandoned: { status: 'closed', closedReason: 'abandoned', handledBy: null },
		};
		for (const [vendorStatus, mapped] of Object.entries(expected)) {
			const conversation = setup.sim.addConversation({ contact: contact.id, status: vendorStatus as never });
			const booking = setup.sim.addBooking({ contact: contact.id, conversation: conversation.id });
			const { items } = await setup.run({ operation: 'getByBooking', bookingId: byId(booking.id) });
			expectValid('conversation', items[0].json);
			expect(items[0].json).toMatchObject({ ...mapped, vendorStatus });
		}
	});

	it('gives the simplified output at most ten flat fields with the id', async () => {
		const booking = bookingWithConversation();
		const { items } = await setup.run({ operation: 'getByBooking', bookingId: byId(booking.id), output: 'simplified' });
		const json = items[0].json;
		expect(Object.keys(json).length).toBeLessThanOrEqual(10);
		expect(json.id).toBe(booking.conversation);
		for (const value of Object.values(json)) expect(typeof value === 'object' && value !== null).toBe(false);
	});

	it('gives the raw output exactly as OnceHub sent it', async () => {
		const booking = bookingWithConversation();
		const stored = setup.sim.state.conversations.get(booking.conversation!)!;
		const { items } = await setup.run({ operation: 'getByBooking', bookingId: byId(booking.id), output: 'raw' });
		expect(items[0].json).toEqual(JSON.parse(JSON.stringify(stored)));
	});

	it('emits no item for a booking made without a conversation, and goes on with the next item', async () => {
		const without = bookingWithoutConversation();
		const withOne = bookingWithConversation();
		const { status, items } = await setup.run(
			{ operation: 'getByBooking', bookingId: { __rl: true, mode: 'id', value: '={{ $json.booking }}' } },
			[{ booking: without.id }, { booking: withOne.id }],
		);
		expect(status).toBe('success');
		expect(items).toHaveLength(1);
		expect(items[0].json.id).toBe(withOne.conversation);
		expect(items[0].pairedItem).toEqual({ item: 1 });
	});

	it('explains a booking whose conversation OnceHub did not expand', async () => {
		const booking = bookingWithConversation();
		const stored = setup.sim.state.bookings.get(booking.id)!;
		setup.sim.injectFault({ method: 'GET', path: '/bookings/:id', status: 200, body: { ...stored } });
		const { status, error } = await setup.run({ operation: 'getByBooking', bookingId: byId(booking.id) });
		expect(status).toBe('error');
		expect(error!.message).toBe(
			`OnceHub returned only the ID of booking ${booking.id}'s conversation (${booking.conversation}), not the conversation`,
		);
	});

	it('accepts the booking’s web link (By URL)', async () => {
		const booking = bookingWithConversation();
		const { items } = await setup.run({
			operation: 'getByBooking',
			bookingId: { __rl: true, mode: 'url', value: `https://oncehub.com/m/${booking.id}` },
		});
		expect(items[0].json.id).toBe(booking.conversation);
	});

	it('says which booking was not found', async () => {
		const { error } = await setup.run({ operation: 'getByBooking', bookingId: byId('BKNG-NOSUCHBOOKING') });
		expect(error!.message).toBe("Booking BKNG-NOSUCHBOOKING was not found (HTTP 404): No such booking: 'BKNG-NOSUCHBOOKING' (parameter \"id\")");
		expect(error!.description).toMatch(/request id req_[0-9a-f]{16}/);
		expect(error!.description).toMatch(/code invalid_request_error/);
	});

	it('finds bookings for the From list picker, by customer', async () => {
		const booking = bookingWithConversation();
		const all = await setup.n8n.listSearch('onceHub', {}, 'searchBookings');
		expect(all.results.map((r) => r.value)).toContain(booking.id);
		const name = booking.form_submission.name.split(' ')[0].toLowerCase();
		const filtered = await setup.n8n.listSearch('onceHub', {}, 'searchBookings', name);
		expect(filtered.results.length).toBeGreaterThan(0);
		for (const result of filtered.results) expect(String(result.name).toLowerCase()).toContain(name);
		expect(all.results[0].name).toMatch(/UTC \(/);
	});
});
