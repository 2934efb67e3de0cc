#!/usr/bin/env bash
# The test command (`npm test`): install what is missing, provision Kafka/Postgres/Redis,
# then lint, type-check and every jest suite (unit and integration) against the real infrastructure.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
bash tools/scripts/ensure-system-tools.sh
node tools/infra/infra.mjs up
echo "[test] lint (module boundaries read the Nx project graph)"
npx nx show projects > /dev/null
npx eslint . --max-warnings 0
echo "[test] type-check"
npx tsc -p tsconfig.json --noEmit
echo "[test] jest (unit and integration suites)"
npx jest --ci "$@"
