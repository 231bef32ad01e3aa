import type { INodePropertyOptions } from 'n8n-workflow';

/** A9: SocialBoards' ticket statuses, in its own words (they are sent as they are). */
export const statusOptions: INodePropertyOptions[] = [
	{ name: 'Closed', value: 'closed', description: 'Ended; a closed chat takes no more messages from the visitor' },
	{ name: 'Completed', value: 'completed', description: 'Answered (Normalized: resolved)' },
	{ name: 'Open', value: 'open' },
	{ name: 'Pending', value: 'pending', description: 'Waiting for the contact' },
];
