"""os.fork() after calls, as multiprocessing and pre-forking servers do: the child makes calls
of its own, its timeouts hold, and it exits normally (it hung in its exit, its deadlines did
not hold)."""

import os
import sys
import time

import llmrt

_CHILD = """
import os, sys, time
import llmrt
model = llmrt.Runtime().model("openai", "m", key="k", api_base=sys.argv[1] + "/v1", retry=0,
                              timeout=0.5)
model.chat("warm up")  # a pooled connection and the deadline thread, then a fork
pid = os.fork()
if pid == 0:
    code = 0 if model.chat("hi").content else 3
    started = time.monotonic()
    try:
        model.chat("stall", mock={"stall_ms": 20000})
        code = 4
    except llmrt.LlmrtTimeoutError:
        if time.monotonic() - started > 5:
            code = 5
    sys.exit(code)  # the interpreter's whole shutdown, static destructors included
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    ended, status = os.waitpid(pid, os.WNOHANG)
    if ended:
        sys.exit(os.waitstatus_to_exitcode(status))
    time.sleep(0.05)
os.kill(pid, 9)
sys.exit(6)
"""


def test_a_forked_child_calls_with_its_own_deadlines_and_exits(mock_url):
    import subprocess

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    started = time.monotonic()
    ended = subprocess.run(
        [sys.executable, "-c", _CHILD, mock_url], env=env, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == 0, (ended.returncode, ended.stderr)
    assert time.monotonic() - started < 20
