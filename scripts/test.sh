#!/usr/bin/env bash
# `npm test`: install, type-check/build, lint, format check, then every test suite, with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export CHROME_PATH="${CHROME_PATH:-$(command -v chromium || true)}"

echo "== type-check and build"
npx tsc -b
npx tsc -p tsconfig.test.json
node scripts/check-readme-types.mjs
node scripts/check-api-examples.mjs
npx tsc -p apps/playground
npx tsc -p e2e
npx tsc -p bench
npx tsc -p bench/tsconfig.node.json
npx tsc -p bench/tsconfig.webdl.json
echo "== lint"
npx eslint . --max-warnings 0
echo "== format"
npx prettier --check . --log-level warn

mkdir -p test-results
status=0
# Suites whose runner exited non-zero (a run can fail with 0 failed tests, e.g. on an unhandled rejection).
failed_suites=''
echo "== unit tests (Node: CPU backend, and WebGPU through Dawn on SwiftShader)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/node.json || { status=1; failed_suites+=' node'; }
if [ -f vitest.browser.config.ts ]; then
  echo "== browser tests (headless Chromium, WebGPU on SwiftShader)"
  npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json=test-results/browser.json || { status=1; failed_suites+=' browser'; }
fi
if [ -f e2e/playwright.config.ts ]; then
  echo "== end-to-end tests (playground)"
  (cd e2e && npx playwright test) > >(tee test-results/e2e.log) || { status=1; failed_suites+=' e2e'; }
fi
echo "== fresh-app test (pack every package, install the tarballs into new apps, Node + Vite/Chromium)"
node scripts/fresh-app.mjs || { status=1; failed_suites+=' fresh-app'; }
node scripts/summarize-tests.mjs test-results $failed_suites
exit $status
