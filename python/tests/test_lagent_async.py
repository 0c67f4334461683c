"""llmrt.lagent.AsyncGPTAPI on asyncio against the mock server: replies, streams, errors,
cancellation reaching the HTTP call, and many streams at once without stalling the loop."""

import asyncio
import gc
import os
import time

import pytest

import llmrt
from llmrt.lagent import AsyncGPTAPI, BatchChatError, ModelStatusCode
from recording_front import FAIL_MARKER, HOLD_MARKER

KEY = "sk-test-aaaaaaaaaaaa1111"
HELLO = [{"role": "user", "content": "hi"}]


def gpt(url, **kwargs):
    kwargs.setdefault("key", KEY)
    return AsyncGPTAPI(model_type="gpt-4o-mini", api_base=f"{url}/v1/chat/completions", **kwargs)


async def collect(stream):
    return [step async for step in stream]


async def wait_until(predicate, timeout=10.0):
    # Polls without blocking the loop; a bound, not a timing assertion.
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_chat_returns_the_stripped_reply(mock_url):
    assert await gpt(mock_url).chat(HELLO, mock={"content": " async reply "}) == "async reply"


@pytest.mark.asyncio
async def test_chat_takes_session_ids_as_lagents_agents_pass_them(mock_url):
    llm = gpt(mock_url)
    assert await llm.chat(HELLO, 7, mock={"content": "x"}) == "x"
    assert await llm.chat(HELLO, session_ids=7, session_id=7, mock={"content": "y"}) == "y"


@pytest.mark.asyncio
async def test_batch_returns_replies_in_input_order(front):
    conversations = [[{"role": "user", "content": f"q{i}"}] for i in range(12)]
    assert await gpt(front.url).chat(conversations, mock={"content": "r"}) == ["r"] * 12
    sent = sorted(r["body"]["messages"][0]["content"] for r in front.requests)
    assert sent == sorted(f"q{i}" for i in range(12))


@pytest.mark.asyncio
async def test_batch_with_a_failure_raises_with_every_result(front):
    conversations = [
        [{"role": "user", "content": FAIL_MARKER if i == 2 else "q"}] for i in range(4)
    ]
    with pytest.raises(BatchChatError) as raised:
        await gpt(front.url, retry=0).chat(conversations, mock={"content": "ok"})
    outcomes = [r if isinstance(r, str) else r.status for r in raised.value.results]
    assert outcomes == ["ok", "ok", 400, "ok"]


@pytest.mark.asyncio
async def test_error_is_raised_with_its_kind(mock_url):
    with pytest.raises(llmrt.LlmrtError) as raised:
        await gpt(mock_url, retry=0).chat(HELLO, mock={"status": 401})
    assert raised.value.kind == "auth" and raised.value.status == 401


@pytest.mark.asyncio
async def test_default_meta_template_has_no_environment_role_as_lagents(mock_url):
    with pytest.raises(llmrt.LlmrtError, match="environment"):
        await gpt(mock_url).chat([{"role": "environment", "content": "x"}])


@pytest.mark.asyncio
async def test_stream_yields_growing_text_then_end(mock_url):
    steps = await collect(gpt(mock_url).stream_chat(HELLO, mock={"content": "one two three four"}))
    assert steps[-1] == (ModelStatusCode.END, "one two three four", None)
    assert [s for s, _, _ in steps[:-1]] == [ModelStatusCode.STREAM_ING] * (len(steps) - 1)
    assert len(steps) >= 5
    texts = [t for _, t, _ in steps]
    assert all(texts[i + 1].startswith(texts[i]) for i in range(len(texts) - 1))


@pytest.mark.asyncio
async def test_a_slow_consumer_gets_every_chunk_that_arrived_meanwhile(mock_url):
    # Chunks arrive while the consumer is away: the wake-ups they sent are read and gone by the
    # time it asks again, and the stream must still go on.
    last = None
    slow = {"chunks": 30, "content": "w ", "delay_ms": 2}
    async for last in gpt(mock_url).stream_chat(HELLO, mock=slow):
        await asyncio.sleep(0.01)
    assert last == (ModelStatusCode.END, "w " * 30, None)


