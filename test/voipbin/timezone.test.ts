import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

import type { VoipbinSetup } from '../helpers/voipbin';
import { byId, expectOnlyDocumentedRequests, startVoipbin } from '../helpers/voipbin';
import { expectValid } from '../helpers/schema';
import { voipbinTime } from '../../nodes/Voipbin/normalize';

/** VoIPbin's zone-less times are UTC: they must read the same on a host in New York as in UTC. */
let setup: VoipbinSetup;

beforeAll(async () => {
	setup = await startVoipbin({ seed: 0 });
});
afterAll(async () => await setup.sim.close());

const micros = (iso: string) => Date.parse(iso) * 1000;

describe('VoIPbin times on a host outside UTC', () => {
	it('reads the docs’ zone-less form as UTC in a process running in America/New_York', () => {
		// Jest gives tests a copy of process.env, so the zone is set where it counts: in a fresh Node process.
		const built = join(__dirname, '..', '..', 'dist', 'nodes', 'Voipbin', 'normalize.js');
		if (!existsSync(built)) throw new Error('Build first: npm test runs npm run build.');
		const script = `const { voipbinTime } = require(${JSON.stringify(built)});
			console.log(JSON.stringify({
				offset: new Date(Date.UTC(2022, 5, 23)).getTimezoneOffset(),
				legacy: voipbinTime('2022-06-23 05:05:40.950834'),
				rfc3339: voipbinTime('2022-06-23T05:05:40.950834Z'),
			}));`;
		const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'America/New_York' } });
		expect(JSON.parse(output.toString())).toEqual({
			offset: 240,
			legacy: '2022-06-23T05:05:40.950Z',
			rfc3339: '2022-06-23T05:05:40.950Z',
		});
	});

	it.each([
		['2022-06-23 05:05:40.950834', '2022-06-23T05:05:40.950Z'],
		['2022-06-23 05:05:40', '2022-06-23T05:05:40.000Z'],
		['2026-05-03T08:12:44.512378Z', '2026-05-03T08:12:44.512Z'],
		['2026-05-03T08:12:44.5Z', '2026-05-03T08:12:44.500Z'],
		['2026-05-03T08:12:44Z', '2026-05-03T08:12:44.000Z'],
		['2026-05-03T17:12:44.999999+09:00', '2026-05-03T08:12:44.999Z'],
		['9999-01-01 00:00:00.000000', null],
		['0001-01-01T00:00:00Z', null],
		[null, null],
		['', null],
		['yesterday', null],
	])('reads %p as %p', (value, expected) => {
		expect(voipbinTime(value)).toBe(expected);
	});

	it('gives valid normalized conversations and messages in both forms', async () => {
		for (const timeForm of ['legacy', 'rfc3339'] as const) {
			const conversation = setup.sim.addConversation({
				timeForm,
				tm_create: micros('2022-06-23T23:30:00.000Z') + 123456,
				tm_update: micros('2022-06-24T00:15:00.000Z'),
			});
			setup.sim.addMessage(conversation.id, { direction: 'incoming', tm_create: micros('2022-06-23T23:31:00.000Z') + 999999 });
			const { items } = await setup.run({ operation: 'get', conversationId: byId(conversation.id) });
			expectValid('conversation', items[0].json);
			expect(items[0].json).toMatchObject({ createdAt: '2022-06-23T23:30:00.123Z', updatedAt: '2022-06-24T00:15:00.000Z' });
			const messages = await setup.run({ resource: 'message', operation: 'getAll', conversationId: byId(conversation.id), returnAll: true });
			expectValid('message', messages.items[0].json);
			expect(messages.items[0].json.createdAt).toBe('2022-06-23T23:31:00.999Z');
		}
		expectOnlyDocumentedRequests(setup.sim);
	});

	it('gives valid trigger events with UTC times in a process running in America/New_York', () => {
		// The trigger's normalization, run on the bodies VoIPbin delivers, where the host's zone is not UTC.
		const built = join(__dirname, '..', '..', 'dist', 'nodes', 'Voipbin', 'normalize.js');
		if (!existsSync(built)) throw new Error('Build first: npm test runs npm run build.');
		const conversation = setup.sim.addConversation({
			timeForm: 'legacy',
			tm_create: micros('2022-06-23T23:30:00.000Z') + 123456,
			tm_update: micros('2022-06-24T00:15:00.000Z'),
		});
		const message = setup.sim.addMessage(conversation.id, { direction: 'incoming', tm_create: micros('2022-06-23T23:31:00.000Z') + 999999 });
		const bodies = [
			setup.sim.signDelivery('conversation_created', setup.sim.conversationData(conversation.id)).body,
			setup.sim.signDelivery('conversation_updated', setup.sim.conversationData(conversation.id)).body,
			setup.sim.signDelivery('conversation_message_created', setup.sim.messageData(message.id)).body,
		];
		const script = `const { normalizeEvent } = require(${JSON.stringify(built)});
			const bodies = ${JSON.stringify(bodies)};
			console.log(JSON.stringify(bodies.map((body, i) => normalizeEvent({
				body, eventId: 'sha256:' + i, signatureVerified: true, receivedAt: new Date(Date.UTC(2022, 5, 24, 1)).toISOString(), includeRaw: false,
			}))));`;
		const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'America/New_York' } });
		const events = JSON.parse(output.toString()) as Array<Record<string, unknown>>;
		for (const event of events) expectValid('event', event);
		expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
			['conversation.created', '2022-06-23T23:30:00.123Z'],
			['conversation.updated', '2022-06-24T00:15:00.000Z'],
			['message.created', '2022-06-23T23:31:00.999Z'],
		]);
		expect(events[0].conversation).toMatchObject({ createdAt: '2022-06-23T23:30:00.123Z', updatedAt: '2022-06-24T00:15:00.000Z' });
	});
});
