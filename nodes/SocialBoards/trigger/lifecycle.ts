import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WebhookLifecycle } from '../../shared/webhook/strategies';
import { manualRegistration } from '../../shared/webhook/strategies';

/** Where the webhook is set up; SocialBoards has no API for it. */
export const WEBHOOK_SETTINGS_PLACE = 'the webhook settings of your SocialBoards inbox';

const manual = manualRegistration({ signed: false });

/**
 * Manual registration: SocialBoards registers webhooks only in its dashboard, so activation registers nothing.
 * It refuses without a Verify Token: SocialBoards checks the URL with one whenever the webhook is configured, and
 * a trigger without a token refuses every check, so the webhook could never be saved.
 */
export const socialBoardsManual: WebhookLifecycle = {
	async checkExists(this: IHookFunctions) {
		const { verifyToken } = this.getNodeParameter('options', {}) as { verifyToken?: unknown };
		if (typeof verifyToken !== 'string' || verifyToken.trim() === '') {
			throw new NodeOperationError(this.getNode(), 'The SocialBoards Trigger needs a Verify Token', {
				description: `Choose a token, enter it under Options → Verify Token and as the webhook's Verify Token in ${WEBHOOK_SETTINGS_PLACE}, with this trigger's Production URL, then activate again.`,
			});
		}
		return await manual.checkExists.call(this);
	},
	create: manual.create,
	delete: manual.delete,
};
