#!/usr/bin/env bash
# Debian packages the test suites use: Chromium (the dashboard's browser test drives it through
# playwright-core, no browser download), docker-compose (validates docker-compose.yml; no engine needed)
# and prometheus for its promtool (checks docs/alerts.yml).
# Installs what is missing when we are root with apt; otherwise says what to do.
set -euo pipefail
missing=()
if ! { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; } && ! command -v chromium > /dev/null 2>&1; then
  missing+=(chromium)
fi
command -v docker-compose > /dev/null 2>&1 || missing+=(docker-compose)
command -v promtool > /dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null 2>&1; then
  echo "[deps] installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
  exit 0
fi
echo "[deps] missing: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}), or set CHROMIUM_PATH to a Chromium binary" >&2
exit 1
