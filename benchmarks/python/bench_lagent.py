#!/usr/bin/python3
"""llmrt.lagent.GPTAPI next to lagent's own GPTAPI, on the same mock server.

Workloads: a batch of 200 chats (one ``chat`` call with 200 conversations: 20 at once in both)
and one stream of 100,000 chunks (``stream_chat``, every (status, text, None) step consumed).
The mock server runs as its own process; each workload of each implementation runs in a fresh
Python process, so the CPU time (user + system of the whole process, every thread included)
and peak RSS are that workload's alone.

    /usr/bin/python3 benchmarks/python/bench_lagent.py [--build build] [--lagent PATH]

lagent is measured when it is importable: from --lagent PATH (a folder holding the ``lagent``
package), else $LAGENT_PATH, else the interpreter's own path.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Run in the child process: one workload, one implementation; prints one JSON line.
CHILD = r"""
import json, resource, sys, time
impl, workload, url, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if impl.startswith("llmrt"):
    from llmrt.lagent import GPTAPI
else:
    from lagent.llms import GPTAPI
llm = GPTAPI(model_type="gpt-4o-mini", key="sk-bench-aaaaaaaa0000", api_base=url)
llm.chat([{"role": "user", "content": "warm up"}])  # connections, plugins: not measured
wall0, cpu0 = time.perf_counter(), time.process_time()
if workload == "batch":
    replies = llm.chat([[{"role": "user", "content": f"question {i}"}] for i in range(size)])
    units, check = len(replies), all(replies)
elif impl == "llmrt-deltas":
    # llmrt's own event stream: each delta alone, no accumulated text.
    import llmrt
    steps = 0
    for event in llm.model.stream([{"role": "user", "content": "go"}], mock={"chunks": size}):
        steps += isinstance(event, llmrt.Delta)
    units, check = steps, steps == size
else:
    steps = 0
    go = [{"role": "user", "content": "go"}]
    for status, text, _ in llm.stream_chat(go, mock={"chunks": size}):
        steps += 1
    units, check = steps - 1, int(status) == 0 and steps - 1 == size and len(text) > size
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "units": units, "ok": bool(check), "rss_mb": rss}))
"""


def start_mock(llmrt_bin: Path) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [str(llmrt_bin), "mock-server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not match:
        proc.kill()
        sys.exit(f"bench_lagent: the mock server did not say its port: {line!r}")
    return proc, int(match.group(1))


def run_child(impl: str, workload: str, url: str, size: int, pythonpath: str) -> dict:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, impl, workload, url, str(size)],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"bench_lagent: {impl} {workload} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        sys.exit(f"bench_lagent: {impl} {workload}: wrong replies")
    return result


def lagent_path(given: str | None) -> str | None:
    path = given or os.environ.get("LAGENT_PATH")
    probe = subprocess.run(
        [sys.executable, "-c", "import lagent.llms"],
        env=dict(os.environ, PYTHONPATH=path or ""),
        capture_output=True,
    )
    if probe.returncode != 0:
        return None
    return path or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(REPO / "build"), help="llmrt's build folder")
    parser.add_argument("--lagent", help="folder holding the lagent package")
    parser.add_argument("--batch", type=int, default=200, help="chats in the batch")
    parser.add_argument("--chunks", type=int, default=100000, help="chunks in the stream")
    args = parser.parse_args()

    build = Path(args.build)
    lagent = lagent_path(args.lagent)
    impls = [("llmrt", str(build / "python"))]
    if lagent is None:
        print("lagent is not importable (give --lagent PATH): llmrt only", file=sys.stderr)
    else:
        impls.append(("lagent", lagent))

    mock, port = start_mock(build / "bin" / "llmrt")
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    try:
        rows = []
        workloads = (("batch", args.batch, "chats"), ("stream", args.chunks, "chunks"))
        for workload, size, unit in workloads:
            for impl, path in impls:
                r = run_child(impl, workload, url, size, path)
                rows.append((workload, size, unit, impl, r))
        # Where a lagent stream's time goes: the same stream as llmrt's own deltas, without the
        # whole text so far that lagent's API hands out with every chunk.
        r = run_child("llmrt-deltas", "stream", url, args.chunks, impls[0][1])
        deltas = "llmrt, Model.stream deltas (not lagent's API)"
        rows.append(("stream", args.chunks, "chunks", deltas, r))
    finally:
        mock.terminate()
        mock.wait()

    print("| workload | implementation | wall time | process CPU time | CPU per unit | peak RSS |")
    print("|---|---|---|---|---|---|")
    for workload, size, unit, impl, r in rows:
        label = f"{size:,} {unit}" if workload == "batch" else f"one stream of {size:,} chunks"
        per_unit = r["cpu"] / r["units"] * 1e6
        print(
            f"| {label} | {impl} | {r['wall']:.3f} s | {r['cpu']:.3f} s | {per_unit:.1f} µs "
            f"| {r['rss_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
