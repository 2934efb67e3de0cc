#!/usr/bin/env bash
# The test command (`npm test`): install what is missing, provision Kafka/Postgres/Redis,
# then lint, type-check and every jest suite (unit and integration) against the real infrastructure.
set -euo pipefail
cd "$(dirname "$0")/../.."
# A broker of the tests' own, on ports of their own (as .ci/run), never the one a running `npm start`
# uses: the fault tests stop and start it, and `infra down` stops only what was started on these ports.
# An explicit KAFKA_PORT is kept (CI and parallel checkouts choose theirs); KAFKA_BROKERS follows it.
if [[ -z "${KAFKA_PORT:-}" ]]; then
  export KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
fi
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT}}"
echo "[test] Kafka for the tests on ${KAFKA_BROKERS} (stop it with: KAFKA_PORT=${KAFKA_PORT} npm run infra:down)"
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
