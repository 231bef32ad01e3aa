import type { IDataObject } from 'n8n-workflow';

import type { SocialBoardsSetup } from '../helpers/socialboards';
import { byId, startSocialBoards, teammateId, ticketByTitle } from '../helpers/socialboards';
import type { StoredTicket } from '../simulators/socialboards';

let setup: SocialBoardsSetup;

beforeAll(async () => {
	setup = await startSocialBoards();
});
beforeEach(() => setup.reset());
afterAll(async () => await setup.sim.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

function aChat(): StoredTicket {
	return ticketByTitle(setup.sim, 'Delivery question');
}

function reply(ticket: StoredTicket, text: string, options: IDataObject = { skipIfSentWithinMinutes: 10 }) {
	return setup.run({ operation: 'reply', conversationId: byId(ticket.id), replyAs: 'bot', text, options });
}

/** What the simulator stored as sent by the team or the bot, oldest first. */
function teamTexts(ticket: StoredTicket): string[] {
	return (setup.sim.state.messages.get(ticket.id) ?? []).filter((m) => m.authorId !== ticket.authorId).map((m) => m.text);
}

const replyPosts = () => setup.sim.apiRequests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));

describe('SocialBoards Reply with Skip If Already Sent Within', () => {
	it('skips a second identical reply, saying so in the item instead of failing', async () => {
		const ticket = aChat();
		const before = teamTexts(ticket);
		const first = await reply(ticket, 'Your parcel left our warehouse today.');
		const second = await reply(ticket, 'Your parcel left our warehouse today.');
		expect(first.status).toBe('success');
		expect(teamTexts(ticket)).toEqual([...before, 'Your parcel left our warehouse today.']);
		expect(replyPosts()).toHaveLength(1);
		expect(second.status).toBe('success');
		expect(second.items).toHaveLength(1);
		expect(second.items[0].pairedItem).toEqual({ item: 0 });
		expect(second.items[0].json).toEqual({
			skipped: true,
			skipReason: expect.stringMatching(/^The same text was sent to this conversation less than a minute ago \(at .+Z\), within the 10 minutes of Skip If Already Sent Within; the reply was not sent again\.$/),
			conversationId: String(ticket.id),
			previousMessageId: first.items[0].json.id,
			previousMessageAt: first.items[0].json.createdAt,
		});
	});

	it('sends a reply whose text differs', async () => {
		const ticket = aChat();
		await reply(ticket, 'Your parcel left our warehouse today.');
		const second = await reply(ticket, 'Your parcel arrives tomorrow.');
		expect(second.items[0].json.skipped).toBeUndefined();
		expect(second.items[0].json).toMatchObject({ text: 'Your parcel arrives tomorrow.', direction: 'outbound' });
		expect(replyPosts()).toHaveLength(2);
	});

	it('sends the reply when the identical team message went out longer ago than the window', async () => {
		const ticket = aChat();
		setup.sim.addMessage(ticket.id, { userId: teammateId(setup.sim, 'Ingrid Berg') }, 'Still there?', minutesAgo(11));
		const { items } = await reply(ticket, 'Still there?');
		expect(items[0].json.skipped).toBeUndefined();
		expect(replyPosts()).toHaveLength(1);
	});

	it('skips within the window whoever of the team sent the identical message (a teammate in the inbox counts too)', async () => {
		const ticket = aChat();
		setup.sim.addMessage(ticket.id, { userId: teammateId(setup.sim, 'Ingrid Berg') }, 'Still there?', minutesAgo(9));
		const { items } = await reply(ticket, '  Still there?\n');
		expect(items[0].json).toMatchObject({ skipped: true, skipReason: expect.stringMatching(/^The same text was sent to this conversation 9 minutes ago/) });
		expect(replyPosts()).toHaveLength(0);
	});

	it('does not count the visitor’s own message with the same text', async () => {
		const ticket = aChat();
		setup.sim.addMessage(ticket.id, 'contact', 'OK', minutesAgo(1));
		const { items } = await reply(ticket, 'OK');
		expect(items[0].json.skipped).toBeUndefined();
		expect(replyPosts()).toHaveLength(1);
	});

	it('without the option, sends an identical reply twice and reads no messages first', async () => {
		const ticket = aChat();
		await reply(ticket, 'Your parcel left our warehouse today.', {});
		await reply(ticket, 'Your parcel left our warehouse today.', {});
		expect(replyPosts()).toHaveLength(2);
		expect(setup.sim.apiRequests.filter((r) => r.method === 'GET' && /\/messages$/.test(r.path))).toHaveLength(0);
	});

	it('checks each item against what the items before it sent', async () => {
		const ticket = aChat();
		const { items } = await setup.run(
			{ operation: 'reply', conversationId: byId(ticket.id), replyAs: 'bot', text: '={{ $json.text }}', options: { skipIfSentWithinMinutes: 10 } },
			[{ text: 'Hello' }, { text: 'Hello' }, { text: 'Bye' }],
		);
		expect(items.map((item) => item.json.skipped ?? false)).toEqual([false, true, false]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(replyPosts().map((r) => (r.body as IDataObject[])[0].message)).toEqual(['Hello', 'Bye']);
	});
});
