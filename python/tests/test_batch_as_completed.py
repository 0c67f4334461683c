"""Model.chat_batch_as_completed: each conversation's outcome as it finishes, a bounded number
waiting for the reader, the rest cancelled when the reader stops."""

import signal
import time

import pytest

import llmrt


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
    # the reader holds at most 16 it took at once, 16 more wait in the queue, and each of the 2
    # conversations in flight may have finished its call.
    time.sleep(1.5)
    answered = len(front.requests)
    assert answered <= 1 + 16 + 16 + 2, answered
    rest = list(results)
    assert sorted([first[0]] + [index for index, _ in rest]) == list(range(200))
    assert all(isinstance(outcome, llmrt.ChatResult) for _, outcome in rest)
    assert len(front.requests) == 200


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
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: (_ for _ in ()).throw(KeyboardInterrupt))
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            next(results)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
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
