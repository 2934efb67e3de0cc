#!/usr/bin/env bash
# The browser test drives Debian's Chromium through playwright-core (no browser download).
# Installs it when missing and we are root with apt; otherwise says what to do.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then exit 0; fi
if command -v chromium > /dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null 2>&1; then
  echo "[deps] installing Debian's chromium for the browser test (apt-get install chromium)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  exit 0
fi
echo "[deps] no Chromium: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary" >&2
exit 1
