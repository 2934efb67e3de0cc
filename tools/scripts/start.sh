#!/usr/bin/env bash
# `npm start`: install what is missing, provision Kafka/Postgres/Redis, start the apps (tools/stack).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
node tools/infra/infra.mjs up
exec node -r @swc-node/register tools/stack/src/main.ts "$@"
