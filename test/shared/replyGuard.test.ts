import { buildMessage } from '../../nodes/shared/normalize';
import { findRecentRepeat, skipIfRecentlySent } from '../../nodes/shared/replyGuard';
import type { Message } from '../../nodes/shared/types';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

function message(direction: Message['direction'], text: string | null, createdAt: string | null, id = 'm1'): Message {
	return buildMessage('voipbin', 'c1', { id, direction, authorRole: direction === 'inbound' ? 'contact' : 'agent', text, createdAt });
}

describe('the reply guard for vendors without idempotency keys', () => {
	it('finds the newest identical outbound message inside the window', () => {
		const messages = [
			message('outbound', 'Hi', '2026-12-01T11:52:00.000Z', 'older'),
			message('outbound', 'Hi', '2026-12-01T11:58:00.000Z', 'newer'),
			message('outbound', 'Hi', '2026-12-01T11:49:59.999Z', 'outside'),
		];
		expect(findRecentRepeat(messages, 'Hi', 10, NOW)?.id).toBe('newer');
		expect(findRecentRepeat(messages.slice(2), 'Hi', 10, NOW)).toBeNull();
	});

	it('never counts a message without a time, an inbound or internal one, or other text', () => {
		const messages = [
			message('outbound', 'Hi', null),
			message('inbound', 'Hi', '2026-12-01T11:59:00.000Z'),
			message('internal', 'Hi', '2026-12-01T11:59:00.000Z'),
			message('outbound', 'Hi!', '2026-12-01T11:59:00.000Z'),
		];
		expect(findRecentRepeat(messages, 'Hi', 10, NOW)).toBeNull();
	});

	it('counts a message the vendor dates after n8n’s clock as recent', () => {
		expect(findRecentRepeat([message('outbound', 'Hi', '2026-12-01T12:00:05.000Z')], 'Hi', 10, NOW)).not.toBeNull();
	});

	it('reads nothing when the option is absent', async () => {
		const latestMessages = jest.fn(async () => [message('outbound', 'Hi', '2026-12-01T11:59:00.000Z')]);
		await expect(skipIfRecentlySent({ withinMinutes: undefined, conversationId: 'c1', text: 'Hi', latestMessages, now: () => NOW })).resolves.toBeNull();
		expect(latestMessages).not.toHaveBeenCalled();
	});

	it('names when the identical message went out', async () => {
		const skipped = await skipIfRecentlySent({
			withinMinutes: 30,
			conversationId: 'c1',
			text: 'Hi',
			latestMessages: async () => [message('outbound', 'Hi', '2026-12-01T11:59:00.000Z', 'm7')],
			now: () => NOW,
		});
		expect(skipped).toEqual({
			skipped: true,
			skipReason: 'The same text was sent to this conversation 1 minute ago (at 2026-12-01T11:59:00.000Z), within the 30 minutes of Skip If Already Sent Within; the reply was not sent again.',
			conversationId: 'c1',
			previousMessageId: 'm7',
			previousMessageAt: '2026-12-01T11:59:00.000Z',
		});
	});
});