@pytest.mark.asyncio
async def test_stream_ends_before_a_stop_word(mock_url):
    steps = await collect(
        gpt(mock_url, stop_words=["three"]).stream_chat(
            HELLO, mock={"content": "one two three four"}
        )
    )
    assert steps[-1] == (ModelStatusCode.END, "one two ", None)
    assert all("three" not in t for _, t, _ in steps)


@pytest.mark.asyncio
async def test_stream_error_after_text_carries_the_partial_text(mock_url):
    with pytest.raises(llmrt.LlmrtError) as raised:
        cut = {"content": "a b c", "cut_after": 3}
        await collect(gpt(mock_url, retry=0).stream_chat(HELLO, mock=cut))
    assert raised.value.partial_content and "a b c".startswith(raised.value.partial_content)


@pytest.mark.asyncio
async def test_cancelling_a_chat_task_cancels_the_http_call(front):
    task = asyncio.create_task(gpt(front.url).chat([{"role": "user", "content": HOLD_MARKER}]))
    await wait_until(lambda: len(front.requests) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await wait_until(lambda: front.hangups == 1)


@pytest.mark.asyncio
async def test_cancelling_a_stream_task_cancels_the_http_call(front):
    started = asyncio.Event()

    async def consume():
        async for _ in gpt(front.url).stream_chat(HELLO, mock={"chunks": 100000, "delay_ms": 5}):
            started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await wait_until(lambda: front.hangups == 1)


@pytest.mark.asyncio
async def test_100_concurrent_streams_do_not_block_the_loop(mock_url):
    # Each stream lasts about 2 s (200 chunks, 10 ms apart): a loop blocked by any one call
    # would lag by that much, well past the bound below. What the loop may lag by meanwhile is its own work (starting 100
    # streams, taking their chunks) on a machine whose 2 cores also run the client's and the
    # mock server's threads: 0.1-0.4 s measured under a parallel build.
    llm = gpt(mock_url)
    lags = []
    stop = asyncio.Event()

    async def ticker():
        # How late each 10 ms sleep wakes: the loop's scheduling lag.
        while not stop.is_set():
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append(time.monotonic() - before - 0.01)

    async def one(i):
        steps = 0
        async for last in llm.stream_chat(
            [{"role": "user", "content": f"s{i}"}],
            mock={"chunks": 200, "content": "tick ", "delay_ms": 10},
        ):
            steps += 1
        return steps, last

    tick = asyncio.create_task(ticker())
    started = time.monotonic()
    ends = await asyncio.gather(*(one(i) for i in range(100)))
    elapsed = time.monotonic() - started
    stop.set()
    await tick
    assert all(end == (201, (ModelStatusCode.END, "tick " * 200, None)) for end in ends)
    assert elapsed >= 1.5  # the streams lasted about as long as this test assumes
    assert len(lags) > 50 and max(lags) < 0.5, f"the event loop was blocked for {max(lags):.3f} s"


def test_event_loops_that_end_leave_no_pipe_open(mock_url):
    # Each loop gets one wake-up pipe; a program calling asyncio.run() again and again must not
    # run out of file descriptors.
    llm = gpt(mock_url)

    async def one():
        return await collect(llm.stream_chat(HELLO, mock={"chunks": 3}))

    def open_pipes():
        # Pipes only: the pool may hold one more socket at a moment (a stream's connection comes
        # back to it on the call's thread while the next call opens one), which is no leak.
        gc.collect()
        pipes = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                pipes += os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:")
            except FileNotFoundError:
                pass  # closed in between (the listing's own descriptor, say)
        return pipes

    asyncio.run(one())
    before = open_pipes()
    for _ in range(20):
        assert asyncio.run(one())[-1][0] == ModelStatusCode.END
    assert open_pipes() <= before
