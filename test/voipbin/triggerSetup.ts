import { VoipbinApi } from '../../credentials/VoipbinApi.credentials';
import { Voipbin } from '../../nodes/Voipbin/Voipbin.node';
import { VoipbinTrigger } from '../../nodes/Voipbin/VoipbinTrigger.node';
import type { TriggerSetup } from '../helpers/triggerSetup';
import { startTriggerSetup } from '../helpers/triggerSetup';
import type { VoipbinSimulator, VoipbinSimulatorOptions } from '../simulators/voipbin';
import { startVoipbinSimulator } from '../simulators/voipbin';

/** The VoIPbin simulator and an n8n with the VoIPbin nodes (the action node too, for replies from a trigger's run). */
export type VoipbinTriggerSetup = TriggerSetup<VoipbinSimulator>;

export async function startVoipbinTrigger(options: VoipbinSimulatorOptions = {}): Promise<VoipbinTriggerSetup> {
	const sim = await startVoipbinSimulator({ deliveryRetryDelayMs: 20, ...options });
	return await startTriggerSetup({
		sim,
		triggerType: 'voipbinTrigger',
		nodes: { voipbin: new Voipbin(), voipbinTrigger: new VoipbinTrigger() },
		credentialTypes: [new VoipbinApi()],
		credentials: { voipbinApi: { accessKey: sim.accessKey, baseUrl: sim.baseUrl } },
	});
}
