#!/usr/bin/env bash
# Runs the C API's example (examples/c/stream_chat.c) against `llmrt mock-server`: a streamed
# reply, an HTTP error and a stream cut in the middle, each with its output and exit code.
# Usage: c_example_test.sh LLMRT_COMMAND EXAMPLE
set -euo pipefail
llmrt=$1
example=$2
work=$(mktemp -d)
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "c_example_test: $*" >&2; exit 1; }

"$llmrt" mock-server --port 0 >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/mock.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/mock.log" | head -n 1)
[ -n "$url" ] || fail "the mock server did not start: $(cat "$work/mock.log")"

# Runs the example; its exit code in $code, its output in $work/out and $work/err.
run() {
  code=0
  "$example" "$@" >"$work/out" 2>"$work/err" || code=$?
}
expect() {  # FILE PATTERN
  grep -q -- "$2" "$work/$1" || fail "no '$2' in the $1 of '$example ${args[*]}': $(cat "$work/out" "$work/err")"
}

echo "== a streamed reply"
args=("$url/v1")
run "${args[@]}"
[ "$code" = 0 ] || fail "exit $code: $(cat "$work/out" "$work/err")"
expect out "^Hello! This reply comes from the llmrt mock server"
expect out "^finish: stop$"
expect out "^tokens: [0-9]* prompt, [0-9]* completion$"
[ ! -s "$work/err" ] || fail "stderr: $(cat "$work/err")"

echo "== an HTTP error: kind and status"
args=("$url/v1" '{"mock": {"status": 429}}')
run "${args[@]}"
[ "$code" = 1 ] || fail "exit $code: $(cat "$work/out" "$work/err")"
expect err "^llmrt_stream_open failed: rate_limited (provider openai, HTTP 429"
expect err "^kind: rate_limited$"
expect err "^http status: 429$"

echo "== a stream cut in the middle: the partial reply"
args=("$url/v1" '{"mock": {"cut_after": 4}}')
run "${args[@]}"
[ "$code" = 1 ] || fail "exit $code: $(cat "$work/out" "$work/err")"
expect out "^Hello! This reply $"
expect err "^the stream failed: network"
expect err "^kind: network$"
expect err "^partial reply: Hello! This reply $"
echo "c_example_test: all good"
