#!/usr/bin/env bash
# llmrt next to what users would pick instead, on the same mock server in the same run:
# the official OpenAI Node SDK (pinned by package-lock.json), wrk (the HTTP ceiling for
# non-streamed requests) and curl (the ceiling for draining one stream).
#   benchmarks/peers/run_peers.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LLMRT_BUILD_DIR:-$root/build}

"$root/scripts/setup.sh" >/dev/null
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null
fi
[ -d "$here/node_modules/openai" ] || (cd "$here" && npm ci --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
"$build/bin/llmrt" mock-server --port 0 --max-threads 1100 >"$work/mock.log" 2>&1 &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/mock.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/mock.log" | head -n 1)

workloads=(chat_c1 chat_c20 stream_100k streams_20x5k)
declare -A llmrt node
for w in "${workloads[@]}"; do
  llmrt[$w]=$("$build/bin/e2e_bench" --workload "$w" --url "$url")
  node[$w]=$(node "$here/node_bench.mjs" "$url" "$w")
done

# wrk: the same request body, one connection and twenty.
body='{"model":"bench-model","messages":[{"role":"user","content":"How fast is llmrt?"}],"mock":{"chunks":16}}'
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-key"
LUA
wrk_rate() {  # connections threads
  wrk -t"$2" -c"$1" -d3s -s "$work/post.lua" "$url/v1/chat/completions" |
    awk '/Requests\/sec/ {print $2}'
}
wrk_c1=$(wrk_rate 1 1)
wrk_c20=$(wrk_rate 20 2)

# curl: one stream of 100,000 chunks drained to /dev/null.
stream_body='{"model":"bench-model","messages":[{"role":"user","content":"How fast is llmrt?"}],"stream":true,"mock":{"chunks":100000,"events_per_flush":64}}'
start=$(date +%s.%N)
bytes=$(curl -sN -X POST "$url/v1/chat/completions" -H 'Content-Type: application/json' \
  -d "$stream_body" | wc -c)
curl_wall=$(echo "$(date +%s.%N) - $start" | bc -l)

field() { grep -o "\"$2\":[0-9.e+-]*" <<<"$1" | cut -d: -f2; }
per_unit() { echo "scale=3; $(field "$1" cpu_s) * 1000000 / $(field "$1" units)" | bc -l; }
rate() { echo "scale=0; $(field "$1" units) / $(field "$1" wall_s)" | bc -l; }

printf "\n%-15s %-22s %14s %16s %12s %10s\n" workload client "units/s" "CPU µs/unit" "peak MB" errors
for w in "${workloads[@]}"; do
  for who in llmrt node; do
    if [ $who = llmrt ]; then line=${llmrt[$w]}; name="llmrt (C++)"; else line=${node[$w]}; name="openai Node SDK"; fi
    printf "%-15s %-22s %14s %16s %12.1f %10s\n" "$w" "$name" "$(rate "$line")" "$(per_unit "$line")" \
      "$(field "$line" peak_rss_mb)" "$(field "$line" errors)"
  done
  printf "%-15s %-22s %14s %16s\n" "" "ratio (Node/llmrt)" \
    "$(echo "scale=2; $(rate "${llmrt[$w]}") / $(rate "${node[$w]}")" | bc -l)× faster" \
    "$(echo "scale=1; $(per_unit "${node[$w]}") / $(per_unit "${llmrt[$w]}")" | bc -l)× less CPU"
done
printf "\nceilings on the same server:\n"
printf "  wrk, 1 connection:    %s requests/s (llmrt chat_c1: %s, %s%%)\n" "$wrk_c1" \
  "$(rate "${llmrt[chat_c1]}")" "$(echo "scale=0; 100 * $(rate "${llmrt[chat_c1]}") / $wrk_c1" | bc -l)"
printf "  wrk, 20 connections:  %s requests/s (llmrt chat_c20: %s, %s%%)\n" "$wrk_c20" \
  "$(rate "${llmrt[chat_c20]}")" "$(echo "scale=0; 100 * $(rate "${llmrt[chat_c20]}") / $wrk_c20" | bc -l)"
printf "  curl -sN | wc -c:     %s bytes of 100,000 chunks in %.3f s = %s chunks/s (llmrt stream_100k: %s)\n" \
  "$bytes" "$curl_wall" "$(echo "scale=0; 100000 / $curl_wall" | bc -l)" "$(rate "${llmrt[stream_100k]}")"
