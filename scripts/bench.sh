#!/usr/bin/env bash
# `npm run bench`: installs what a fresh clone lacks, then runs the WebGPU benchmark (bench/run.mjs).
# Env: BENCH_QUICK=1 (fewer iterations), CHROME_PATH (browser; default: chromium on PATH, else
# /usr/bin/chromium), BENCH_LIBS=webdl,tfjs,jax, BENCH_CASES=matmul1024,chain,... (see bench/report.mjs),
# BENCH_SWIFTSHADER=1|0 (force or forbid SwiftShader), BENCH_HEADLESS=0, BENCH_VERBOSE=1, BENCH_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f scripts/setup.sh ]; then
  # The project's installer: pinned pnpm install when node_modules is missing or stale, Debian's
  # Chromium when no browser is found (as root), and the generated WGSL module.
  bash scripts/setup.sh --browser
else
  if [ ! -d node_modules/.pnpm ]; then
    npx -y pnpm@10.34.8 install --frozen-lockfile
  fi
  if [ -f scripts/gen-shaders.mjs ]; then node scripts/gen-shaders.mjs; fi
fi

export CHROME_PATH="${CHROME_PATH:-$(command -v chromium || echo /usr/bin/chromium)}"
exec node bench/run.mjs "$@"
