import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OutputMode } from './output';
import {
	limitProperty,
	outputProperty,
	readOutputMode,
	readTake,
	requestOptionsProperty,
	returnAllProperty,
} from './parameters';
import type { Take } from './transport/paginate';

/** The parameters of a list that belongs to one conversation: the vendor's conversation locator first. */
export function threadListProperties(conversationIdProperty: INodeProperties, objectName: string): INodeProperties[] {
	return [conversationIdProperty, returnAllProperty, limitProperty, outputProperty(objectName), requestOptionsProperty];
}

/** Resource `message`, operation `getAll`: a conversation's messages. */
export function messageGetAllDescription(conversationIdProperty: INodeProperties): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: ['message'], operation: ['getAll'] } },
		threadListProperties(conversationIdProperty, 'message'),
	);
}

export interface ThreadListing<Client> {
	conversationId: string;
	mode: OutputMode;
	client: Client;
	take: Take;
}

/** How a vendor reads the conversation of an item and makes its API client. */
export interface ThreadListingReaders<Client> {
	readConversationId(ctx: IExecuteFunctions, itemIndex: number): string;
	clientFor(ctx: IExecuteFunctions, itemIndex: number): Client;
}

/**
 * An item's thread listing parameters, read (and refused) in this order: the conversation, Output, Request
 * Options, then Return All and Limit.
 */
export function readThreadListing<Client>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	readers: ThreadListingReaders<Client>,
): ThreadListing<Client> {
	const conversationId = readers.readConversationId(ctx, itemIndex);
	const mode = readOutputMode(ctx, itemIndex);
	const client = readers.clientFor(ctx, itemIndex);
	return { conversationId, mode, client, take: readTake(ctx, itemIndex) };
}
