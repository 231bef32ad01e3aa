#!/usr/bin/env bash
# CI entry for the end-to-end tests (called by .ci/run): makes sure Debian's Chromium is installed for the
# editor check, then runs `npm run test:e2e`. The n8n toolchain is cached in ~/.cache/n8n-nodes-conversations,
# so only the first run on a machine installs it (about 5-8 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
	echo "[ci] installing chromium from Debian"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium >/dev/null
fi

# The e2e scripts use the project's own dev dependencies (playwright-core, ajv, typescript).
[ -d node_modules ] || npm ci

npm run test:e2e
