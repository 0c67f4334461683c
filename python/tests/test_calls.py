"""Cancellation from other threads and by Ctrl-C, and the callback forms used by asyncio."""

import threading

import pytest

import llmrt
from interrupts import interrupt_after

# A reply that takes long enough to be interrupted: 200 chunks, 20 ms apart.
SLOW = {"content": "word", "chunks": 200, "delay_ms": 20}
FULL = "word" * 200


def test_a_cancel_token_ends_a_stream_from_another_thread(model):
    token = llmrt.CancelToken()
    received = []
    with pytest.raises(llmrt.CancelledError) as failure:
        for event in model.stream("hi", cancel=token, mock=SLOW):
            if isinstance(event, llmrt.Delta):
                received.append(event.text)
                if len(received) == 3:
                    threading.Thread(target=token.cancel).start()
    assert token.cancelled
    assert failure.value.partial_content.startswith("".join(received[:3]))
    assert failure.value.partial_content != FULL


def test_close_after_the_end_changes_nothing(model):
    with model.stream("hi", mock={"content": "done"}) as stream:
        assert "".join(e.text for e in stream if isinstance(e, llmrt.Delta)) == "done"
    stream.close()
    assert stream.result.content == "done"


def test_a_cancel_token_ends_a_blocking_chat(model):
    token = llmrt.CancelToken()
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    try:
        with pytest.raises(llmrt.CancelledError):
            model.chat("hi", cancel=token, mock={"stall_ms": 30000})
    finally:
        timer.cancel()


def test_a_token_cancelled_before_the_call_says_nothing_was_sent(model):
    token = llmrt.CancelToken()
    token.cancel()
    with pytest.raises(llmrt.CancelledError, match="before the request was sent"):
        model.chat("hi", cancel=token)


def test_closing_a_stream_stops_it(model):
    stream = model.stream_chunks("hi", mock=SLOW)
    status, text, delta = next(stream)
    assert (status, text, delta) == (1, "word", "word")
    stream.close()
    assert list(stream) == []
    assert stream.result is None


def test_closing_a_stream_from_another_thread_ends_the_waiting_iteration(model):
    stream = model.stream("hi", mock={"stall_ms": 30000})
    timer = threading.Timer(0.2, stream.close)
    timer.start()
    try:
        assert list(stream) == []
    finally:
        timer.cancel()
    assert stream.result is None  # what tells a closed stream from one that ended


def test_a_stream_read_by_two_threads_at_once_is_refused(model):
    # Whichever thread comes first waits (the server is silent) until the other, refused,
    # closes the stream.
    stream = model.stream("hi", mock={"stall_ms": 30000})
    refusals = []

    def read():
        try:
            list(stream)
        except RuntimeError as e:
            refusals.append(str(e))
            stream.close()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert refusals == ["this stream is being read by another thread"]


def test_start_chat_calls_on_done_with_the_result(model):
    done = threading.Event()
    outcome = []

    def on_done(value):
        outcome.append((value, threading.current_thread() is threading.main_thread()))
        done.set()

    handle = model.start_chat("hi", {"mock": {"content": "called back"}}, on_done)
    assert done.wait(30)
    value, on_main = outcome[0]
    assert isinstance(value, llmrt.ChatResult) and value.content == "called back"
    assert not on_main
    assert handle.done


def test_start_chat_delivers_errors_to_on_done(model):
    done = threading.Event()
    outcome = []
    model.start_chat("hi", {"mock": {"status": 500}}, lambda v: (outcome.append(v), done.set()))
    assert done.wait(30)
    assert isinstance(outcome[0], llmrt.ServerError) and outcome[0].status == 500


def test_start_stream_calls_on_event_then_on_done(model):
    done = threading.Event()
    events, outcome = [], []

    def on_done(value):
        outcome.append(value)
        done.set()

    model.start_stream("hi", {"mock": {"content": "a b c"}}, events.append, on_done)
    assert done.wait(30)
    assert [e.text for e in events if isinstance(e, llmrt.Delta)] == ["a ", "b ", "c"]
    assert isinstance(events[-1], llmrt.Finish)
    assert outcome[0].content == "a b c"


def test_an_exception_in_on_event_cancels_the_stream_and_reaches_on_done(model):
    done = threading.Event()
    events, outcome = [], []

    def on_event(event):
        events.append(event)
        if len(events) == 2:
            raise ValueError("the handler gave up")

    def on_done(value):
        outcome.append(value)
        done.set()

    model.start_stream("hi", {"mock": SLOW}, on_event, on_done)
    assert done.wait(30)
    assert isinstance(outcome[0], ValueError) and str(outcome[0]) == "the handler gave up"
    assert outcome[0].__traceback__ is not None
    assert len(events) == 2  # nothing more was delivered after it raised


