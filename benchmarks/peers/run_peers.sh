#!/usr/bin/env bash
# llmrt next to its ceilings and to what users would pick instead, on the same mock server:
# the wire itself (wrk for non-streamed requests, a raw keep-alive client sending llmrt's bytes,
# a minimal stream reader), and the official OpenAI Node SDK (pinned by package-lock.json).
# Three runs (RUNS=N for another count); each figure is printed as the median with the spread.
#   benchmarks/peers/run_peers.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LLMRT_BUILD_DIR:-$root/build}
runs=${RUNS:-3}

"$root/scripts/setup.sh" >/dev/null
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null
fi
[ -d "$here/node_modules/openai" ] || (cd "$here" && npm ci --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
# One connection per stream of streams_5000x200, and a file descriptor for each.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$build/bin/llmrt" mock-server --port 0 --max-threads 6000 >"$work/mock.log" 2>&1 &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/mock.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/mock.log" | head -n 1)

# The mock server's CPU seconds so far (user + system), to show it is not the bottleneck, and
# since an earlier reading.
ticks=$(getconf CLK_TCK)
mock_cpu() { awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$mock_pid/stat"; }
mock_cpu_since() { awk -v a="$(mock_cpu)" -v b="$1" 'BEGIN { printf "%.3f", a - b }'; }

llmrt_workloads=(chat_c1 raw_c1 paired_c1 chat_c20 chat_c20_kept chat_c20_one_loop raw_c20 stream_100k stream_ceiling streams_20x5k ttft
  streams_5000x200 cli_stream_100mb cli_events_100mb
  load_c1 load_c2 load_c4 load_c8 load_c16 load_c32 load_c64)
node_workloads=(chat_c1 chat_c20 stream_100k streams_20x5k)

# wrk: the same request body as the workloads.
body='{"model":"bench-model","messages":[{"role":"user","content":"How fast is llmrt?"}],"mock":{"chunks":16}}'
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-key"
LUA
# One JSON line: the rate and p99 wrk reports for CONNECTIONS over SECONDS, wrk's own CPU
# (user + system, bash's `time`) for the requests it made: the floor of a client's cost, and the
# mock server's CPU meanwhile, beside what it costs under llmrt (the server is the larger consumer
# of the two cores: a client that made it work harder would lose rate without using more CPU).
# With a fourth argument, wrk runs on those cores only.
wrk_line() {  # name connections seconds [cores]
  local threads=$(($2 < 2 ? $2 : 2))
  local TIMEFORMAT='%U %S'
  local before
  local pin=()
  [ -n "${4:-}" ] && pin=(taskset -c "$4")
  before=$(mock_cpu)
  { time "${pin[@]}" wrk -t"$threads" -c"$2" -d"$3"s --latency -s "$work/post.lua" \
    "$url/v1/chat/completions" >"$work/wrk.out"; } 2>"$work/wrk.time" ||
    { echo "wrk failed: $(cat "$work/wrk.out" "$work/wrk.time")" >&2; exit 1; }
  local after
  after=$(mock_cpu)  # on its own line: a failed read stops the script (set -e)
  awk -v name="$1" -v cpu="$(tail -n 1 "$work/wrk.time")" -v mock="$after" -v before="$before" '
      function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; return v * 1e6 }
      /requests in/ { units = $1 }
      /Requests\/sec/ { rate = $2 }
      $1 == "99%" { p99 = us($2) }
      END { split(cpu, t, " ")
            printf "{\"workload\":\"%s\",\"rate\":%s,\"p99_us\":%s,\"units\":%s,\"cpu_s\":%.3f,\"mock_cpu_s\":%.3f,\"errors\":0}\n",
                   name, rate, p99, units, t[1] + t[2], mock - before }' \
    "$work/wrk.out"
}

# The cores this script may use, one per word ("0-2,5" is 0 1 2 5).
command -v taskset >/dev/null || { echo "run_peers.sh needs taskset (util-linux)" >&2; exit 1; }
cores=()
IFS=, read -ra spans <<<"$(taskset -cp $$ | sed 's/.*: //')"
for span in "${spans[@]}"; do
  for ((c = ${span%-*}; c <= ${span#*-}; c++)); do cores+=("$c"); done
done
# The mock server's threads (those it starts later too) on one core; unpin_mock puts back its
# own mask, whatever it was.
pin_mock() {  # core
  mock_mask=$(taskset -p "$mock_pid" | sed 's/.*: //')
  taskset -a -p -c "$1" "$mock_pid" >/dev/null
}
unpin_mock() { taskset -a -p "$mock_mask" "$mock_pid" >/dev/null; }
# One e2e_bench workload with the mock server on one core and llmrt on another (or the same),
# its line relabelled WORKLOAD_SUFFIX.
pinned() {  # suffix mock_core client_core workload
  local line before used
  pin_mock "$2"
  before=$(mock_cpu)
  line=$(taskset -c "$3" "$build/bin/e2e_bench" --workload "$4" --url "$url")
  used=$(mock_cpu_since "$before")
  unpin_mock
  [[ $line == *"\"workload\":\"$4\""* ]] || { echo "$4 printed: $line" >&2; exit 1; }
  line=${line/\"$4\"/\"${4}_${1}\"}
  echo "${line%\}},\"mock_cpu_s\":$used}"
}

for run in $(seq "$runs"); do
  dir="$work/run$run"
  mkdir -p "$dir"
  echo "run $run of $runs" >&2
  for w in "${llmrt_workloads[@]}"; do
    before=$(mock_cpu)
    line=$("$build/bin/e2e_bench" --workload "$w" --url "$url")
    used=$(mock_cpu_since "$before")
    echo "${line%\}},\"mock_cpu_s\":$used}" >>"$dir/llmrt.jsonl"
  done
  # paired_c1 once more with the mock server and the client on one core: then where the kernel
  # runs the server's thread does not decide the figure, and what is left is llmrt's own.
  pinned one_core "${cores[0]}" "${cores[0]}" paired_c1 >>"$dir/llmrt.jsonl"
  # And with the server apart from its clients, as gateway benchmarks run them: the mock server
  # on one core, llmrt, the raw client and wrk on the other. Neither takes CPU from the other
  # and no thread's placement is left to the kernel. With the server on one core its rate is
  # everyone's ceiling: these rates say whether a client keeps up with it, not what it costs.
  if ((${#cores[@]} >= 2)); then
    for w in paired_c1 chat_c20 raw_c20; do
      pinned apart "${cores[0]}" "${cores[1]}" "$w" >>"$dir/llmrt.jsonl"
    done
    pin_mock "${cores[0]}"
    wrk_line wrk_c20_apart 20 3 "${cores[1]}" >>"$dir/wire.jsonl"
    unpin_mock
  fi
  for w in "${node_workloads[@]}"; do
    node "$here/node_bench.mjs" "$url" "$w" >>"$dir/node.jsonl"
  done
  wrk_line wrk_c1 1 3 >>"$dir/wire.jsonl"
  wrk_line wrk_c20 20 3 >>"$dir/wire.jsonl"
  for c in 1 2 4 8 16 32 64; do wrk_line "wrk_load_c$c" "$c" 2 >>"$dir/wire.jsonl"; done
done

# KEEP=DIR keeps the runs' JSON lines (report.py DIR/run* prints the tables again).
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp -r "$work"/run* "$KEEP"/; fi
/usr/bin/python3 "$here/report.py" "$work"/run*
