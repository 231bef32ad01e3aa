import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeExecutionData, IWorkflowDataProxyData } from 'n8n-workflow';

import { isPlainObject } from './normalize';

/** What a derived key starts with, so that a key seen at the vendor reads as one this package derived. */
const DERIVED_KEY_PREFIX = 'n8n-';

/** Per node run: our triggers upstream of the node, and how many writes each (event, target) pair had so far. */
interface RunState {
	triggers: string[];
	writes: Map<string, number>;
}

const runStates = new WeakMap<IExecuteFunctions, RunState>();

/** The part of a node type before its name (`n8n-nodes-conversations.`): the package the node comes from. */
function packageOf(nodeType: string): string {
	return nodeType.slice(0, nodeType.lastIndexOf('.') + 1);
}

function runStateOf(ctx: IExecuteFunctions): RunState {
	let state = runStates.get(ctx);
	if (!state) {
		const self = ctx.getNode();
		const ownPackage = packageOf(self.type);
		// Our triggers are the ancestors of this package that have no input themselves.
		const triggers = ctx
			.getParentNodes(self.name)
			.filter((node) => !node.disabled && packageOf(node.type) === ownPackage)
			.filter((node) => ctx.getParentNodes(node.name).length === 0)
			.map((node) => node.name);
		state = { triggers, writes: new Map() };
		runStates.set(ctx, state);
	}
	return state;
}

/** The event a trigger of this package emitted: its vendor and event id (`schemaVersion` 1 events). */
function eventOf(item: unknown): string | null {
	const json = isPlainObject(item) && isPlainObject(item.json) ? item.json : item;
	if (!isPlainObject(json) || json.schemaVersion !== 1 || !isPlainObject(json.delivery)) return null;
	const { vendor, eventId } = json;
	if (typeof vendor !== 'string' || typeof eventId !== 'string' || eventId === '') return null;
	return `${vendor}:${eventId}`;
}

/**
 * The event a trigger of this package put on the item that input item `itemIndex` descends from, found the
 * way n8n's `$('Trigger').itemMatching(i)` finds it: through the paired items of every node in between.
 * Null when there is none to find: no trigger of ours upstream (a manual or scheduled run), pairing broken
 * on the way (a Code node that returns new items), or several events behind one item (an aggregate).
 */
function eventBehind(ctx: IExecuteFunctions, proxy: IWorkflowDataProxyData, itemIndex: number): string | null {
	for (const trigger of runStateOf(ctx).triggers) {
		try {
			// `true`: the whole item, whatever the workflow's binary mode.
			const node = (proxy.$ as (name: string, fullItem: boolean) => { itemMatching(i: number): INodeExecutionData })(trigger, true);
			const event = eventOf(node.itemMatching(itemIndex));
			if (event) return event;
		} catch {
			// This trigger did not run, or pairing does not lead back to it: try the next, else there is no event.
		}
	}
	return null;
}

/**
 * An idempotency key for one write of input item `itemIndex`, derived from the event that started the
 * execution, or null when no event can be found (see `eventBehind`). The same event gives the same key
 * in every execution of it (a second webhook processor, a vendor retry, a re-run), so the vendor stores the
 * write once. Within one run, writes are told apart by the workflow, the node, the node's run (a loop), the
 * target and how many writes for the same event and target came before it: two replies to one conversation
 * for one event get two keys. The content is left out on purpose: a text that differs between executions
 * (an AI answer, a time) must not make a second reply. Only a hash leaves the node, never the event or data.
 */
export function eventDerivedKey(ctx: IExecuteFunctions, itemIndex: number, target: string): string | null {
	const { triggers, writes } = runStateOf(ctx);
	if (triggers.length === 0) return null;
	const proxy = ctx.getWorkflowDataProxy(itemIndex);
	const event = eventBehind(ctx, proxy, itemIndex);
	if (event === null) return null;
	const scope = JSON.stringify([ctx.getWorkflow().id ?? '', ctx.getNode().id, proxy.$runIndex as number, event, target]);
	const earlier = writes.get(scope) ?? 0;
	writes.set(scope, earlier + 1);
	return `${DERIVED_KEY_PREFIX}${createHash('sha256').update(`${scope}#${earlier}`).digest('hex')}`;
}
