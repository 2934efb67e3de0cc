#!/usr/bin/env bash
# `npm start`: install what is missing, provision Kafka/Postgres/Redis, start the apps (tools/stack).
# `npm start -- --brokers 3` runs them on a local three-node Kafka cluster (KAFKA_NODES=3).
set -euo pipefail
cd "$(dirname "$0")/../.."
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--brokers" ]]; then export KAFKA_NODES="$2"; shift 2; else args+=("$1"); shift; fi
done
bash tools/scripts/ensure-deps.sh
node tools/infra/infra.mjs up
exec node -r @swc-node/register tools/stack/src/main.ts "${args[@]+"${args[@]}"}"
