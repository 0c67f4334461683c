#!/usr/bin/env bash
# Installs llmrt with its Python package for Debian's /usr/bin/python3: the Debian packages and
# the build (scripts/setup.sh), then `cmake --install` into $LLMRT_PREFIX (default /usr/local):
# the core library, the plugins, the tokenizer data, the llmrt command, and the llmrt package
# in lib/python3.X/dist-packages, where Debian's python3 looks for locally installed packages.
# Ends by importing the package from outside the source tree and loading the installed plugins.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LLMRT_BUILD_DIR:-$root/build}
prefix=${LLMRT_PREFIX:-/usr/local}

"$root/scripts/setup.sh"
# A build folder configured before pybind11-dev was installed has the package turned off.
cmake -S "$root" -B "$build" -DLLMRT_PYTHON=ON >/dev/null
cmake --build "$build" --parallel "$(nproc)"

sudo=""
if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
$sudo cmake --install "$build" --prefix "$prefix" >/dev/null

site="$prefix/$(sed -n 's/^LLMRT_PYTHON_INSTALL_DIR:STRING=//p' "$build/CMakeCache.txt")"
# A prefix Debian's python3 does not search by itself needs PYTHONPATH.
if ! /usr/bin/python3 -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' "$site"; then
  echo "llmrt: $site is not on python3's path: use PYTHONPATH=$site" >&2
  export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
fi
cd /tmp
/usr/bin/python3 - <<'PY'
import llmrt
runtime = llmrt.Runtime()
names = [p["name"] for p in runtime.plugins]
assert "openai" in names, f"no openai plugin found: {runtime.load_errors}"
print(f"llmrt installed: {llmrt.__file__} (plugins: {', '.join(names)})")
PY
