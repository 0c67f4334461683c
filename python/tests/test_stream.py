"""Streamed replies: events, lagent's chunks with stop words, failures mid-stream."""

import re
import socket
import threading

import pytest

import llmrt


def test_stream_yields_deltas_usage_and_finish_then_the_result(model):
    with model.stream("hi", mock={"content": "one two three", "reasoning": "think first"}) as stream:
        events = list(stream)
    deltas = [e.text for e in events if isinstance(e, llmrt.Delta)]
    assert deltas == ["one ", "two ", "three"]
    assert "".join(e.text for e in events if isinstance(e, llmrt.Reasoning)) == "think first"
    assert isinstance(events[-1], llmrt.Finish) and events[-1].reason == "stop"
    usage = [e for e in events if isinstance(e, llmrt.Usage)]
    assert len(usage) == 1 and usage[0].completion_tokens > 0
    assert stream.result.content == "one two three"
    assert stream.result.reasoning == "think first"
    assert stream.result.usage == usage[0]


def test_stream_delivers_tool_call_fragments(model):
    calls = [{"id": "call_7", "name": "lookup", "arguments": '{"q": "llmrt"}'}]
    events = list(model.stream("find it", mock={"content": "", "tool_calls": calls}))
    parts = [e for e in events if isinstance(e, llmrt.ToolCall)]
    assert parts[0].id == "call_7" and parts[0].name == "lookup"
    assert "".join(p.arguments for p in parts) == '{"q": "llmrt"}'
    assert events[-1] == llmrt.Finish("tool_calls", "tool_calls")


def test_stream_chunks_follow_lagent_with_stop_words(model):
    chunks = list(
        model.stream_chunks("hi", mock={"content": "alpha beta gamma delta"}, stop_words=["gamma"])
    )
    assert chunks[:-1] == [(1, "alpha ", "alpha "), (1, "alpha beta ", "beta ")]
    assert chunks[-1] == (0, "alpha beta ", "")


def test_stream_text_cut_mid_character_arrives_whole(model):
    # One chunk per word: every multi-byte character reaches Python whole, never as U+FFFD.
    text = "naïve café 東京 🙂 done"
    deltas = [e.text for e in model.stream("hi", mock={"content": text}) if isinstance(e, llmrt.Delta)]
    assert "".join(deltas) == text
    assert list(model.stream_chunks("hi", mock={"content": text}))[-1] == (0, text, "")


def test_a_stream_cut_by_the_server_raises_with_the_partial_content(model):
    stream = model.stream("hi", mock={"content": "one two three four", "cut_after": 2})
    received = []
    with pytest.raises(llmrt.NetworkError) as failure:
        for event in stream:
            if isinstance(event, llmrt.Delta):
                received.append(event.text)
    assert isinstance(failure.value, ConnectionError)
    assert failure.value.partial_content == "".join(received)
    assert "one two three four".startswith(failure.value.partial_content)
    assert failure.value.partial_content != "one two three four"
    assert stream.result is None


def test_an_error_inside_the_stream_keeps_its_code(model):
    # The mock wraps it as OpenAI does: data: {"error": {...}}.
    error = '{"message": "overloaded now", "type": "server_error", "code": "overloaded"}'
    with pytest.raises(llmrt.LlmrtError) as failure:
        list(model.stream_chunks("hi", mock={"content": "partial words", "stream_error": error}))
    assert failure.value.code == "overloaded"
    assert "overloaded now" in failure.value.message
    assert failure.value.partial_content == "partial words"


def _serve_once(reply: bytes):
    """A server on 127.0.0.1 that reads one request, sends `reply` and closes: its port."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        with listener:
            client, _ = listener.accept()
            with client:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += client.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                while len(body) < length:
                    body += client.recv(65536)
                client.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def test_a_stream_cut_mid_character_raises_after_the_text_held_back(runtime):
    # The held-back byte is handed over (as U+FFFD), then the cut: not a quiet end, which is
    # what a stream the caller closed looks like.
    event = b'data: {"choices":[{"index":0,"delta":{"content":"caf\xc3"},"finish_reason":null}]}'
    port = _serve_once(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + event + b"\n\n")
    model = runtime.model("openai", "m", api_base=f"http://127.0.0.1:{port}/v1", key="k", retry=0)
    stream = model.stream("hi")
    received = []
    with pytest.raises(llmrt.NetworkError) as failure:
        for event in stream:
            if isinstance(event, llmrt.Delta):
                received.append(event.text)
    assert "".join(received) == "caf\ufffd"
    assert failure.value.partial_content == "caf\ufffd"
    assert stream.result is None
    assert list(stream) == []  # raised once, then ended
