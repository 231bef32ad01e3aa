'use strict';
/**
 * Prints a workflow's saved static data as JSON, read from n8n's sqlite file (safe while n8n runs: WAL mode).
 * Runs on the pinned Node 24, whose ABI n8n's sqlite3 build has:
 *
 *   node24 read-static-data.js <n8n node_modules> <database.sqlite> <workflowId>
 */
const path = require('path');

const [modulesDir, databaseFile, workflowId] = process.argv.slice(2);
const sqlite3 = require(path.join(modulesDir, 'sqlite3'));

const database = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
database.get('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId], (error, row) => {
	if (error) {
		console.error(error.message);
		process.exit(2);
	}
	const saved = row?.staticData;
	process.stdout.write(typeof saved === 'string' ? saved : JSON.stringify(saved ?? null));
	database.close();
});
