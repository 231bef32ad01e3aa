jest.mock('n8n-workflow', () => jest.requireActual('./recordedSleep').n8nWorkflowWithRecordedSleep());

import type { IDataObject } from 'n8n-workflow';

import type { OnceHubSetup } from '../helpers/oncehub';
import { byId, startOnceHub } from '../helpers/oncehub';
import { expectValid } from '../helpers/schema';
import type { Contact } from '../simulators/oncehub';

let setup: OnceHubSetup;

beforeAll(async () => {
	setup = await startOnceHub({ seed: 6 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => await setup.sim.close());

function newestFirst<T extends { id: string; creation_time: string }>(items: Iterable<T>): T[] {
	return [...items].sort((a, b) =>
		a.creation_time === b.creation_time ? (a.id < b.id ? 1 : -1) : a.creation_time < b.creation_time ? 1 : -1,
	);
}

function aContact(): Contact {
	return [...setup.sim.state.contacts.values()].find((c) => c.first_name !== null && c.company !== null)!;
}

function expectFlat(json: IDataObject, id: string) {
	expect(Object.keys(json).length).toBeLessThanOrEqual(10);
	expect(json.id).toBe(id);
	for (const value of Object.values(json)) expect(typeof value === 'object' && value !== null).toBe(false);
}

describe('OnceHub contact', () => {
	it('gets a contact in the normalized, simplified and raw shapes', async () => {
		const contact = aContact();
		const normalized = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(contact.id) });
		expect(normalized.items[0].json).toMatchObject({
			vendor: 'oncehub',
			id: contact.id,
			globalId: `oncehub:${contact.id}`,
			name: `${contact.first_name} ${contact.last_name}`,
			email: contact.email,
			company: contact.company,
			ownerId: contact.owner,
			createdAt: new Date(contact.creation_time).toISOString(),
			attributes: { custom_fields: contact.custom_fields },
		});
		const simplified = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(contact.id), output: 'simplified' });
		expectFlat(simplified.items[0].json, contact.id);
		const raw = await setup.run({ resource: 'contact', operation: 'get', contactId: byId(contact.id), output: 'raw' });
		expect(raw.items[0].json).toEqual(JSON.parse(JSON.stringify(contact)));
		expect(setup.sim.requests.every((r) => r.headers['api-key'] === setup.sim.apiKey)).toBe(true);
	});

	it('lists every contact exactly once over several pages, newest first', async () => {
		for (let i = 0; i < 230; i++) setup.sim.addContact({ email: `bulk${i}@example.com` });
		const { items } = await setup.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(items.map((i) => i.json.id)).toEqual(newestFirst(setup.sim.state.contacts.values()).map((c) => c.id));
		const pages = setup.sim.requests.filter((r) => r.path === '/contacts');
		expect(pages.map((p) => [p.query.limit, p.query.after])).toEqual([
			['100', undefined],
			['100', items[99].json.id],
			['100', items[199].json.id],
		]);
	});

	it('stops at the limit with one request', async () => {
		const { items } = await setup.run({ resource: 'contact', operation: 'getAll', limit: 3 });
		expect(items).toHaveLength(3);
		expect(setup.sim.requests.filter((r) => r.path === '/contacts')).toEqual([expect.objectContaining({ query: { limit: '3' } })]);
	});

	it('filters by email and time in OnceHub’s own query names', async () => {
		const contact = aContact();
		const { items } = await setup.run({
			resource: 'contact',
			operation: 'getAll',
			returnAll: true,
			filters: { email: contact.email!, creation_time_gt: '2020-01-01T00:00:00Z', last_updated_time_lt: '2099-12-31T23:59:59.000Z' },
		});
		expect(items.map((i) => i.json.id)).toEqual([contact.id]);
		expect(setup.sim.requests.at(-1)!.query).toMatchObject({
			email: contact.email,
			'creation_time.gt': '2020-01-01T00:00:00Z',
			'last_updated_time.lt': '2099-12-31T23:59:59Z',
		});
	});

	it('refuses a date that is not one before any request', async () => {
		const { error } = await setup.run({ resource: 'contact', operation: 'getAll', filters: { creation_time_gt: 'yesterday-ish' } });
		expect(error!.message).toBe('[item 0] creation_time.gt "yesterday-ish" is not a date');
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('updates fields and custom fields, emitting the contact after the change', async () => {
		const contact = aContact();
		const owner = [...setup.sim.state.users.values()][2];
		const { items } = await setup.run({
			resource: 'contact',
			operation: 'update',
			contactId: byId(contact.id),
			updateFields: {
				job_title: 'Head of Sales',
				status: 'Sales qualified',
				owner: owner.id,
				phone: '+12025550100',
				terms_of_sevice: true,
				custom_fields: { field: [{ name: 'lead_source', value: 'chatbot' }] },
			},
		});
		expect(items[0].json).toMatchObject({ id: contact.id, jobTitle: 'Head of Sales', status: 'Sales qualified', ownerId: owner.id, phone: '+12025550100' });
		const patch = setup.sim.requests.find((r) => r.method === 'PATCH')!;
		expect(patch.body).toEqual({
			job_title: 'Head of Sales',
			status: 'Sales qualified',
			owner: owner.id,
			phone: '+12025550100',
			terms_of_sevice: true,
			custom_fields: [{ name: 'lead_source', value: 'chatbot' }],
		});
		expect(setup.sim.state.contacts.get(contact.id)!.custom_fields).toContainEqual({ name: 'lead_source', value: 'chatbot' });
	});

	it('refuses an empty update, a bad owner ID and a phone not in E.164 before any request', async () => {
		const contact = aContact();
		const cases: Array<[IDataObject, string]> = [
			[{}, '[item 0] No field to update'],
			[{ owner: 'andrea@example.com' }, '[item 0] Owner ID "andrea@example.com" is not a OnceHub user ID'],
			[{ phone: '555 0100' }, '[item 0] Phone "555 0100" is not in E.164 format'],
			[{ custom_fields: { field: [{ name: ' ', value: 'x' }] } }, '[item 0] Custom field 1 has no name'],
		];
		for (const [updateFields, message] of cases) {
			const { error } = await setup.run({ resource: 'contact', operation: 'update', contactId: byId(contact.id), updateFields });
			expect(error!.message).toBe(message);
		}
		expect(setup.sim.requests).toHaveLength(0);
	});

	it('reports OnceHub’s refusal with its parameter, type and request id', async () => {
		const { error } = await setup.run({
			resource: 'contact',
			operation: 'update',
			contactId: byId(aContact().id),
			updateFields: { custom_fields: { field: [{ name: 'favourite_colour', value: 'teal' }] } },
		});
		expect(error!.message).toBe(
			'OnceHub rejected the request (HTTP 400): Custom field \'favourite_colour\' does not exist in field library (parameter "custom_fields")',
		);
		expect(error!.description).toMatch(/code invalid_request_error; request id req_[0-9a-f]{16}/);
	});

	it('finds contacts for the From list picker by name, and by exact email through OnceHub', async () => {
		const contact = setup.sim.addContact({ first_name: 'Zelda', last_name: 'Quux', email: 'zelda@quux.example' });
		const byName = await setup.n8n.listSearch('onceHub', {}, 'searchContacts', 'quux');
		expect(byName.results).toEqual([{ name: `${contact.first_name} ${contact.last_name} <${contact.email}>`, value: contact.id }]);
		const byEmail = await setup.n8n.listSearch('onceHub', {}, 'searchContacts', contact.email!);
		expect(byEmail.results.map((r) => r.value)).toEqual([contact.id]);
		expect(setup.sim.requests.at(-1)!.query.email).toBe(contact.email);
	});
});

describe('OnceHub booking', () => {
	function bookingWithConversation() {
		return [...setup.sim.state.bookings.values()].find((b) => b.conversation !== null)!;
	}

	it('gets a booking with the conversation it came from, normalized inside', async () => {
		const booking = bookingWithConversation();
		const { items } = await setup.run({ resource: 'booking', operation: 'get', bookingId: byId(booking.id) });
		const json = items[0].json;
		expect(json).toMatchObject({
			vendor: 'oncehub',
			id: booking.id,
			status: 'scheduled',
			subject: booking.subject,
			startsAt: new Date(booking.starting_time).toISOString(),
			durationMinutes: 30,
			customer: { name: booking.form_submission.name, email: booking.form_submission.email },
			contactId: booking.contact,
			ownerId: booking.owner,
			conversationId: booking.conversation,
		});
		expectValid('conversation', json.conversation);
		expect((json.conversation as IDataObject).id).toBe(booking.conversation);
		expect(setup.sim.requests.at(-1)!.query).toEqual({ expand: 'conversation' });
	});

	it('leaves the conversation out when asked, and gives simplified and raw shapes', async () => {
		const booking = bookingWithConversation();
		const plain = await setup.run({ resource: 'booking', operation: 'get', bookingId: byId(booking.id), options: { includeConversation: false } });
		expect(plain.items[0].json).toMatchObject({ conversationId: booking.conversation, conversation: null });
		expect(setup.sim.requests.at(-1)!.query).toEqual({});
		const simplified = await setup.run({ resource: 'booking', operation: 'get', bookingId: byId(booking.id), output: 'simplified' });
		expectFlat(simplified.items[0].json, booking.id);
		expect(simplified.items[0].json.conversationId).toBe(booking.conversation);
		const raw = await setup.run({ resource: 'booking', operation: 'get', bookingId: byId(booking.id), output: 'raw' });
		expect((raw.items[0].json.conversation as IDataObject).object).toBe('conversation');
		expect(raw.items[0].json.starting_time).toBe(booking.starting_time);
	});

	it('lists the bookings of one contact, the contact filter sent as OnceHub names it', async () => {
		const booking = bookingWithConversation();
		const { items } = await setup.run({ resource: 'booking', operation: 'getAll', returnAll: true, filters: { contact: booking.contact, status: 'scheduled' } });
		const expected = [...setup.sim.state.bookings.values()].filter((b) => b.contact === booking.contact);
		expect(items.map((i) => i.json.id).sort()).toEqual(expected.map((b) => b.id).sort());
		expect(setup.sim.requests.at(-1)!.query).toMatchObject({ contact: booking.contact, status: 'scheduled' });
	});

	it('adds conversations to a list where OnceHub refuses to expand them, fetching only bookings that have one', async () => {
		const { items } = await setup.run({ resource: 'booking', operation: 'getAll', returnAll: true, options: { includeConversation: true } });
		const bookings = [...setup.sim.state.bookings.values()];
		expect(items).toHaveLength(bookings.length);
		for (const item of items) {
			const stored = setup.sim.state.bookings.get(item.json.id as string)!;
			expect(item.json.conversationId).toBe(stored.conversation);
			if (stored.conversation) expectValid('conversation', item.json.conversation);
			else expect(item.json.conversation).toBeNull();
		}
		const paths = setup.sim.requests.map((r) => `${r.status} ${r.path} ${r.query.expand ?? ''}`.trim());
		const withConversation = bookings.filter((b) => b.conversation !== null);
		expect(paths).toEqual([
			'400 /bookings data.conversation',
			'200 /bookings',
			...withConversation.map(() => expect.stringMatching(/^200 \/bookings\/BKNG-[A-Z0-9]+ conversation$/)),
		]);
	});

	it('uses the list’s own expansion when OnceHub gives it, with no extra requests', async () => {
		const expanding = await startOnceHub({ seed: 6, listExpandsConversation: 'expand' });
		try {
			const { items } = await expanding.run({ resource: 'booking', operation: 'getAll', returnAll: true, options: { includeConversation: true } });
			expect(items.filter((i) => i.json.conversation !== null).length).toBeGreaterThan(0);
			expect(expanding.sim.requests.map((r) => r.path)).toEqual(['/bookings']);
		} finally {
			await expanding.sim.close();
		}
	});

	it('refuses a contact filter that is not a contact ID before any request', async () => {
		const { error } = await setup.run({ resource: 'booking', operation: 'getAll', filters: { contact: 'dana.lee@northwind.example' } });
		expect(error!.message).toBe('[item 0] Contact ID "dana.lee@northwind.example" is not a OnceHub contact ID');
		expect(setup.sim.requests).toHaveLength(0);
	});
});

describe('OnceHub user', () => {
	it('gets the owner of a conversation and lists users by email', async () => {
		const user = [...setup.sim.state.users.values()][0];
		const got = await setup.run({ resource: 'user', operation: 'get', userId: byId(user.id) });
		expect(got.items[0].json).toMatchObject({ id: user.id, name: `${user.first_name} ${user.last_name}`, email: user.email, role: user.role_name });
		const simplified = await setup.run({ resource: 'user', operation: 'get', userId: byId(user.id), output: 'simplified' });
		expectFlat(simplified.items[0].json, user.id);
		const listed = await setup.run({ resource: 'user', operation: 'getAll', returnAll: true, filters: { email: user.email } });
		expect(listed.items.map((i) => i.json.id)).toEqual([user.id]);
		const all = await setup.run({ resource: 'user', operation: 'getAll', returnAll: true, output: 'raw' });
		expect(all.items).toHaveLength(setup.sim.state.users.size);
		expect(all.items[0].json.object).toBe('user');
	});

	it('lists users for the From list picker', async () => {
		const { results } = await setup.n8n.listSearch('onceHub', {}, 'searchUsers', 'hartie');
		expect(results).toEqual([{ name: 'Andrea Hartie (Account Owner)', value: expect.stringMatching(/^USR-/) }]);
	});
});

describe('OnceHub credential', () => {
	it('tests the key with GET /test, sent as the API-Key header', async () => {
		const { statusCode, body } = await setup.n8n.testCredential('onceHubApi');
		expect(statusCode).toBe(200);
		expect(body).toEqual({ message: 'The API key is valid for account: admin@example.com' });
		expect(setup.sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/test' });
		expect(setup.sim.requests.at(-1)!.headers['api-key']).toBe(setup.sim.apiKey);
	});
});