def test_call_handle_cancel_ends_the_call_with_the_partial_content(model):
    started, done = threading.Event(), threading.Event()
    outcome = []
    handle = model.start_stream(
        "hi", {"mock": SLOW}, lambda e: started.set(), lambda v: (outcome.append(v), done.set())
    )
    assert started.wait(30)
    handle.cancel()
    assert done.wait(30)
    assert isinstance(outcome[0], llmrt.CancelledError)
    assert outcome[0].partial_content and outcome[0].partial_content != FULL


def test_ctrl_c_interrupts_a_blocking_chat(model):
    with interrupt_after(0.2), pytest.raises(KeyboardInterrupt):
        model.chat("hi", mock={"stall_ms": 30000})


def test_ctrl_c_during_a_stream_cancels_it(model):
    # The server sends nothing for 30 s: the interrupt comes while next() waits for it.
    stream = model.stream("hi", mock={"stall_ms": 30000})
    with interrupt_after(0.2), pytest.raises(KeyboardInterrupt):
        for _ in stream:
            pass
    # The interrupt cancelled the call itself: what is left of it ends as cancelled.
    with pytest.raises(llmrt.CancelledError):
        for _ in stream:
            pass


def test_ctrl_c_interrupts_a_batch(model):
    with interrupt_after(0.2), pytest.raises(KeyboardInterrupt):
        model.chat_batch(["a", "b", "c"], concurrency=3, mock={"stall_ms": 30000})


def test_an_exception_in_on_done_is_reported_as_unraisable(model, monkeypatch):
    reported = threading.Event()
    seen = []

    def hook(unraisable):
        seen.append(unraisable.exc_value)
        reported.set()

    monkeypatch.setattr("sys.unraisablehook", hook)

    def on_done(value):
        raise RuntimeError("on_done failed")

    model.start_chat("hi", None, on_done)
    assert reported.wait(30)
    assert isinstance(seen[0], RuntimeError) and str(seen[0]) == "on_done failed"


def test_a_model_keeps_its_runtime_alive(mock_server):
    import gc

    model = llmrt.Runtime().model(
        "openai", "gpt-4o-mini", api_base=mock_server.url + "/v1", key="k", retry=0
    )
    gc.collect()
    stream = model.stream("hi", mock={"content": "still here"})
    del model
    gc.collect()
    assert "".join(e.text for e in stream if isinstance(e, llmrt.Delta)) == "still here"


def test_take_ready_hands_over_chunks_without_waiting_and_wakes_a_pipe(model):
    import os
    import sys

    readable, writable = os.pipe()
    os.set_blocking(writable, False)
    try:
        stream = model.stream_chunks("hi", mock={"content": "a b c"})
        stream.set_wake_fd(writable, 7)
        chunks = []
        while not chunks or chunks[-1][0] != 0:
            # Blocks until the call's thread says something arrived (or already had).
            assert int.from_bytes(os.read(readable, 8), sys.byteorder) == 7
            chunks += stream.take_ready()
        assert chunks == [(1, "a ", "a "), (1, "a b ", "b "), (1, "a b c", "c"), (0, "a b c", "")]
        assert stream.take_ready() == []
        assert stream.result.content == "a b c"

        failing = model.stream_chunks("hi", mock={"status": 500})
        failing.set_wake_fd(writable, 8)
        outcome = []
        while not outcome:
            os.read(readable, 8)
            outcome = failing.take_ready()
        assert isinstance(outcome[-1], llmrt.ServerError)
    finally:
        os.close(readable)
        os.close(writable)


# A daemon thread blocked in a call when the program ends: taking the GIL back during the
# interpreter's shutdown aborted the process (std::terminate, exit status 134).
_DAEMON_AT_EXIT = """
import sys, threading, time
import llmrt
model = llmrt.Runtime().model("openai", "m", key="k", api_base=sys.argv[1] + "/v1", retry=0)
def run():
    if sys.argv[2] == "chat":
        model.chat("x", mock={"stall_ms": 20000})
    else:
        for _ in model.stream("x", mock={"content": "word", "chunks": 1000, "delay_ms": 20}):
            pass
threading.Thread(target=run, daemon=True).start()
time.sleep(0.3)
"""


@pytest.mark.parametrize("kind", ["chat", "stream"])
def test_a_daemon_thread_in_a_call_when_the_program_ends_lets_it_exit(mock_url, kind):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    for _ in range(3):
        ended = subprocess.run(
            [sys.executable, "-c", _DAEMON_AT_EXIT, mock_url, kind],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert ended.returncode == 0, ended.stderr
        assert "terminate called" not in ended.stderr
