#!/usr/bin/env bash
# Lines of provider logic per plugin: the non-blank lines of its sources that are not only a
# comment (tests and recorded data live elsewhere and are not counted). Issue 15 holds each new
# plugin to 250.
#   scripts/plugin_lines.sh [PLUGIN_DIR ...]    (default: every plugins/*/ and the template)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dirs=("$@")
if ((${#dirs[@]} == 0)); then dirs=(plugins/*/ examples/plugin_template/); fi
for dir in "${dirs[@]}"; do
  files=$(find "$dir" \( -name '*.cpp' -o -name '*.h' \) -not -path '*/cases/*' | sort)
  [ -n "$files" ] || continue
  # shellcheck disable=SC2086
  count=$(cat $files | grep -vE '^\s*$' | grep -vE '^\s*//' | wc -l)
  printf '%5d  %s\n' "$count" "${dir%/}"
done
