import { SocialBoardsTrigger } from '../../nodes/SocialBoards/SocialBoardsTrigger.node';
import type { TriggerSetup } from '../helpers/triggerSetup';
import { startTriggerSetup } from '../helpers/triggerSetup';
import type { SocialBoardsSimulator, SocialBoardsSimulatorOptions } from '../simulators/socialboards';
import { startSocialBoardsSimulator } from '../simulators/socialboards';

export const TRIGGER = 'socialBoardsTrigger';

/** The SocialBoards simulator and an n8n with the SocialBoards Trigger; its verification GETs reach `webhook()` too. */
export type SocialBoardsTriggerSetup = TriggerSetup<SocialBoardsSimulator>;

export async function startSocialBoardsTrigger(options: SocialBoardsSimulatorOptions = {}): Promise<SocialBoardsTriggerSetup> {
	// No credential: the trigger makes no request to SocialBoards.
	return await startTriggerSetup({
		sim: await startSocialBoardsSimulator(options),
		triggerType: TRIGGER,
		nodes: { [TRIGGER]: new SocialBoardsTrigger() },
	});
}
