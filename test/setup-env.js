// n8n-core writes its instance settings (an encryption key) under N8N_USER_FOLDER; keep that out of $HOME.
const fs = require('fs');
const os = require('os');
const path = require('path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-conv-test-'));
}

// n8n-core logs node errors to the console; the tests assert them instead.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
