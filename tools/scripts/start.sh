#!/usr/bin/env bash
# `npm start`: install what is missing, provision Kafka/Postgres/Redis, start the services.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
node tools/infra/infra.mjs up
if [ -f tools/stack/stack.mjs ]; then
  exec node tools/stack/stack.mjs "$@"
fi
echo "[start] infrastructure is up; the service stack runner is not there yet (tools/stack/stack.mjs)"
