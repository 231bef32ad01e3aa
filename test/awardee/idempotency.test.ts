import type { IDataObject, INodeExecutionData, IRunData } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { AwardeeTrigger } from '../../nodes/Awardee/AwardeeTrigger.node';
import type { DownstreamNode } from '../harness/n8n';
import { N8nHarness } from '../harness/n8n';
import { byId } from '../helpers/awardee';
import { pipelineNodes } from '../helpers/pipeline';
import type { AwardeeSimulator, StoredConversation } from '../simulators/awardee';
import { startAwardeeSimulator } from '../simulators/awardee';

const SECRET = 'whsec_idempotency_test';
/** Manual registration: nothing is registered at the simulator, so its replies fire no deliveries. */
const TRIGGER = { events: ['conversation.created', 'conversation.updated', 'message.created'], registration: 'manual', options: { signingSecret: SECRET } };
const FROM_EVENT = { __rl: true, mode: 'id', value: '={{ $json.conversation.id }}' };
const DERIVED = /^n8n-[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sim: AwardeeSimulator;
let n8n: N8nHarness;

beforeAll(async () => {
	sim = await startAwardeeSimulator({ seed: 3 });
	n8n = new N8nHarness({
		nodes: { awardee: new Awardee(), awardeeTrigger: new AwardeeTrigger(), ...pipelineNodes },
		credentialTypes: [new AwardeeApi()],
		credentials: { awardeeApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
	});
});
beforeEach(() => sim.reset());
afterAll(async () => await sim.close());

function reply(text: string, extra: IDataObject = {}): DownstreamNode {
	return { name: 'Reply', type: 'awardee', parameters: { operation: 'reply', conversationId: FROM_EVENT, text, ...extra } };
}

function note(content: string): DownstreamNode {
	return { name: 'Note', type: 'awardee', parameters: { resource: 'note', operation: 'create', conversationId: FROM_EVENT, content } };
}

let deliveries = 0;

/**
 * One signed Awardee delivery of `conversation.created`. Each is signed a second apart (inside the replay
 * window): two events with the same body signed in the same second would read as one delivery replayed.
 */
async function deliver(conversation: StoredConversation, deliveryId: string, downstream: DownstreamNode[]) {
	const timestamp = Math.floor(Date.now() / 1000) - (deliveries++ % 200);
	const signed = sim.signDelivery('conversation.created', sim.conversationPayload(conversation.id), { secret: SECRET, deliveryId, timestamp });
	const run = await n8n.webhook('awardeeTrigger', TRIGGER, { headers: signed.headers, body: signed.body as IDataObject, rawBody: signed.rawBody }, {}, downstream);
	expect(run.executed).toBe(true);
	return run;
}

/**
 * A second execution of the same event: what another webhook processor, a restarted n8n or a retried
 * execution runs. Its trigger item is the same event received again (a later `receivedAt`).
 */
async function executeAgain(triggerItems: INodeExecutionData[], downstream: DownstreamNode[]): Promise<IRunData> {
	const receivedAgain = triggerItems.map((item) => ({ json: { ...item.json, receivedAt: new Date(Date.now() + 60_000).toISOString() } }));
	return await n8n.runAfterTrigger('awardeeTrigger', TRIGGER, receivedAgain, downstream);
}

function outputOf(runData: IRunData, node: string): IDataObject[] {
	return (runData[node]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** The replies Awardee stored for the conversation, as their texts. */
function agentReplies(conversation: StoredConversation): string[] {
	return (sim.state.messages.get(conversation.id) ?? [])
		.filter((message) => message.metadata?.source === 'api')
		.map((message) => message.parts.map((part) => part.text ?? '').join(''));
}

function keysSent(path: string): string[] {
	return sim.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => r.headers['idempotency-key'] as string);
}

describe('Awardee Reply and Create Note after an Awardee Trigger: one write per event, however often it runs', () => {
	it('replies once when one event executes twice (the issue’s “4 executions, 4 replies”)', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [{ name: 'Edit Fields', type: 'editFields' }, reply('Thanks, we are on it.')];
		const first = await deliver(conversation, 'dlv-twice', flow);
		const again = await executeAgain(first.items, flow);
		const again2 = await executeAgain(first.items, flow);
		expect(agentReplies(conversation)).toHaveLength(1);
		const keys = keysSent(`/conversations/${conversation.id}/messages`);
		expect(keys).toHaveLength(3);
		expect(new Set(keys).size).toBe(1);
		expect(keys[0]).toMatch(DERIVED);
		// Awardee answers the repeats with the first reply, so every execution outputs the same message.
		const firstId = outputOf(first.runData, 'Reply')[0].id;
		expect(outputOf(again, 'Reply')[0].id).toBe(firstId);
		expect(outputOf(again2, 'Reply')[0].id).toBe(firstId);
	});

	it('replies once when five copies of one event execute at the same time (the issue’s “5 replies”)', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [reply('Thanks, we are on it.')];
		const received = await deliver(conversation, 'dlv-five', []);
		await Promise.all([1, 2, 3, 4, 5].map(async () => await executeAgain(received.items, flow)));
		expect(agentReplies(conversation)).toEqual(['Thanks, we are on it.']);
		expect(new Set(keysSent(`/conversations/${conversation.id}/messages`)).size).toBe(1);
	});

	it('creates one note when one event executes twice', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [note('Customer asked about invoice 42')];
		const first = await deliver(conversation, 'dlv-note', flow);
		await executeAgain(first.items, flow);
		expect(sim.state.notes.get(conversation.id) ?? []).toHaveLength(1);
		const keys = keysSent(`/conversations/${conversation.id}/notes`);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toBe(keys[1]);
	});

	it('finds the event several nodes downstream, through a split and an aggregate of its items', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [
			{ name: 'Edit Fields', type: 'editFields' },
			{ name: 'Split Out', type: 'split', parameters: { parts: 'a, b, c' } },
			{ name: 'Aggregate', type: 'aggregate' },
			{ name: 'Edit Fields 2', type: 'editFields', parameters: { field: 'second' } },
			reply('One reply for the three parts'),
		];
		const first = await deliver(conversation, 'dlv-deep', flow);
		await executeAgain(first.items, flow);
		expect(agentReplies(conversation)).toHaveLength(1);
		const keys = keysSent(`/conversations/${conversation.id}/messages`);
		expect(keys[0]).toMatch(DERIVED);
		expect(keys[1]).toBe(keys[0]);
	});

	it('sends two different replies of one event twice over, each once', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [{ name: 'Split Out', type: 'split', parameters: { parts: 'Hello, Your order shipped' } }, reply('={{ $json.part }}')];
		const first = await deliver(conversation, 'dlv-two', flow);
		expect(agentReplies(conversation)).toEqual(['Hello', 'Your order shipped']);
		await executeAgain(first.items, flow);
		expect(agentReplies(conversation)).toEqual(['Hello', 'Your order shipped']);
	});

	it('sends the same text twice when one run of the event asks for it twice, and not again on a re-run', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const flow = [{ name: 'Split Out', type: 'split', parameters: { parts: 'x, y' } }, reply('Thanks!')];
		const first = await deliver(conversation, 'dlv-same', flow);
		expect(agentReplies(conversation)).toHaveLength(2);
		await executeAgain(first.items, flow);
		expect(agentReplies(conversation)).toHaveLength(2);
	});

	it('lets two Reply nodes answer one event each once', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const second: DownstreamNode = {
			name: 'Reply 2',
			type: 'awardee',
			parameters: { operation: 'reply', conversationId: { __rl: true, mode: 'id', value: `={{ $('Node').item.json.conversation.id }}` }, text: 'Thanks!' },
		};
		const flow = [reply('Thanks!'), second];
		const first = await deliver(conversation, 'dlv-two-nodes', flow);
		await executeAgain(first.items, flow);
		expect(agentReplies(conversation)).toHaveLength(2);
	});

	it('gives two events two keys, so each is answered', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		await deliver(conversation, 'dlv-first', [reply('Thanks!')]);
		await deliver(conversation, 'dlv-second', [reply('Thanks!')]);
		expect(agentReplies(conversation)).toHaveLength(2);
	});

	it('does not post a second, different reply when the text differs between executions (an AI answer)', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const first = await deliver(conversation, 'dlv-ai', [reply('Answer drafted at 10:00')]);
		const again = await executeAgain(first.items, [reply('Answer drafted at 10:01')]);
		expect(agentReplies(conversation)).toEqual(['Answer drafted at 10:00']);
		expect(outputOf(again, 'Reply')).toEqual([
			expect.objectContaining({ skipped: true, conversationId: conversation.id, skipReason: expect.stringMatching(/already posted a reply to this conversation for the event/) }),
		]);
	});

	it('derives a key that holds no secret, event id or conversation id', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		await deliver(conversation, 'dlv-secret-check', [reply('Hi')]);
		const [key] = keysSent(`/conversations/${conversation.id}/messages`);
		expect(key).toMatch(DERIVED);
		for (const value of [sim.apiKey, SECRET, 'dlv-secret-check', conversation.id]) expect(key).not.toContain(value);
	});

	it('sends the user’s key when one is set, event or not', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		await deliver(conversation, 'dlv-user-key', [reply('Hi', { options: { idempotencyKey: 'ticket-42-reply' } })]);
		expect(keysSent(`/conversations/${conversation.id}/messages`)).toEqual(['ticket-42-reply']);
	});
});

