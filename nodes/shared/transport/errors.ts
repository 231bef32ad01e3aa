import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactError, redactText, redactValue } from './redact';

export { REDACTED, redactText as redactSecrets } from './redact';

/** The longest vendor text an error repeats; a vendor may answer with a whole HTML page or a 64 KB message. */
const MAX_VENDOR_TEXT = 300;

/** A vendor's text made fit for one line of an error: markup dropped, spaces collapsed, length capped. */
export function excerpt(text: string, max = MAX_VENDOR_TEXT): string {
	const plain = text
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
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
	/** Which retry limit ended the attempts, when one did. */
	note?: string;
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
	const { statusCode, secrets } = input;
	// Redacted before it is cut short: a secret cut in half by the cut would no longer be found.
	const vendorError = shortVendorError(redactValue(input.vendorError, secrets));
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
		input.note,
		`Request: ${input.method} ${input.url}`,
	]
		.filter(Boolean)
		.join(' ');
	const errorResponse: JsonObject = {
		httpCode: String(statusCode),
		message: fullMessage,
		code: vendorError.code ?? null,
		requestId: vendorError.requestId ?? null,
	};
	if (vendorError.details !== undefined) errorResponse.details = vendorError.details as JsonObject;
	const error = new NodeApiError(node, redactValue(errorResponse, secrets), {
		message: redactText(fullMessage, secrets),
		description: redactText(description, secrets),
		httpCode: String(statusCode),
		itemIndex: input.itemIndex,
	});
	return redactError(error, secrets);
}

/** The vendor's words as strings of bounded length, whatever types its error body used. */
function shortVendorError(vendorError: VendorErrorDetails): VendorErrorDetails {
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? excerpt(String(value)) || undefined : undefined;
	const details = vendorError.details === undefined ? undefined : JSON.stringify(vendorError.details);
	return {
		code: text(vendorError.code),
		message: text(vendorError.message),
		requestId: text(vendorError.requestId),
		details:
			details === undefined || details.length <= 4 * MAX_VENDOR_TEXT
				? vendorError.details
				: { truncated: excerpt(details, 4 * MAX_VENDOR_TEXT) },
	};
}

/** A failure before any HTTP answer (refused connection, timeout, bad body) as NodeApiError. */
export function buildTransportError(
	node: INode,
	input: { message: string; description: string; itemIndex?: number; secrets: string[] },
): NodeApiError {
	const message = redactText(input.message, input.secrets);
	const error = new NodeApiError(
		node,
		{ message },
		{
			message,
			description: redactText(input.description, input.secrets),
			itemIndex: input.itemIndex,
		},
	);
	return redactError(error, input.secrets);
}
