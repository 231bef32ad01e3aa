import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, invalidInput } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { notResentWithoutKey, RECENT_MESSAGES_READ, skipIfRecentlySent, skipIfSentWithinOption } from '../../../shared/replyGuard';
import { normalizeMessage } from '../../normalize';
import { listAll, sendMessage } from '../../transport';
import { clientFor, renderVoipbinMessage } from '../client';
import { conversationIdProperty, readConversationId } from '../locators';

const properties: INodeProperties[] = [
	conversationIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			'The message the contact receives on the conversation’s channel (SMS, LINE, …). VoIPbin charges per message sent.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [skipIfSentWithinOption('VoIPbin')],
	},
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['reply'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const text = (readParameter(this, itemIndex, properties, 'text') as string | undefined) ?? '';
	if (text.trim() === '') {
		throw invalidInput(this, itemIndex, 'The reply is empty', 'Enter the reply in Text, or map a field that holds it.');
	}
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const client = clientFor(this, itemIndex);
	const skipped = await skipIfRecentlySent({
		withinMinutes: options.skipIfSentWithinMinutes,
		conversationId,
		text,
		latestMessages: async () => {
			const latest = await listAll(client, `/conversations/${conversationId}/messages`, { returnAll: false, limit: RECENT_MESSAGES_READ }, {}, `Conversation ${conversationId}`);
			return latest.map((raw) => normalizeMessage(raw, conversationId));
		},
	});
	if (skipped) return skipped;
	try {
		const raw = await sendMessage(client, conversationId, text);
		return renderVoipbinMessage(readOutputMode(this, itemIndex), raw, conversationId);
	} catch (error) {
		// No HTTP status means no answer VoIPbin stood behind (a dropped connection, a timeout, a garbled body).
		// n8n's own wording for a dropped connection suggests retrying at once, which could post the reply twice.
		if (error instanceof NodeApiError && !error.httpCode) {
			const message = 'VoIPbin did not confirm the reply';
			const description = [notResentWithoutKey('VoIPbin'), error.description].filter(Boolean).join(' ');
			throw new NodeApiError(this.getNode(), { message }, { message, description, itemIndex });
		}
		throw asNodeError(this.getNode(), error);
	}
}
