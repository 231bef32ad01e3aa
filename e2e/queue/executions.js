'use strict';
/**
 * Executions read straight from the queue deployment's Postgres, with the `pg` and `flatted` that ship inside the
 * pinned n8n (both plain JavaScript, so they run on any Node): what the worker stored, with n8n's own timestamps.
 */
const path = require('path');

/** The first item of output 0 of every node that ran, as `{ nodeName: [json, …] }`. */
function nodeOutputs(runData) {
	return Object.fromEntries(
		Object.entries(runData ?? {}).map(([name, runs]) => [name, (runs[0].data?.main?.[0] ?? []).map((item) => item.json)]),
	);
}

class ExecutionReader {
	constructor(n8nModules, postgres) {
		const { Client } = require(path.join(n8nModules, 'pg'));
		this.parse = require(path.join(n8nModules, 'flatted')).parse;
		this.client = new Client({ ...postgres, connectionTimeoutMillis: 5_000 });
		this.connected = this.client.connect();
	}

	/** Ended executions of one workflow, oldest first: `{ id, status, mode, startedAt, stoppedAt, error, outputs }`. */
	async ended(workflowId) {
		await this.connected;
		const { rows } = await this.client.query(
			`SELECT e.id, e.status, e.mode, e."startedAt", e."stoppedAt", d.data
			   FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
			  WHERE e."workflowId" = $1 AND e."stoppedAt" IS NOT NULL
			  ORDER BY e.id::bigint`,
			[workflowId],
		);
		return rows.map((row) => {
			const { resultData } = this.parse(row.data);
			return {
				id: String(row.id),
				status: row.status,
				mode: row.mode,
				startedAt: new Date(row.startedAt),
				stoppedAt: new Date(row.stoppedAt),
				error: resultData.error?.message ?? null,
				outputs: nodeOutputs(resultData.runData),
			};
		});
	}

	/** Every execution of the workflow, ended or not (a count that must not grow tells "nothing started"). */
	async count(workflowId) {
		await this.connected;
		const { rows } = await this.client.query('SELECT count(*)::int AS n FROM execution_entity WHERE "workflowId" = $1', [workflowId]);
		return rows[0].n;
	}

	/** What one node of the workflow keeps in the workflow's static data, as stored in Postgres (`{}` when nothing). */
	async nodeStaticData(workflowId, nodeName) {
		await this.connected;
		const { rows } = await this.client.query('SELECT "staticData" AS data FROM workflow_entity WHERE id = $1', [workflowId]);
		const data = typeof rows[0]?.data === 'string' ? JSON.parse(rows[0].data) : rows[0]?.data;
		return data?.[`node:${nodeName}`] ?? {};
	}

	/** `{ all, ended }`: how many executions of the workflow exist and how many of them have ended. */
	async counts(workflowId) {
		await this.connected;
		const { rows } = await this.client.query(
			'SELECT count(*)::int AS "all", count("stoppedAt")::int AS ended FROM execution_entity WHERE "workflowId" = $1',
			[workflowId],
		);
		return rows[0];
	}

	async close() {
		await this.connected.catch(() => undefined);
		await this.client.end().catch(() => undefined);
	}
}

/** The p-th percentile (0–100) of a list of numbers, by nearest rank. */
function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

module.exports = { ExecutionReader, percentile };
