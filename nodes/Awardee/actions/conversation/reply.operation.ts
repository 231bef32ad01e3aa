import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, invalidInput, quoteInMessage } from '../../../shared/execute';
import { outputProperty, readOutputMode, readParameter, requestOptionsProperty } from '../../../shared/parameters';
import { renderMessage } from '../../../shared/output';
import { normalizeMessage } from '../../normalize';
import { clientFor, conversationIdProperty, readConversationId } from '../common';
import { alreadyWrittenForEvent, idempotencyKeyOption, writeKeyFor } from '../writeOptions';

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
			'The agent reply the visitor sees. Replying takes the conversation over from the bot; Awardee accepts replies only while the status is Open or Agent Requested.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Attachment URLs',
				name: 'attachmentUrls',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/invoice.pdf',
				description: 'Public file URLs to attach, comma-separated',
			},
			idempotencyKeyOption,
		],
	},
	outputProperty('message'),
	requestOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['reply'] } }, properties);

function readAttachments(ctx: IExecuteFunctions, itemIndex: number, value: unknown): IDataObject[] {
	const urls = String(value ?? '')
		.split(',')
		.map((url) => url.trim())
		.filter(Boolean);
	for (const url of urls) {
		if (!/^https?:\/\/\S+$/i.test(url)) {
			throw invalidInput(ctx, itemIndex, `Attachment URL ${quoteInMessage(url)} is not a web address`, 'Use full http(s) URLs, comma-separated.');
		}
	}
	return urls.map((url) => ({ url }));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = readConversationId(this, itemIndex);
	const text = String(readParameter(this, itemIndex, properties, 'text') ?? '');
	const options = readParameter(this, itemIndex, properties, 'options') as IDataObject;
	const attachments = readAttachments(this, itemIndex, options.attachmentUrls);
	if (text.trim() === '' && attachments.length === 0) {
		throw invalidInput(this, itemIndex, 'The reply is empty', 'Enter the reply in Text, or map a field that holds it.');
	}
	const body: IDataObject = { text };
	if (attachments.length > 0) body.attachments = attachments;
	const key = writeKeyFor(this, itemIndex, options.idempotencyKey, conversationId);
	let raw: IDataObject;
	try {
		({ body: raw } = await clientFor(this, itemIndex).request({
			method: 'POST',
			path: `/conversations/${conversationId}/messages`,
			body,
			idempotencyKey: key.key,
			resource: `Conversation ${conversationId}`,
		}));
	} catch (error) {
		const skipped = alreadyWrittenForEvent(error, key, conversationId, 'a reply');
		if (skipped) return skipped;
		throw asNodeError(this.getNode(), error);
	}
	return renderMessage(readOutputMode(this, itemIndex), normalizeMessage(raw, conversationId), raw);
}
