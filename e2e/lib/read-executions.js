'use strict';
/**
 * Prints the executions of one workflow that have ended (any status) as JSON, newest first, read straight from
 * n8n's sqlite file. Runs on the pinned Node 24 (n8n's sqlite3 build is for its ABI), so it is a separate process:
 *
 *   node24 read-executions.js <n8n node_modules> <database.sqlite> <workflowId>
 *
 * Reading while n8n runs is safe: n8n keeps the database in WAL mode.
 */
const path = require('path');

const [modulesDir, databaseFile, workflowId] = process.argv.slice(2);
const sqlite3 = require(path.join(modulesDir, 'sqlite3'));
const { parse } = require(path.join(modulesDir, 'flatted')); // n8n stores run data flatted-serialized

/** The first item of every output of every node, as `{ nodeName: [json, …] }` for output 0. */
function nodeOutputs(runData) {
	return Object.fromEntries(
		Object.entries(runData).map(([name, runs]) => [name, (runs[0].data?.main?.[0] ?? []).map((item) => item.json)]),
	);
}

const database = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
database.all(
	`SELECT e.id, e.status, e.mode, d.data
	   FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
	  WHERE e.workflowId = ? AND e.stoppedAt IS NOT NULL
	  ORDER BY e.id DESC`,
	[workflowId],
	(error, rows) => {
		if (error) {
			console.error(error.message);
			process.exit(2);
		}
		const executions = rows.map((row) => {
			const { resultData } = parse(row.data);
			return {
				id: row.id,
				status: row.status,
				mode: row.mode,
				error: resultData.error?.message ?? null,
				outputs: nodeOutputs(resultData.runData),
			};
		});
		process.stdout.write(JSON.stringify(executions));
		database.close();
	},
);
