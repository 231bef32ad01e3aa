import type { IDataObject } from 'n8n-workflow';

import type { VoipbinSetup } from '../helpers/voipbin';
import { byId, expectOnlyDocumentedRequests, startVoipbin } from '../helpers/voipbin';
import type { StoredConversation } from '../simulators/voipbin';

let setup: VoipbinSetup;

beforeAll(async () => {
	setup = await startVoipbin({ seed: 6 });
});
beforeEach(() => setup.sim.reset());
afterAll(async () => {
	expectOnlyDocumentedRequests(setup.sim);
	await setup.sim.close();
});

const minutesAgo = (minutes: number) => (Date.now() - minutes * 60_000) * 1000;

function aConversation(): StoredConversation {
	return setup.sim.addConversation({ type: 'message' });
}

function reply(conversation: StoredConversation, text: string, options: IDataObject = { skipIfSentWithinMinutes: 10 }) {
	return setup.run({ operation: 'reply', conversationId: byId(conversation.id), text, options });
}

function sentTexts(conversation: StoredConversation): string[] {
	return (setup.sim.state.messages.get(conversation.id) ?? []).filter((m) => m.direction === 'outgoing').map((m) => m.text);
}

describe('VoIPbin Reply with Skip If Already Sent Within', () => {
	it('skips a second identical reply, saying so in the item instead of failing', async () => {
		const conversation = aConversation();
		const first = await reply(conversation, 'Your order shipped today.');
		const second = await reply(conversation, 'Your order shipped today.');
		expect(sentTexts(conversation)).toEqual(['Your order shipped today.']);
		expect(second.status).toBe('success');
		expect(second.items).toHaveLength(1);
		expect(second.items[0].pairedItem).toEqual({ item: 0 });
		expect(second.items[0].json).toEqual({
			skipped: true,
			skipReason: expect.stringMatching(/^The same text was sent to this conversation less than a minute ago \(at .+Z\), within the 10 minutes of Skip If Already Sent Within; the reply was not sent again\.$/),
			conversationId: conversation.id,
			previousMessageId: first.items[0].json.id,
			previousMessageAt: first.items[0].json.createdAt,
		});
	});

	it('sends a reply whose text differs', async () => {
		const conversation = aConversation();
		await reply(conversation, 'Your order shipped today.');
		const second = await reply(conversation, 'Your order ships tomorrow.');
		expect(second.items[0].json.skipped).toBeUndefined();
		expect(sentTexts(conversation)).toEqual(['Your order shipped today.', 'Your order ships tomorrow.']);
	});

	it('sends the reply when the identical message went out longer ago than the window', async () => {
		const conversation = aConversation();
		setup.sim.addMessage(conversation.id, { direction: 'outgoing', text: 'Still there?', tm_create: minutesAgo(11) });
		const { items } = await reply(conversation, 'Still there?');
		expect(items[0].json.skipped).toBeUndefined();
		expect(sentTexts(conversation)).toEqual(['Still there?', 'Still there?']);
	});

	it('skips within the window whoever sent the identical message (VoIPbin does not tell the API from the agent app)', async () => {
		const conversation = aConversation();
		setup.sim.addMessage(conversation.id, { direction: 'outgoing', text: 'Still there?', tm_create: minutesAgo(9) });
		const { items } = await reply(conversation, '  Still there?\n');
		expect(items[0].json).toMatchObject({ skipped: true, skipReason: expect.stringMatching(/^The same text was sent to this conversation 9 minutes ago/) });
		expect(sentTexts(conversation)).toEqual(['Still there?']);
	});

	it('does not count the contact’s own message with the same text', async () => {
		const conversation = aConversation();
		setup.sim.addMessage(conversation.id, { direction: 'incoming', text: 'OK', tm_create: minutesAgo(1) });
		const { items } = await reply(conversation, 'OK');
		expect(items[0].json.skipped).toBeUndefined();
		expect(sentTexts(conversation)).toEqual(['OK']);
	});

	it('without the option, sends an identical reply twice and reads nothing first (today’s behaviour)', async () => {
		const conversation = aConversation();
		await reply(conversation, 'Your order shipped today.', {});
		await reply(conversation, 'Your order shipped today.', {});
		expect(sentTexts(conversation)).toEqual(['Your order shipped today.', 'Your order shipped today.']);
		expect(setup.sim.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
	});

	it('checks each item against what the items before it sent', async () => {
		const conversation = aConversation();
		const { items } = await setup.run(
			{ operation: 'reply', conversationId: byId(conversation.id), text: '={{ $json.text }}', options: { skipIfSentWithinMinutes: 10 } },
			[{ text: 'Hello' }, { text: 'Hello' }, { text: 'Bye' }],
		);
		expect(items.map((item) => item.json.skipped ?? false)).toEqual([false, true, false]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sentTexts(conversation)).toEqual(['Hello', 'Bye']);
	});
});
