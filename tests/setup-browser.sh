#!/usr/bin/env bash
# Browser tests need Debian's Chromium and axe-core (npm). Install them where missing; nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup-browser: chromium is missing and this user cannot apt-get install it; browser tests will be skipped" >&2
  fi
fi
AXE=.venv/axe
if [ ! -f "$AXE/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$AXE"
  npm install --silent --no-audit --no-fund --prefix "$AXE" axe-core@4.14.1 >/dev/null
fi
