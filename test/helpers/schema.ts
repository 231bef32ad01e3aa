import Ajv from 'ajv';

import conversationSchema from '../schema/conversation.schema.json';
import eventSchema from '../schema/event.schema.json';
import messageSchema from '../schema/message.schema.json';

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(conversationSchema).addSchema(messageSchema).addSchema(eventSchema);

type SchemaName = 'conversation' | 'message' | 'event';

/** Validates against the package's published shapes; the failure names every offending path. */
export function expectValid(name: SchemaName, value: unknown): void {
	const validate = ajv.getSchema(`${name}.schema.json`)!;
	if (!validate(value)) {
		throw new Error(
			`Not a valid ${name}: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(value, null, 2)}`,
		);
	}
}
