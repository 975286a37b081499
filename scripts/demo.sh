#!/usr/bin/env bash
# `npm run demo`: install with the pinned pnpm, build the packages, serve the playground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -b
cd apps/playground
exec npx vite --host 127.0.0.1 --port "${PORT:-5173}" --strictPort
