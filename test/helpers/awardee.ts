import type { IDataObject } from 'n8n-workflow';

import { AwardeeApi } from '../../credentials/AwardeeApi.credentials';
import { Awardee } from '../../nodes/Awardee/Awardee.node';
import { AwardeeTrigger } from '../../nodes/Awardee/AwardeeTrigger.node';
import type { AwardeeSimulator, AwardeeSimulatorOptions } from '../simulators/awardee';
import { startAwardeeSimulator } from '../simulators/awardee';
import { N8nHarness } from '../harness/n8n';

export interface AwardeeSetup {
	sim: AwardeeSimulator;
	n8n: N8nHarness;
	/** Runs the Awardee action node once per given item. */
	run(parameters: IDataObject, items?: IDataObject[], options?: { continueOnFail?: boolean }): ReturnType<N8nHarness['execute']>;
}

export async function startAwardee(
	options: AwardeeSimulatorOptions = {},
	harness: { webhookBaseUrl?: string; apiKey?: string } = {},
): Promise<AwardeeSetup> {
	const sim = await startAwardeeSimulator(options);
	const n8n = new N8nHarness({
		nodes: { awardee: new Awardee(), awardeeTrigger: new AwardeeTrigger() },
		credentialTypes: [new AwardeeApi()],
		credentials: { awardeeApi: { apiKey: harness.apiKey ?? sim.apiKey, baseUrl: sim.baseUrl } },
		webhookBaseUrl: harness.webhookBaseUrl,
	});
	return {
		sim,
		n8n,
		run: async (parameters, items, runOptions) => await n8n.execute('awardee', parameters, items, runOptions),
	};
}

/** A resource-locator value as the editor stores it for "By ID". */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

/** The seeded conversations in the order Awardee lists them (newest message first). */
export function conversationsNewestFirst(sim: AwardeeSimulator) {
	const key = (c: { last_message_at: string | null; created_at: string }) => c.last_message_at ?? c.created_at;
	return [...sim.state.conversations.values()].sort((a, b) =>
		key(a) === key(b) ? (a.id < b.id ? 1 : -1) : key(a) < key(b) ? 1 : -1,
	);
}
