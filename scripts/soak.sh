#!/usr/bin/env bash
# The soak test (not in the default suite): 1,000 concurrent streams for SECONDS (default 300)
# against the mock server with 5 % injected faults; prints calls, errors by kind and RSS.
#   scripts/soak.sh [SECONDS] [STREAMS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" >/dev/null
ulimit -n 8192 2>/dev/null || true  # 1,000 client sockets and as many on the server side
exec "${LLMRT_BUILD_DIR:-$root/build}/bin/soak_test" "${1:-300}" "${2:-1000}"
