#!/usr/bin/env bash
# Installs node_modules when missing or older than package-lock.json (what `npm start` and `npm test` run first).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