describe('Awardee Reply without an event to derive from: a fresh key per item', () => {
	it('uses a fresh key in a manual run', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const parameters = { operation: 'reply', conversationId: byId(conversation.id), text: 'Hi' };
		await n8n.execute('awardee', parameters);
		await n8n.execute('awardee', parameters);
		const keys = keysSent(`/conversations/${conversation.id}/messages`);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(UUID);
		expect(keys[1]).not.toBe(keys[0]);
	});

	it('uses fresh keys when a Code-like node broke the pairing back to the trigger', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		// Two items in, three out: n8n pairs a single input item, or as many out as in, by itself.
		const flow = [{ name: 'Split Out', type: 'split', parameters: { parts: 'a, b' } }, { name: 'Code', type: 'rebuild' }, reply('={{ $json.part }}')];
		const first = await deliver(conversation, 'dlv-unpaired', flow);
		const keys = keysSent(`/conversations/${conversation.id}/messages`);
		expect(keys).toHaveLength(outputOf(first.runData, 'Reply').length);
		for (const key of keys) expect(key).toMatch(UUID);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('uses a fresh key when one item stands for several events (an aggregate across events)', async () => {
		const conversation = sim.addConversation({ status: 'open' });
		const one = await deliver(conversation, 'dlv-agg-1', []);
		const two = await deliver(conversation, 'dlv-agg-2', []);
		await n8n.runAfterTrigger('awardeeTrigger', TRIGGER, [...one.items, ...two.items].map((item) => ({ json: item.json })), [
			{ name: 'Aggregate', type: 'aggregate' },
			reply('One answer for both'),
		]);
		const keys = keysSent(`/conversations/${conversation.id}/messages`);
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(UUID);
	});
});

