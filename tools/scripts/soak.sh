#!/usr/bin/env bash
# `npm run soak`: a three-node Kafka cluster (unless --brokers says otherwise), then tools/soak on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KAFKA_NODES="${KAFKA_NODES:-3}"
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--brokers" ]]; then export KAFKA_NODES="$2"; shift 2; else args+=("$1"); shift; fi
done
bash tools/scripts/ensure-deps.sh
node tools/infra/infra.mjs up
exec node -r @swc-node/register tools/soak/main.ts "${args[@]+"${args[@]}"}"
