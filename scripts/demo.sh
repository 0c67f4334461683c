#!/usr/bin/env bash
# The main job: set up and build if needed, then `llmrt demo` — the built-in mock provider
# server on 127.0.0.1 and a streamed chat through each provider plugin. No network, no key.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build's own output is hidden; say what is happening, since a first build takes minutes.
if [ ! -x "${LLMRT_BUILD_DIR:-$root/build}/bin/llmrt" ]; then
  echo "llmrt demo: first run: installing what is missing and building (a few minutes)..." >&2
fi
"$root/scripts/setup.sh" >/dev/null
exec "${LLMRT_BUILD_DIR:-$root/build}/bin/llmrt" demo