describe('Awardee Reply with node types named as a real n8n names them', () => {
	const PACKAGE = 'n8n-nodes-conversations';
	let real: N8nHarness;

	beforeAll(() => {
		real = new N8nHarness({
			nodes: {
				[`${PACKAGE}.awardee`]: new Awardee(),
				[`${PACKAGE}.awardeeTrigger`]: new AwardeeTrigger(),
				// Another package's trigger whose items look like our events must not count.
				'n8n-nodes-base.webhook': new AwardeeTrigger(),
				'n8n-nodes-base.set': pipelineNodes.editFields,
			},
			credentialTypes: [new AwardeeApi()],
			credentials: { awardeeApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
		});
	});

	async function runTwice(triggerType: string, conversation: StoredConversation) {
		const flow = [
			{ name: 'Edit Fields', type: 'n8n-nodes-base.set' },
			{ name: 'Reply', type: `${PACKAGE}.awardee`, parameters: { operation: 'reply', conversationId: FROM_EVENT, text: 'Hi' } },
		];
		const signed = sim.signDelivery('conversation.created', sim.conversationPayload(conversation.id), { secret: SECRET, deliveryId: `dlv-${triggerType}` });
		const first = await real.webhook(triggerType, TRIGGER, { headers: signed.headers, body: signed.body as IDataObject, rawBody: signed.rawBody }, {}, flow);
		await real.runAfterTrigger(triggerType, TRIGGER, first.items.map((item) => ({ json: item.json })), flow);
		return keysSent(`/conversations/${conversation.id}/messages`);
	}

	it('derives the key after this package’s trigger', async () => {
		const keys = await runTwice(`${PACKAGE}.awardeeTrigger`, sim.addConversation({ status: 'open' }));
		expect(keys[0]).toMatch(DERIVED);
		expect(keys[1]).toBe(keys[0]);
	});

	it('does not take another package’s trigger for ours', async () => {
		const keys = await runTwice('n8n-nodes-base.webhook', sim.addConversation({ status: 'open' }));
		for (const key of keys) expect(key).toMatch(UUID);
		expect(keys[1]).not.toBe(keys[0]);
	});
});
