#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, the "fuzz" preset) and runs each for SECONDS
# (default 60), seeded from tests/data and fuzz/seeds. Inputs that once crashed a target are
# kept in fuzz/regressions/<target>/ and replayed first. A crash fails the script and leaves
# its input in build-fuzz/crashes/.
# The seed is fixed (FUZZ_SEED, default 1) so that a run explores the same inputs in the same
# order wherever it runs: CI's result can be reproduced. Set FUZZ_SEED=0 for a random one.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-60}}
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" >/dev/null

# The SDK is linked, on purpose, into the core and into every self-contained plugin: the same
# (identical) vtables live in several modules. Level 1 still reports globals whose definitions
# differ in size; level 2 would report these copies too.
export ASAN_OPTIONS="detect_odr_violation=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

declare -A seeds=(
  [sse_fuzz]="tests/data/openai tests/data/qwen tests/data/internlm tests/data/anthropic tests/data/gemini"
  [stream_decoder_fuzz]="tests/data/openai tests/data/qwen tests/data/internlm tests/data/anthropic tests/data/gemini tests/data/ollama fuzz/seeds/stream"
  [response_fuzz]="fuzz/seeds/response"
  [meta_template_fuzz]="fuzz/seeds/meta_template"
  [config_fuzz]="fuzz/seeds/config"
  [param_fuzz]="fuzz/seeds/params"
  [json_depth_fuzz]="fuzz/seeds/json_depth"
  [json_reader_fuzz]="fuzz/seeds/json_reader fuzz/seeds/response fuzz/seeds/config"
  [json_scanner_fuzz]="fuzz/seeds/json_reader fuzz/seeds/chunks"
  [chunk_reader_fuzz]="fuzz/seeds/chunks"
  [completion_reader_fuzz]="fuzz/seeds/completions"
  [content_decoder_fuzz]="fuzz/seeds/content"
)
mkdir -p build-fuzz/crashes
# One target per core at a time (each fuzzer is one process on one core): every target still
# gets SECONDS, and the whole run takes SECONDS times the targets over the cores.
fuzz_target() {
  local target=$1 bin="build-fuzz/bin/$1" corpus="build-fuzz/corpus/$1" log="build-fuzz/$1.log"
  local result="build-fuzz/$1.result" failed=0
  : >"$result"
  if [ -d "fuzz/regressions/$target" ]; then
    "$bin" fuzz/regressions/"$target"/* >/dev/null 2>&1 ||
      { echo "$target: a kept regression input fails again" >>"$result"; failed=1; }
  fi
  mkdir -p "$corpus"
  # shellcheck disable=SC2086
  if "$bin" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/crashes/$target-" "$corpus" ${seeds[$target]} >"$log" 2>&1; then
    runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -n 1 | awk '{print $2}')
    printf "%-22s %10s executions in %s s, no crash\n" "$target" "${runs:-?}" "$seconds" >>"$result"
  else
    { echo "$target: CRASH — see $log and build-fuzz/crashes/"; tail -n 30 "$log"; } >>"$result"
    failed=1
  fi
  return $failed
}
targets=(sse_fuzz stream_decoder_fuzz response_fuzz meta_template_fuzz config_fuzz param_fuzz
         json_depth_fuzz json_reader_fuzz json_scanner_fuzz chunk_reader_fuzz completion_reader_fuzz
         content_decoder_fuzz)
jobs=$(nproc)
status=0
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_target "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
for target in "${targets[@]}"; do cat "build-fuzz/$target.result"; done
exit $status
