#!/usr/bin/env bash
# The compose test's own Docker daemon, apart from any system one: its data-root, exec-root, pid file
# and unix socket live under .infra/docker/ (git-ignored), so no other checkout's `docker` (nor
# `infra up`, which looks at /var/run/docker.sock) ever sees it.
#
#   bash tools/docker/daemon.sh start   installs docker.io when missing, starts the daemon, prints DOCKER_HOST
#   bash tools/docker/daemon.sh stop    stops the daemon this script started (by its pid file), nothing else
#
# No default docker0 bridge (compose makes its own network) and its own address pool, so a second
# daemon on the machine does not collide with this one.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR="${COMPOSE_DOCKER_DIR:-$PWD/.infra/docker}"
SOCK="$DIR/run/docker.sock"
PIDFILE="$DIR/run/dockerd.pid"
export DOCKER_HOST="unix://$SOCK"

install_engine() {
  command -v dockerd > /dev/null 2>&1 && command -v docker-compose > /dev/null 2>&1 && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get > /dev/null 2>&1; then
    echo "[docker] dockerd or docker-compose missing: install them (sudo apt-get install docker.io docker-compose)" >&2
    exit 1
  fi
  # apt must not start the system daemon on /var/run/docker.sock: a policy-rc.d that refuses
  # every service start, ours only for the install and only when none was there.
  local policy=/usr/sbin/policy-rc.d ours=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && ours=1; fi
  echo "[docker] installing Debian packages: docker.io docker-compose"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 docker.io docker-compose > /dev/null
  [ -n "$ours" ] && rm -f "$policy"
  # a daemon started anyway (no policy-rc.d honoured) is stopped: this test uses its own
  if [ -S /var/run/docker.sock ] && command -v systemctl > /dev/null 2>&1; then systemctl stop docker.socket docker.service 2>/dev/null || true; fi
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2> /dev/null; }

start() {
  install_engine
  mkdir -p "$DIR/data" "$DIR/exec" "$DIR/run"
  if ! running; then
    dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$PIDFILE" -H "$DOCKER_HOST" \
      --bridge none --default-address-pool base=10.213.0.0/16,size=24 --storage-driver overlay2 \
      > "$DIR/dockerd.log" 2>&1 &
    # dockerd writes its pid file itself once it is up; until then $! is the pid to watch
    echo $! > "$PIDFILE.starting"
  fi
  for _ in $(seq 1 60); do
    if docker version > /dev/null 2>&1; then rm -f "$PIDFILE.starting"; echo "$DOCKER_HOST"; return 0; fi
    if [ -f "$PIDFILE.starting" ] && ! kill -0 "$(cat "$PIDFILE.starting")" 2> /dev/null; then break; fi
    sleep 1
  done
  echo "[docker] the daemon did not answer on $SOCK; last lines of $DIR/dockerd.log:" >&2
  tail -n 20 "$DIR/dockerd.log" >&2
  exit 1
}

stop() {
  local pid
  pid="$(cat "$PIDFILE" 2> /dev/null || cat "$PIDFILE.starting" 2> /dev/null || true)"
  [ -n "$pid" ] || return 0
  # only a dockerd whose command line names our socket is ours to stop
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -q -- "$SOCK"; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
  fi
  rm -f "$PIDFILE" "$PIDFILE.starting"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
