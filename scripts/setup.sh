#!/usr/bin/env bash
# Installs what the project needs on a fresh clone: the pinned pnpm's dependencies and, for browser
# tests, Chromium (Debian's package, as root) unless CHROME_PATH points at a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM="npx -y pnpm@10.34.8"
export COREPACK_ENABLE_STRICT=0

if [ "${1:-}" = "--browser" ] && [ -z "${CHROME_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: no Chromium found: install it (Debian: apt-get install chromium) or set CHROME_PATH" >&2
    exit 1
  fi
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  $PNPM install --frozen-lockfile --reporter=append-only
fi
node scripts/gen-shaders.mjs
