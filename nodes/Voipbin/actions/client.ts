import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OutputMode } from '../../shared/output';
import { renderConversation, renderMessage } from '../../shared/output';
import { readClientOptions } from '../../shared/parameters';
import type { ApiClient } from '../../shared/transport/client';
import { normalizeConversation, normalizeMessage } from '../normalize';
import { voipbinClient } from '../transport';

/** The VoIPbin client for one item, with that item's Request Options. */
export function clientFor(ctx: IExecuteFunctions, itemIndex: number): ApiClient {
	return voipbinClient(ctx, readClientOptions(ctx, itemIndex));
}

export function renderVoipbinConversation(mode: OutputMode, raw: IDataObject): IDataObject {
	return renderConversation(mode, normalizeConversation(raw), raw);
}

/** `listedUnder`: the conversation whose path the message came from, for a message that does not name it. */
export function renderVoipbinMessage(mode: OutputMode, raw: IDataObject, listedUnder?: string): IDataObject {
	return renderMessage(mode, normalizeMessage(raw, listedUnder), raw);
}
