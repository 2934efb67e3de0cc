#!/usr/bin/env bash
# `npm run test:compose`: docker-compose.yml run for real, from locally built images, then driven
# through its published ports (tools/compose/test/*.compose-spec.ts), then torn down with its volumes.
#   1. a Docker daemon: the one DOCKER_HOST names when it answers, else a private one
#      (tools/docker/daemon.sh: installs docker.io when missing, stopped again at the end);
#   2. the official images' stand-ins (tools/docker/base-images.sh) and the production image's
#      context (tools/compose/image-context.mjs), both cached between runs;
#   3. docker-compose up with docker-compose.standins.yml, every health check waited for;
#   4. the suite; 5. docker-compose down -v, whatever happened.
# Host ports are 4xxxx ones (COMPOSE_*_HOST_PORT to move them) so they do not meet `npm start`'s.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
phase() { echo "[compose] $* (+$(( $(date +%s) - started ))s)"; }

bash tools/scripts/ensure-deps.sh
bash tools/scripts/ensure-system-tools.sh

own_daemon=""
if [ -z "${DOCKER_HOST:-}" ] || ! docker info > /dev/null 2>&1; then
  phase "no Docker daemon answers: starting a private one"
  DOCKER_HOST="$(bash tools/docker/daemon.sh start | tail -n 1)"
  own_daemon=1
fi
export DOCKER_HOST
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-commerce-compose-test}"
export COMPOSE_FILE=docker-compose.yml:docker-compose.standins.yml
export KAFKA_PORT="${COMPOSE_KAFKA_HOST_PORT:-49092}" POSTGRES_HOST_PORT="${COMPOSE_POSTGRES_HOST_PORT:-45432}" REDIS_HOST_PORT="${COMPOSE_REDIS_HOST_PORT:-46379}"
export ORDER_HOST_PORT="${COMPOSE_ORDER_HOST_PORT:-43001}" INVENTORY_HOST_PORT="${COMPOSE_INVENTORY_HOST_PORT:-43002}"
export PAYMENT_HOST_PORT="${COMPOSE_PAYMENT_HOST_PORT:-43003}" SHIPMENT_HOST_PORT="${COMPOSE_SHIPMENT_HOST_PORT:-43004}"
export NOTIFICATION_HOST_PORT="${COMPOSE_NOTIFICATION_HOST_PORT:-43005}" RECONCILIATION_HOST_PORT="${COMPOSE_RECONCILIATION_HOST_PORT:-43006}"
export DASHBOARD_HOST_PORT="${COMPOSE_DASHBOARD_HOST_PORT:-43010}" ZIPKIN_HOST_PORT="${COMPOSE_ZIPKIN_HOST_PORT:-49411}"
export RECONCILIATION_API_KEY="$(openssl rand -hex 24)" DASHBOARD_SESSION_SECRET="$(openssl rand -hex 24)"
export DASHBOARD_OPERATORS="compose-operator:$(openssl rand -hex 16)"
export COMMERCE_API_KEY="$(openssl rand -hex 24)" SERVICES_CALLER_KEY="$(openssl rand -hex 24)"
key_hash() { printf %s "$1" | sha256sum | cut -c1-64; }
export SERVICE_API_KEYS="operator:write:$(key_hash "$COMMERCE_API_KEY"),reconciliation:write:$(key_hash "$SERVICES_CALLER_KEY")"

cleanup() {
  local rc=$?
  if [ $rc -ne 0 ] && docker-compose ps -q > /dev/null 2>&1; then
    mkdir -p test-artifacts/compose && docker-compose logs --no-color > test-artifacts/compose/compose.log 2>&1 || true
    echo "[compose] failed: the containers' logs are in test-artifacts/compose/compose.log" >&2
  fi
  phase "docker-compose down -v"
  docker-compose down -v --remove-orphans > /dev/null 2>&1 || true
  if [ -n "$own_daemon" ]; then phase "stopping the private daemon"; bash tools/docker/daemon.sh stop; fi
  phase "finished (exit $rc)"
}
trap cleanup EXIT

phase "stand-in base images"
bash tools/docker/base-images.sh
phase "production image context"
node tools/compose/image-context.mjs
phase "docker-compose build"
# every app service has the same build and image: one build serves them all
docker-compose build --quiet order-service
docker image ls --format '[compose] image {{.Repository}}:{{.Tag}} {{.Size}}' | grep -e commerce-backbone -e commerce-standin

phase "docker-compose up"
docker-compose up -d --no-build
services="$(docker-compose config --services | grep -v '^kafka-topics$')"
deadline=$(( $(date +%s) + ${COMPOSE_HEALTH_TIMEOUT_S:-600} ))
for service in $services; do
  # a service without a health check (zipkin) counts once it runs
  until [ "$(docker inspect -f '{{ if .State.Health }}{{ .State.Health.Status }}{{ else if .State.Running }}healthy{{ end }}' "$(docker-compose ps -q "$service")" 2> /dev/null)" = healthy ]; do
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "[compose] $service is not healthy in time" >&2; exit 1; fi
    sleep 2
  done
done
phase "every service healthy"

npx jest -c tools/compose/jest.compose.cjs --ci --runInBand "$@"
phase "suite passed"
