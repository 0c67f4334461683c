"""Model.chat_batch_as_completed: each conversation's outcome as it finishes, a bounded number
waiting for the reader, the rest cancelled when the reader stops."""

import subprocess
import sys
import time

import pytest

import llmrt
from interrupts import interrupt_after


def test_outcomes_come_as_the_conversations_finish_each_with_its_index(model):
    conversations = [
        {"messages": "slow", "params": {"mock": {"stall_ms": 400, "content": "late"}}},
        "quick",
        {"messages": [{"role": "user", "content": "fails"}], "params": {"mock": {"status": 500}}},
    ]
    seen = list(model.chat_batch_as_completed(conversations, concurrency=3, mock={"content": "ok"}))
    assert sorted(index for index, _ in seen) == [0, 1, 2]
    # The stalled one finishes last, though it was first in the list.
    assert seen[-1][0] == 0
    outcomes = dict(seen)
    assert isinstance(outcomes[0], llmrt.ChatResult) and outcomes[0].content == "late"
    assert isinstance(outcomes[1], llmrt.ChatResult) and outcomes[1].content == "ok"
    assert isinstance(outcomes[2], llmrt.ServerError) and outcomes[2].status == 500


def test_a_reader_that_falls_behind_pauses_the_batch(runtime, front):
    model = runtime.model("openai", "gpt-4o-mini", api_base=front.url + "/v1", key="k", retry=0)
    results = model.chat_batch_as_completed(["hi"] * 200, concurrency=2)
    first = next(results)
    # Unread for a while, in which an unpaused batch of 200 would have finished many times over:
    # 16 wait in the queue, and each of the 2 conversations in flight may have finished its call.
    time.sleep(1.5)
    answered = len(front.requests)
    assert answered <= 1 + 16 + 2, answered
    rest = list(results)
    assert sorted([first[0]] + [index for index, _ in rest]) == list(range(200))
    assert all(isinstance(outcome, llmrt.ChatResult) for _, outcome in rest)
    assert len(front.requests) == 200


def test_the_queue_is_bounded_by_the_concurrency_the_batch_really_runs(runtime, front):
    model = runtime.model("openai", "gpt-4o-mini", api_base=front.url + "/v1", key="k", retry=0)
    # At most 256 run at once, whatever is asked: 512 wait, and 256 may each hold one.
    results = model.chat_batch_as_completed(["hi"] * 2000, concurrency=10**6)
    next(results)
    time.sleep(3)
    answered = len(front.requests)
    assert answered <= 1 + 512 + 256, answered
    results.close()


def test_a_slow_reader_lets_the_calls_in_flight_finish_without_timing_out(runtime, front):
    # Each call may take 1 s, and the reader takes nothing for 3 s: the calls in flight still
    # read their replies meanwhile, so none times out and none is sent twice.
    model = runtime.model(
        "openai", "gpt-4o-mini", api_base=front.url + "/v1", key="k", retry=2, timeout=1
    )
    results = model.chat_batch_as_completed(["hi"] * 60, concurrency=8, mock={"stall_ms": 100})
    outcomes = [next(results)]
    time.sleep(3)
    outcomes += list(results)
    assert len(outcomes) == 60
    assert all(isinstance(outcome, llmrt.ChatResult) for _, outcome in outcomes), [
        outcome for _, outcome in outcomes if not isinstance(outcome, llmrt.ChatResult)
    ]
    assert len(front.requests) == 60


def test_the_interpreter_exits_at_once_with_a_batch_nobody_reads(mock_url, tmp_path):
    script = tmp_path / "unread.py"
    script.write_text(
        "import llmrt, sys\n"
        "model = llmrt.Runtime().model('openai', 'gpt-4o-mini', api_base=sys.argv[1] + '/v1',"
        " key='k', retry=0)\n"
        "results = model.chat_batch_as_completed(['hi'] * 500, concurrency=2)\n"
        "next(results)\n"
        "import time; time.sleep(0.5)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script), mock_url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # The exit waits up to 10 s for calls that do not end; a paused batch must end at once.
    assert time.monotonic() - started < 5


def test_closing_cancels_what_has_not_finished(runtime, front):
    model = runtime.model("openai", "gpt-4o-mini", api_base=front.url + "/v1", key="k", retry=0)
    with model.chat_batch_as_completed(["hi"] * 500, concurrency=2) as results:
        next(results)
    assert list(results) == []
    time.sleep(0.3)
    after_close = len(front.requests)
    time.sleep(0.5)
    assert len(front.requests) == after_close < 500


def test_dropping_the_results_cancels_the_batch(runtime, front):
    model = runtime.model("openai", "gpt-4o-mini", api_base=front.url + "/v1", key="k", retry=0)
    results = model.chat_batch_as_completed(["hi"] * 500, concurrency=2)
    next(results)
    del results
    time.sleep(0.3)
    after_drop = len(front.requests)
    time.sleep(0.5)
    assert len(front.requests) == after_drop < 500


def test_a_cancel_token_ends_each_unfinished_conversation_as_cancelled(model):
    token = llmrt.CancelToken()
    results = model.chat_batch_as_completed(
        ["a", "b", "c"], concurrency=3, cancel=token, mock={"stall_ms": 30000}
    )
    token.cancel()
    outcomes = list(results)
    assert sorted(index for index, _ in outcomes) == [0, 1, 2]
    assert all(isinstance(outcome, llmrt.CancelledError) for _, outcome in outcomes)


def test_ctrl_c_while_waiting_cancels_the_batch(model):
    results = model.chat_batch_as_completed(["a", "b"], concurrency=2, mock={"stall_ms": 30000})
    with interrupt_after(0.2), pytest.raises(KeyboardInterrupt):
        next(results)
    # The interrupt cancelled the batch: what is left of it ends as cancelled, at once.
    started = time.monotonic()
    outcomes = list(results)
    assert time.monotonic() - started < 10
    assert all(isinstance(outcome, llmrt.CancelledError) for _, outcome in outcomes)


def test_bad_arguments_are_refused_before_anything_is_sent(model):
    with pytest.raises(TypeError, match="conversations"):
        model.chat_batch_as_completed("not a list")
    with pytest.raises(ValueError, match="concurrency"):
        model.chat_batch_as_completed(["a"], concurrency=0)
    with pytest.raises(ValueError, match=r"conversations\[1\]: unknown key 'mesages'"):
        model.chat_batch_as_completed(["a", {"mesages": "b"}])
    with pytest.raises(TypeError, match="cancel"):
        model.chat_batch_as_completed(["a"], cancel="soon")


def test_an_empty_batch_has_no_outcomes(model):
    assert list(model.chat_batch_as_completed([])) == []
