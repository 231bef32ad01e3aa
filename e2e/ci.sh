#!/usr/bin/env bash
# CI entry for the end-to-end tests (called by .ci/run): makes sure Debian's Chromium is installed for the
# editor check, then runs `npm run test:e2e` and `npm run test:toolchain` (the cache repairs itself), and last
# `npm run bench:smoke`: every benchmark figure at tiny sizes on the toolchain just installed, so the benchmark
# keeps working; it asserts no time and fails only when a measurement breaks. The toolchain
# is installed into $N8N_CONVERSATIONS_CACHE when set (.ci/run gives it an empty folder of its own, so every CI
# run installs from nothing, as a newcomer's first run does), else into ~/.cache/n8n-nodes-conversations.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
	echo "[ci] installing chromium from Debian (apt-get update, then apt-get install chromium)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium >/dev/null
fi

# The e2e scripts use the project's own dev dependencies (playwright-core, ajv, typescript).
[ -d node_modules ] || npm ci --no-audit --no-fund

echo "[ci] toolchain cache: ${N8N_CONVERSATIONS_CACHE:-$HOME/.cache/n8n-nodes-conversations}"
started=$SECONDS
npm run test:e2e
echo "[ci] npm run test:e2e took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"

started=$SECONDS
npm run test:toolchain
echo "[ci] npm run test:toolchain took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"

started=$SECONDS
npm run bench:smoke
echo "[ci] npm run bench:smoke took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
