import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret (and its URL-encoded form) in a text. */
export function redactSecrets(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			result = result.split(form).join(REDACTED);
		}
	}
	return result;
}

/** What a vendor's error body says, read by the vendor's own dialect. */
export interface VendorErrorDetails {
	code?: string;
	message?: string;
	requestId?: string;
	details?: unknown;
}

export interface ApiErrorInput {
	vendorName: string;
	credentialName: string;
	statusCode: number;
	method: string;
	url: string;
	vendorError: VendorErrorDetails;
	/** What the request was about, for a 404: e.g. 'Conversation 8f3a…'. */
	resource?: string;
	itemIndex?: number;
	secrets: string[];
}

function describeStatus(input: ApiErrorInput): { message: string; hint: string } {
	const { vendorName, credentialName, statusCode, resource } = input;
	switch (statusCode) {
		case 401:
			return {
				message: `${vendorName} refused the credentials`,
				hint: `Check the "${credentialName}" credential: the key may be wrong, revoked or expired.`,
			};
		case 403:
			return {
				message: `${vendorName} does not allow this request with these credentials`,
				hint: `Check the "${credentialName}" credential and the permissions of its key.`,
			};
		case 404:
			return {
				message: resource ? `${resource} was not found` : `${vendorName} found nothing at this address`,
				hint: 'Check the ID, and that it belongs to the account of the selected credential.',
			};
		case 409:
			return { message: `${vendorName} reported a conflict`, hint: 'The request clashes with the current state.' };
		case 429:
			return {
				message: `${vendorName} is rate limiting requests`,
				hint: 'Retries ran out. Lower the workflow’s request rate or raise the retry limits in Request Options.',
			};
		default:
			if (statusCode >= 500) {
				return {
					message: `${vendorName} failed to process the request`,
					hint: 'The vendor had a problem; try again later.',
				};
			}
			return { message: `${vendorName} rejected the request`, hint: 'Check the parameters of this node.' };
	}
}

/** A vendor HTTP failure as NodeApiError: what happened, the vendor's own words, code and request id. */
export function buildApiError(node: INode, input: ApiErrorInput): NodeApiError {
	const { statusCode, vendorError, secrets } = input;
	const { message, hint } = describeStatus(input);
	const vendorWords = [
		vendorError.message,
		vendorError.code ? `code ${vendorError.code}` : undefined,
		vendorError.requestId ? `request id ${vendorError.requestId}` : undefined,
	].filter(Boolean);
	const fullMessage = `${message} (HTTP ${statusCode})${vendorError.message ? `: ${vendorError.message}` : ''}`;
	const description = [
		hint,
		vendorWords.length > 0 ? `${input.vendorName} said: ${vendorWords.join('; ')}.` : undefined,
		`Request: ${input.method} ${input.url}`,
	]
		.filter(Boolean)
		.join(' ');
	const errorResponse: JsonObject = {
		httpCode: String(statusCode),
		message: redactSecrets(fullMessage, secrets),
		code: vendorError.code ?? null,
		requestId: vendorError.requestId ?? null,
	};
	if (vendorError.details !== undefined) {
		errorResponse.details = JSON.parse(redactSecrets(JSON.stringify(vendorError.details), secrets)) as JsonObject;
	}
	return new NodeApiError(node, errorResponse, {
		message: redactSecrets(fullMessage, secrets),
		description: redactSecrets(description, secrets),
		httpCode: String(statusCode),
		itemIndex: input.itemIndex,
	});
}

/** A failure before any HTTP answer (refused connection, timeout, bad body) as NodeApiError. */
export function buildTransportError(
	node: INode,
	input: { message: string; description: string; itemIndex?: number; secrets: string[] },
): NodeApiError {
	const message = redactSecrets(input.message, input.secrets);
	return new NodeApiError(
		node,
		{ message },
		{
			message,
			description: redactSecrets(input.description, input.secrets),
			itemIndex: input.itemIndex,
		},
	);
}
