#!/usr/bin/env bash
# The whole test suite: set up and build if needed, then every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LLMRT_BUILD_DIR:-$root/build}
# The developers' and CI's command: a new warning fails the build.
LLMRT_WERROR=${LLMRT_WERROR:-ON} "$root/scripts/setup.sh"
ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 300
