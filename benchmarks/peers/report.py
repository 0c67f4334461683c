#!/usr/bin/env python3
"""Prints run_peers.sh's tables from the JSON lines of its runs.

    report.py RUN_DIR...      each RUN_DIR holds llmrt.jsonl, node.jsonl and wire.jsonl

Every figure is the median of the runs, with the spread (lowest–highest) beside it; a ratio
is taken within each run (same server, same minute) and then its median.
"""
import json
import statistics
import sys
from pathlib import Path


def load(run_dir):
    figures = {}
    for name in ("llmrt", "node", "wire"):
        path = Path(run_dir) / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                record = json.loads(line)
                figures[(name, record["workload"])] = record
    return figures


RUNS = [load(d) for d in sys.argv[1:]]


def values(fn):
    out = []
    for run in RUNS:
        try:
            out.append(fn(run))
        except (KeyError, ZeroDivisionError):
            pass
    return out


def rate(run, who, workload):
    r = run[(who, workload)]
    return r["rate"] if "rate" in r else r["units"] / r["wall_s"]


def cpu_us(run, who, workload):
    r = run[(who, workload)]
    return r["cpu_s"] * 1e6 / r["units"]


def server_us(run, who, workload):
    r = run[(who, workload)]
    return r["mock_cpu_s"] * 1e6 / r["units"]


def busy_cores(run, who, workload):
    """The client's and the server's CPU over the wall time: how much of the machine the pair
    kept busy. At 20 connections the rate is that over their CPU per request."""
    r = run[(who, workload)]
    wall = r["wall_s"] if "wall_s" in r else r["units"] / r["rate"]
    return (r["cpu_s"] + r["mock_cpu_s"]) / wall


def field(run, who, workload, name):
    return run[(who, workload)][name]


def shown(vals, fmt="{:,.0f}", unit=""):
    if not vals:
        return "n/a"
    med = statistics.median(vals)
    text = fmt.format(med) + unit
    if len(vals) > 1:
        text += f" ({fmt.format(min(vals))}–{fmt.format(max(vals))})"
    return text


def verdict(vals, ok):
    if not vals:
        return ""
    return "met" if ok(statistics.median(vals)) else "NOT met"


def row(cells, widths):
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))


