#!/usr/bin/env bash
# Installs the Debian packages llmrt needs (only those missing, quietly), then configures and
# builds it in build/ (or $LLMRT_BUILD_DIR). Safe to run again: it redoes only what changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LLMRT_BUILD_DIR:-$root/build}

packages=(
  g++ cmake make pkg-config
  libpoco-dev libssl-dev zlib1g-dev rapidjson-dev libboost-dev libboost-context-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpcre2-dev
  openssl tinyproxy  # the TLS tests make a CA with openssl; the proxy tests run tinyproxy
  # the Python package: its extension, and its tests on Debian's python3
  pybind11-dev python3-dev python3-pytest python3-pytest-asyncio
)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
# The tokenizer's rank files come from the npm tiktoken package. A Node.js that brings its own
# npm (as some distributions of it do) is used as it is.
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then missing+=(nodejs npm); fi
if ((${#missing[@]})); then
  echo "llmrt setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Warnings are errors only when asked (scripts/test.sh and CI ask); unset, the build folder keeps
# what it was configured with.
werror=()
if [ -n "${LLMRT_WERROR:-}" ]; then werror=(-DLLMRT_WERROR="$LLMRT_WERROR"); fi
# A new build folder is compiled in unity batches: a fresh build (a new machine, CI's clean
# clone) takes half the CPU time. A folder already configured keeps its choice, so a developer
# who set LLMRT_UNITY_BUILD=OFF for quick one-file rebuilds keeps it; the variable overrides both.
unity=()
if [ -n "${LLMRT_UNITY_BUILD:-}" ]; then
  unity=(-DLLMRT_UNITY_BUILD="$LLMRT_UNITY_BUILD")
elif [ ! -f "$build/CMakeCache.txt" ]; then
  unity=(-DLLMRT_UNITY_BUILD=ON)
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${LLMRT_BUILD_TYPE:-RelWithDebInfo}" \
  "${werror[@]}" "${unity[@]}" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
