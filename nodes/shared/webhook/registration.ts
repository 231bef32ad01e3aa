import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../execute';
import type { ApiClient } from '../transport/client';
import type { TriggerState } from './delivery';

/**
 * The label a trigger writes into the vendor's name/description field of the webhooks it creates. Only a
 * registration carrying this label is ever adopted or deleted: what a user set up by hand stays untouched.
 */
export function registrationMark(ctx: IHookFunctions): string {
	return `n8n ${ctx.getWorkflow().id ?? 'workflow'}/${ctx.getNode().id}`;
}

const PRIVATE_HOST = /^(localhost|.*\.localhost|.*\.local|.*\.internal|.*\.lan|.*\.home\.arpa)$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What vendors that push only to the public internet accept: https with a public host name (no IP). */
export function isPublicHttpsUrl(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	const host = parsed.hostname;
	return (
		parsed.protocol === 'https:' &&
		host.includes('.') &&
		!PRIVATE_HOST.test(host) &&
		!IPV4.test(host) &&
		!host.startsWith('[')
	);
}

export function publicUrlRequiredError(ctx: IHookFunctions, vendorName: string, webhookUrl: string) {
	return new NodeOperationError(
		ctx.getNode(),
		`${vendorName} only delivers webhooks to public https URLs, and this trigger's URL is ${webhookUrl}`,
		{
			description:
				'Set n8n’s WEBHOOK_URL environment variable to the public https address that reaches this n8n (for local testing, a tunnel such as ngrok or Cloudflare Tunnel), restart n8n and activate the workflow again.',
		},
	);
}

/** Whether the credential points at the vendor's own production host (not a simulator or proxy). */
export function pointsAtHost(baseUrl: string, productionHost: string): boolean {
	try {
		return new URL(baseUrl).hostname.toLowerCase() === productionHost.toLowerCase();
	} catch {
		return false;
	}
}

/** What every trigger's registration is about: its URL, its events (sorted), its mark. */
export interface RegistrationSettings {
	url: string;
	events: string[];
	mark: string;
	/** A secret is known other than through the vendor's create call (pasted, or verification is off). */
	secretProvided: boolean;
}

export function readRegistrationSettings(ctx: IHookFunctions): RegistrationSettings {
	const options = ctx.getNodeParameter('options', {}) as { signingSecret?: string; verifySignatures?: boolean };
	return {
		url: ctx.getNodeWebhookUrl('default') ?? '',
		events: [...(ctx.getNodeParameter('events', []) as string[])].sort(),
		mark: registrationMark(ctx),
		secretProvided: Boolean(options.signingSecret) || options.verifySignatures === false,
	};
}

/** Whether a vendor webhook subscribes to exactly these (sorted) events. */
export function subscribesTo(webhookEvents: unknown, events: string[]): boolean {
	const theirs = Array.isArray(webhookEvents) ? [...(webhookEvents as string[])].sort() : [];
	return theirs.length === events.length && theirs.every((event, i) => event === events[i]);
}

function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/** Reads a vendor webhook; null when it is gone (404). */
export async function fetchRegistration(ctx: IHookFunctions, client: ApiClient, path: string): Promise<IDataObject | null> {
	try {
		return (await client.request({ method: 'GET', path })).body;
	} catch (error) {
		if (isNotFound(error)) return null;
		throw asNodeError(ctx.getNode(), error);
	}
}

/** Deletes a vendor webhook; one that is already gone (404) counts as deleted. */
export async function deleteRegistration(ctx: IHookFunctions, client: ApiClient, path: string): Promise<void> {
	try {
		await client.request({ method: 'DELETE', path });
	} catch (error) {
		if (!isNotFound(error)) throw asNodeError(ctx.getNode(), error);
	}
}

/** What a trigger remembers about its registration, in the node's workflow static data. */
export type RegistrationState = TriggerState;

export function forgetRegistration(state: RegistrationState): void {
	delete state.webhookId;
	delete state.webhookSecret;
}

/**
 * Deactivation: deletes only the webhook this node registered (the id it keeps), and forgets it either
 * way. A failure is logged, not thrown, so that deactivating a workflow always succeeds.
 */
export async function removeRegistration(
	ctx: IHookFunctions,
	client: ApiClient,
	pathOf: (webhookId: string) => string,
): Promise<boolean> {
	const state = ctx.getWorkflowStaticData('node') as RegistrationState;
	if (!state.webhookId) return true;
	try {
		await deleteRegistration(ctx, client, pathOf(state.webhookId));
		return true;
	} catch (error) {
		ctx.logger.warn(`${ctx.getNode().name}: could not delete webhook ${state.webhookId}: ${(error as Error).message}`);
		return false;
	} finally {
		forgetRegistration(state);
	}
}
