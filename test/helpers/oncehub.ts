import type { IDataObject } from 'n8n-workflow';

import { OnceHubApi } from '../../credentials/OnceHubApi.credentials';
import { OnceHub } from '../../nodes/OnceHub/OnceHub.node';
import { OnceHubTrigger } from '../../nodes/OnceHub/OnceHubTrigger.node';
import { N8nHarness } from '../harness/n8n';
import type { OnceHubSimulator, OnceHubSimulatorOptions } from '../simulators/oncehub';
import { startOnceHubSimulator } from '../simulators/oncehub';

export interface OnceHubSetup {
	sim: OnceHubSimulator;
	n8n: N8nHarness;
	/** Runs the OnceHub action node once per given item. */
	run(parameters: IDataObject, items?: IDataObject[], options?: { continueOnFail?: boolean }): ReturnType<N8nHarness['execute']>;
}

export async function startOnceHub(
	options: OnceHubSimulatorOptions = {},
	harness: { webhookBaseUrl?: string; apiKey?: string; baseUrl?: string } = {},
): Promise<OnceHubSetup> {
	const sim = await startOnceHubSimulator(options);
	const n8n = new N8nHarness({
		nodes: { onceHub: new OnceHub(), onceHubTrigger: new OnceHubTrigger() },
		credentialTypes: [new OnceHubApi()],
		credentials: { onceHubApi: { apiKey: harness.apiKey ?? sim.apiKey, baseUrl: harness.baseUrl ?? sim.baseUrl } },
		webhookBaseUrl: harness.webhookBaseUrl,
	});
	return {
		sim,
		n8n,
		run: async (parameters, items, runOptions) => await n8n.execute('onceHub', parameters, items, runOptions),
	};
}

/** A resource-locator value as the editor stores it for "By ID". */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

/** `count` input items, each with the id of the simulator's contacts in turn (for a Get by `{{ $json.id }}`). */
export function contactItems(setup: OnceHubSetup, count: number): IDataObject[] {
	const ids = [...setup.sim.state.contacts.keys()];
	return Array.from({ length: count }, (_, index) => ({ id: ids[index % ids.length] }));
}
