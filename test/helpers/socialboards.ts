import type { IDataObject } from 'n8n-workflow';

import { SocialBoardsApi } from '../../credentials/SocialBoardsApi.credentials';
import { SocialBoards } from '../../nodes/SocialBoards/SocialBoards.node';
import { N8nHarness } from '../harness/n8n';
import type { SocialBoardsSimulator, SocialBoardsSimulatorOptions, StoredTicket } from '../simulators/socialboards';
import { startSocialBoardsSimulator } from '../simulators/socialboards';

export interface SocialBoardsSetup {
	sim: SocialBoardsSimulator;
	n8n: N8nHarness;
	/** Resets the simulator (which forgets every access token) and empties the saved access token with it. */
	reset(): void;
	/** Runs the SocialBoards action node once per given item. */
	run(parameters: IDataObject, items?: IDataObject[], options?: { continueOnFail?: boolean }): ReturnType<N8nHarness['execute']>;
}

/** A simulator and an n8n whose `socialBoardsApi` credential points at it, with no access token saved yet. */
export async function startSocialBoards(
	options: SocialBoardsSimulatorOptions = {},
	credential: { refreshToken?: string; clientId?: string } = {},
): Promise<SocialBoardsSetup> {
	const sim = await startSocialBoardsSimulator(options);
	const n8n = new N8nHarness({
		nodes: { socialBoards: new SocialBoards() },
		credentialTypes: [new SocialBoardsApi()],
		credentials: {
			socialBoardsApi: {
				clientId: credential.clientId ?? sim.clientId,
				refreshToken: credential.refreshToken ?? sim.refreshToken,
				tokenUrl: sim.tokenUrl,
				baseUrl: sim.baseUrl,
			},
		},
	});
	return {
		sim,
		n8n,
		reset: () => {
			sim.reset();
			n8n.updateStoredCredential('socialBoardsApi', { accessToken: '', refreshToken: sim.refreshToken });
		},
		run: async (parameters, items, runOptions) => await n8n.execute('socialBoards', parameters, items, runOptions),
	};
}

/** A resource-locator value as the editor stores it for "By ID". */
export function byId(value: string | number): IDataObject {
	return { __rl: true, mode: 'id', value: String(value) };
}

export function byUrl(value: string): IDataObject {
	return { __rl: true, mode: 'url', value };
}

/** The seeded tickets that are chats (the Chat API knows them), in the order they were created. */
export function chatTickets(sim: SocialBoardsSimulator): StoredTicket[] {
	return [...sim.state.tickets.values()].filter((ticket) => ticket.chat !== null).sort((a, b) => a.id - b.id);
}

export function ticketByTitle(sim: SocialBoardsSimulator, title: string): StoredTicket {
	const ticket = [...sim.state.tickets.values()].find((candidate) => candidate.title === title);
	if (!ticket) throw new Error(`No seeded ticket "${title}"`);
	return ticket;
}

/** The id of a seeded teammate by name. */
export function teammateId(sim: SocialBoardsSimulator, name: string): string {
	const user = [...sim.state.users.values()].find((candidate) => candidate.name === name && sim.state.teammates.has(candidate.id));
	if (!user) throw new Error(`No seeded teammate "${name}"`);
	return user.id;
}

/** Every access token the simulator issued, for searching outputs and errors. */
export function issuedAccessTokens(sim: SocialBoardsSimulator): string[] {
	return [...sim.state.accessTokens.keys()];
}
