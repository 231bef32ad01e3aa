/**
 * Imported first by every bench entry point, before n8n-core loads: n8n-core writes its instance settings (an
 * encryption key) under N8N_USER_FOLDER, kept out of $HOME as in the tests (test/setup-env.js); and n8n's logger
 * stays quiet.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-conv-bench-'));
}
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
