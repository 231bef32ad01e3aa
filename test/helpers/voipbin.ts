import type { IDataObject } from 'n8n-workflow';

import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { N8nHarness } from '../harness/n8n';
import type { StoredConversation, VoipbinSimulator, VoipbinSimulatorOptions } from '../simulators/voipbin';
import { startVoipbinSimulator } from '../simulators/voipbin';

export interface VoipbinSetup {
	sim: VoipbinSimulator;
	n8n: N8nHarness;
	/** Runs the VoIPbin action node once per given item. */
	run(parameters: IDataObject, items?: IDataObject[], options?: { continueOnFail?: boolean }): ReturnType<N8nHarness['execute']>;
}

export async function startVoipbin(
	options: VoipbinSimulatorOptions = {},
	harness: { webhookBaseUrl?: string; accessKey?: string } = {},
): Promise<VoipbinSetup> {
	const sim = await startVoipbinSimulator(options);
	const n8n = new N8nHarness({
		nodes: { voipbin: new Voipbin() },
		credentialTypes: [new VoipbinApi()],
		credentials: { voipbinApi: { accessKey: harness.accessKey ?? sim.accessKey, baseUrl: sim.baseUrl } },
		webhookBaseUrl: harness.webhookBaseUrl,
	});
	return {
		sim,
		n8n,
		run: async (parameters, items, runOptions) => await n8n.execute('voipbin', parameters, items, runOptions),
	};
}

/** A resource-locator value as the editor stores it for "By ID". */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

/** The conversations VoIPbin lists, in its order: not deleted, newest first. */
export function listedConversations(sim: VoipbinSimulator): StoredConversation[] {
	return [...sim.state.conversations.values()]
		.filter((conversation) => conversation.tm_delete === null)
		.sort((a, b) => b.tm_create - a.tm_create);
}

/** Ends a test file: every request its tests sent was one VoIPbin's OpenAPI documents. */
export function expectOnlyDocumentedRequests(sim: VoipbinSimulator): void {
	expect(sim.undocumented).toEqual([]);
	expect(sim.checkedRequests).toBeGreaterThan(0);
}
