#!/usr/bin/env bash
# CI entry for the end-to-end tests (called by .ci/run): makes sure Debian's Chromium is installed for the
# editor check, then runs `npm run test:e2e` (one n8n, regular mode), `npm run test:e2e:queue` (queue mode: its own
# Postgres and Redis, installed with apt when missing, n8n main + worker + two webhook processors),
# `npm run test:toolchain` (the cache repairs itself) and `npm run bench:smoke` (every benchmark figure at tiny
# sizes on the toolchain just installed, so the benchmark keeps working; it asserts no time and fails only when a
# measurement breaks). Each runs even when an earlier one failed; the script fails if any did. The toolchain is
# installed into $N8N_CONVERSATIONS_CACHE when set (.ci/run gives it an empty folder of its own, so every CI run
# installs from nothing, as a newcomer's first run does), else into ~/.cache/n8n-nodes-conversations; the later
# steps use the toolchain the first one installed.
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
failed=()
for script in test:e2e test:e2e:queue test:toolchain bench:smoke; do
	started=$SECONDS
	if npm run "$script"; then outcome=passed; else outcome=FAILED; failed+=("$script"); fi
	echo "[ci] npm run $script $outcome in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "[ci] failed: ${failed[*]}"
	exit 1
fi
