'use strict';
/** Assertions the vendor cases share: the package's published shapes (test/schema/*.schema.json) and item counts. */
const assert = require('node:assert/strict');
const path = require('path');
const Ajv = require('ajv');

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'test', 'schema');
const ajv = new Ajv({ allErrors: true, strict: false });
for (const name of ['conversation', 'message', 'event']) {
	ajv.addSchema(require(path.join(SCHEMA_DIR, `${name}.schema.json`)));
}

/** Throws with every offending path when `value` is not a valid `conversation`, `message` or `event`. */
function assertShape(name, value) {
	const validate = ajv.getSchema(`${name}.schema.json`);
	if (!validate(value)) {
		const problems = ajv.errorsText(validate.errors, { separator: '; ' });
		throw new Error(`not a valid ${name}: ${problems}\n${JSON.stringify(value).slice(0, 600)}`);
	}
}

/** The one item a node emitted. */
function single(items) {
	assert.equal(items.length, 1, `expected one item, got ${items.length}`);
	return items[0];
}

module.exports = { assertShape, single };