def table(title, header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(f"\n{title}")
    print(row(header, widths))
    print(row(["-" * w for w in widths], widths))
    for r in rows:
        print(row(r, widths))


def errors(who, workload):
    return sum(values(lambda r: field(r, who, workload, "errors")))


def targets():
    rows = []
    pct = "{:.0f}"
    # Non-streamed chats, 20 at a time.
    c20 = values(lambda r: rate(r, "llmrt", "chat_c20"))
    c20_ratio = values(lambda r: 100 * rate(r, "llmrt", "chat_c20") / rate(r, "wire", "wrk_c20"))
    rows.append(["chats c20: rate", shown(c20, unit="/s"),
                 "wrk " + shown(values(lambda r: rate(r, "wire", "wrk_c20")), unit="/s"),
                 shown(c20_ratio, pct, " %"), "≥ 90 %", verdict(c20_ratio, lambda v: v >= 90),
                 shown(values(lambda r: rate(r, "node", "chat_c20")), unit="/s")])
    c20_cpu = values(lambda r: cpu_us(r, "llmrt", "chat_c20"))
    rows.append(["chats c20: CPU/request", shown(c20_cpu, "{:.1f}", " µs"),
                 "wrk " + shown(values(lambda r: cpu_us(r, "wire", "wrk_c20")), "{:.1f}", " µs"),
                 "", "≤ 15 µs",
                 verdict(c20_cpu, lambda v: v <= 15),
                 shown(values(lambda r: cpu_us(r, "node", "chat_c20")), "{:.0f}", " µs")])
    # The same twenty on one thread and epoll, nothing but the wire (llmrt's shape before its
    # batch took a loop per core; two here). And what a request cost the mock server under each
    # client: whether one makes it work harder.
    raw_ratio = values(lambda r: 100 * rate(r, "llmrt", "chat_c20") / rate(r, "llmrt", "raw_c20"))
    rows.append(["chats c20: rate, beside raw (one thread)", shown(c20, unit="/s"),
                 "raw " + shown(values(lambda r: rate(r, "llmrt", "raw_c20")), unit="/s"),
                 shown(raw_ratio, pct, " %"), "", "", ""])
    rows.append(["chats c20: CPU/request, beside raw", shown(c20_cpu, "{:.1f}", " µs"),
                 "raw " + shown(values(lambda r: cpu_us(r, "llmrt", "raw_c20")), "{:.1f}", " µs"),
                 "", "", "", ""])
    rows.append(["chats c20: server CPU/request",
                 shown(values(lambda r: server_us(r, "llmrt", "chat_c20")), "{:.1f}", " µs"),
                 "wrk " + shown(values(lambda r: server_us(r, "wire", "wrk_c20")), "{:.1f}", " µs") +
                 ", raw " + shown(values(lambda r: server_us(r, "llmrt", "raw_c20")), "{:.1f}", " µs"),
                 "", "", "", ""])
    # chat_c20 hands each outcome to on_item and keeps none (as `llmrt batch` and a gateway do);
    # chat_batch's default keeps them all to return at the end: shown beside it.
    kept = values(lambda r: 100 * rate(r, "llmrt", "chat_c20_kept") / rate(r, "wire", "wrk_c20"))
    rows.append(["chats c20: rate, every outcome kept",
                 shown(values(lambda r: rate(r, "llmrt", "chat_c20_kept")), unit="/s") + ", " +
                 shown(values(lambda r: cpu_us(r, "llmrt", "chat_c20_kept")), "{:.1f}", " µs"),
                 "wrk", shown(kept, pct, " %"), "", "", ""])
    # The batch on the calling thread's loop alone (BatchOptions::threads = 1, the library's
    # default): the client's work on one core, lighter a request, idler cores.
    one_loop = values(lambda r: 100 * rate(r, "llmrt", "chat_c20_one_loop") /
                      rate(r, "wire", "wrk_c20"))
    rows.append(["chats c20: rate, one loop",
                 shown(values(lambda r: rate(r, "llmrt", "chat_c20_one_loop")), unit="/s") + ", " +
                 shown(values(lambda r: cpu_us(r, "llmrt", "chat_c20_one_loop")), "{:.1f}", " µs") +
                 ", busy " +
                 shown(values(lambda r: busy_cores(r, "llmrt", "chat_c20_one_loop")), "{:.2f}"),
                 "wrk", shown(one_loop, pct, " %"), "", "", ""])
    rows.append(["chats c20: cores busy (client + server)",
                 shown(values(lambda r: busy_cores(r, "llmrt", "chat_c20")), "{:.2f}"),
                 "wrk " + shown(values(lambda r: busy_cores(r, "wire", "wrk_c20")), "{:.2f}") +
                 ", raw " + shown(values(lambda r: busy_cores(r, "llmrt", "raw_c20")), "{:.2f}"),
                 "", "", "", ""])
    rows.append(["chats c20: client preempted per 1,000 requests",
                 shown(values(lambda r: 1000 * field(r, "llmrt", "chat_c20", "involuntary_switches") /
                              r[("llmrt", "chat_c20")]["units"]), "{:.0f}"),
                 "raw " + shown(values(lambda r: 1000 * field(r, "llmrt", "raw_c20",
                                                              "involuntary_switches") /
                                       r[("llmrt", "raw_c20")]["units"]), "{:.0f}"),
                 "", "", "", ""])
    # The server apart from the client (run_peers.sh: the mock server on one core, the client on
    # the other): its one core is then everyone's ceiling, so this says whether a client keeps
    # up with it. Shown, not judged.
    apart = values(lambda r: 100 * rate(r, "llmrt", "chat_c20_apart") /
                   rate(r, "wire", "wrk_c20_apart"))
    rows.append(["chats c20: rate, server apart", shown(values(
                     lambda r: rate(r, "llmrt", "chat_c20_apart")), unit="/s"),
                 "wrk " + shown(values(lambda r: rate(r, "wire", "wrk_c20_apart")), unit="/s") +
                 ", raw " + shown(values(lambda r: rate(r, "llmrt", "raw_c20_apart")), unit="/s"),
                 shown(apart, pct, " %"), "", "", ""])
    rows.append(["chats c20: CPU/request, server apart",
                 shown(values(lambda r: cpu_us(r, "llmrt", "chat_c20_apart")), "{:.1f}", " µs") +
                 ", server " +
                 shown(values(lambda r: server_us(r, "llmrt", "chat_c20_apart")), "{:.1f}", " µs"),
                 "wrk " + shown(values(lambda r: cpu_us(r, "wire", "wrk_c20_apart")), "{:.1f}", " µs") +
                 ", server " +
                 shown(values(lambda r: server_us(r, "wire", "wrk_c20_apart")), "{:.1f}", " µs"),
                 "", "", "", ""])
    # One at a time.
    c1_ratio = values(lambda r: 100 * rate(r, "llmrt", "chat_c1") / rate(r, "wire", "wrk_c1"))
    rows.append(["chats c1: rate", shown(values(lambda r: rate(r, "llmrt", "chat_c1")), unit="/s"),
                 "wrk " + shown(values(lambda r: rate(r, "wire", "wrk_c1")), unit="/s"),
                 shown(c1_ratio, pct, " %"), "≥ 90 %", verdict(c1_ratio, lambda v: v >= 90),
                 shown(values(lambda r: rate(r, "node", "chat_c1")), unit="/s")])
    rows.append(["chats c1: CPU/request",
                 shown(values(lambda r: cpu_us(r, "llmrt", "chat_c1")), "{:.1f}", " µs"),
                 "wrk " + shown(values(lambda r: cpu_us(r, "wire", "wrk_c1")), "{:.1f}", " µs"), "",
                 "", "", shown(values(lambda r: cpu_us(r, "node", "chat_c1")), "{:.0f}", " µs")])
    # Added latency from paired_c1: a raw exchange and a chat() in turn, so that both sides of
    # the difference are taken in the same minutes; then the same with the mock server and the
    # client pinned to one core, and with each on a core of its own (run_peers.sh), where the
    # server thread's placement no longer moves it: shown beside the targets, not judged.
    def added_latency(workload, suffix, goals):
        for p, goal in goals:
            added = values(lambda r, p=p: field(r, "llmrt", workload, f"{p}_us") -
                           field(r, "llmrt", workload, f"raw_{p}_us"))
            raw = values(lambda r, p=p: field(r, "llmrt", workload, f"raw_{p}_us"))
            rows.append([f"chats c1: added latency {p}{suffix}", shown(added, "{:.1f}", " µs"),
                         "raw " + shown(raw, "{:.1f}", " µs"), "",
                         f"≤ {goal} µs" if goal else "",
                         verdict(added, lambda v, g=goal: v <= g) if goal else "", ""])

    added_latency("paired_c1", "", (("p50", 20), ("p99", 50)))
    pairs = values(lambda r: field(r, "llmrt", "paired_c1", "pair_difference_p50_us"))
    rows.append(["chats c1: a chat less the raw exchange beside it, median",
                 shown(pairs, "{:.1f}", " µs"), "", "", "", "", ""])
    added_latency("paired_c1_one_core", ", one core", (("p50", None), ("p99", None)))
    added_latency("paired_c1_apart", ", server apart", (("p50", None), ("p99", None)))
    # The old measure, chat_c1's median less raw_c1's, run one after the other: kept beside the
    # others, not judged, so that sets from before paired_c1 read alike.
    apart = values(lambda r: field(r, "llmrt", "chat_c1", "p50_us") -
                   field(r, "llmrt", "raw_c1", "p50_us"))
    rows.append(["chats c1: chat_c1 p50 less raw_c1 p50, run one after the other",
                 shown(apart, "{:.1f}", " µs"), "", "", "", "", ""])
    for p, goal in (("p50", None), ("p99", 20)):
        over = values(lambda r, p=p: field(r, "llmrt", "ttft", f"overhead_{p}_us"))
        rows.append([f"first token overhead {p}", shown(over, "{:.1f}", " µs"),
                     "TTFT " + shown(values(lambda r, p=p: field(r, "llmrt", "ttft", f"ttft_{p}_us")),
                                     "{:.0f}", " µs"),
                     "", f"≤ {goal} µs" if goal else "",
                     verdict(over, lambda v, g=goal: v <= g) if goal else "", ""])
    # One stream.
    s_ratio = values(lambda r: 100 * rate(r, "llmrt", "stream_100k") /
                     rate(r, "llmrt", "stream_ceiling"))
    rows.append(["one stream: chunks/s", shown(values(lambda r: rate(r, "llmrt", "stream_100k"))),
                 "reader " + shown(values(lambda r: rate(r, "llmrt", "stream_ceiling"))),
                 shown(s_ratio, pct, " %"), "≥ 80 %", verdict(s_ratio, lambda v: v >= 80),
                 shown(values(lambda r: rate(r, "node", "stream_100k")))])
    s_cpu = values(lambda r: cpu_us(r, "llmrt", "stream_100k"))
    rows.append(["one stream: CPU/chunk", shown(s_cpu, "{:.2f}", " µs"),
                 "reader " + shown(values(lambda r: cpu_us(r, "llmrt", "stream_ceiling")),
                                   "{:.2f}", " µs"),
                 "", "≤ 0.35 µs", verdict(s_cpu, lambda v: v <= 0.35),
                 shown(values(lambda r: cpu_us(r, "node", "stream_100k")), "{:.1f}", " µs")])
    rows.append(["20 streams: chunks/s", shown(values(lambda r: rate(r, "llmrt", "streams_20x5k"))),
                 "", "", "", "", shown(values(lambda r: rate(r, "node", "streams_20x5k")))])
    rows.append(["20 streams: CPU/chunk",
                 shown(values(lambda r: cpu_us(r, "llmrt", "streams_20x5k")), "{:.2f}", " µs"),
                 "", "", "", "",
                 shown(values(lambda r: cpu_us(r, "node", "streams_20x5k")), "{:.1f}", " µs")])
    # Memory of a 100 MB streamed reply.
    for w, label in (("cli_stream_100mb", "--stream"), ("cli_events_100mb", "--stream --events")):
        peak = values(lambda r, w=w: field(r, "llmrt", w, "peak_rss_mb"))
        rows.append([f"100 MB reply, {label}: peak RSS", shown(peak, "{:.0f}", " MB"), "", "",
                     "≤ 132 MB", verdict(peak, lambda v: v <= 132), ""])
    # Scale.
    big = "streams_5000x200"
    mock_share = values(lambda r: 100 * field(r, "llmrt", big, "mock_cpu_s") /
                        (2 * field(r, "llmrt", big, "wall_s")))
    rows.append(["5,000 streams: chunks/s", shown(values(lambda r: rate(r, "llmrt", big))),
                 "mock " + shown(mock_share, pct, " % of 2 cores"), "",
                 "no error", f"{errors('llmrt', big)} errors", ""])
    rows.append(["5,000 streams: peak RSS, CPU/chunk",
                 shown(values(lambda r: field(r, "llmrt", big, "peak_rss_mb")), "{:.0f}", " MB") +
                 ", " + shown(values(lambda r: cpu_us(r, "llmrt", big)), "{:.2f}", " µs"),
                 "", "", "", "", ""])
    table(f"Targets ({len(RUNS)} runs: median (lowest–highest))",
          ["figure", "llmrt", "ceiling", "of ceiling", "target", "", "openai Node SDK"], rows)


def load_table():
    levels = [1, 2, 4, 8, 16, 32, 64]
    rows = []
    for c in levels:
        rows.append([str(c),
                     shown(values(lambda r, c=c: rate(r, "llmrt", f"load_c{c}")), unit="/s"),
                     shown(values(lambda r, c=c: field(r, "llmrt", f"load_c{c}", "p50_us") / 1000),
                           "{:.2f}", " ms"),
                     shown(values(lambda r, c=c: field(r, "llmrt", f"load_c{c}", "p99_us") / 1000),
                           "{:.2f}", " ms"),
                     shown(values(lambda r, c=c: rate(r, "wire", f"wrk_load_c{c}")), unit="/s"),
                     shown(values(lambda r, c=c: field(r, "wire", f"wrk_load_c{c}", "p99_us") / 1000),
                           "{:.2f}", " ms")])
    table("Latency under load: 1-64 callers, 2 s each",
          ["callers", "llmrt req/s", "llmrt p50", "llmrt p99", "wrk req/s", "wrk p99"], rows)

    def best(who, prefix, limit_us):
        # Per run: the highest rate among the levels whose p99 is within the limit.
        def one(run):
            ok = [rate(run, who, f"{prefix}{c}") for c in levels
                  if (who, f"{prefix}{c}") in run and
                  field(run, who, f"{prefix}{c}", "p99_us") <= limit_us]
            return max(ok) if ok else 0
        return values(one)

    rows = []
    for ms in (1, 5, 10):
        rows.append([f"p99 ≤ {ms} ms", shown(best("llmrt", "load_c", ms * 1000), unit="/s"),
                     shown(best("wire", "wrk_load_c", ms * 1000), unit="/s")])
    table("Requests/s achieved within a p99 latency", ["p99 limit", "llmrt", "wrk"], rows)


targets()
load_table()
