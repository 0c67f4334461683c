"""Whole replies, batches and token counts through the real openai plugin and HTTP."""

import json

import pytest

import llmrt


def test_chat_returns_the_reply_with_usage_and_finish_reason(model):
    result = model.chat("hello", mock={"content": "Hi there, friend"})
    assert isinstance(result, llmrt.ChatResult)
    assert result.content == "Hi there, friend"
    assert result.finish_reason == "stop"
    assert result.usage.completion_tokens > 0
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert result.served_by == "gpt-4o-mini"
    assert result.cost is None
    assert "Hi there, friend" in repr(result)
    assert result.to_message() == {"role": "assistant", "content": "Hi there, friend"}


def test_chat_takes_openai_messages_and_returns_tool_calls(model):
    calls = [{"id": "call_1", "name": "get_weather", "arguments": '{"city": "Oslo"}'}]
    result = model.chat(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather?"}],
        mock={"content": "", "tool_calls": calls},
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}],
    )
    assert result.finish_reason == "tool_calls"
    assert result.tool_calls == [
        {"id": "call_1", "type": "function", "name": "get_weather", "arguments": '{"city": "Oslo"}'}
    ]
    # The reply and a tool result go back as the next turn.
    follow_up = model.chat(
        [
            {"role": "user", "content": "Weather?"},
            result.to_message(),
            {"role": "tool", "tool_call_id": "call_1", "content": "18 C"},
        ],
        mock={"content": "It is 18 C."},
    )
    assert follow_up.content == "It is 18 C."


def test_parameters_of_every_python_type_reach_the_request(model):
    result = model.chat(
        "hi",
        temperature=0.5,
        max_new_tokens=64,
        seed=7,
        json_mode=False,
        stop_words=["STOP"],
        user="alice",
        metadata=None,
        mock={"content": "first STOP second"},
    )
    assert result.content == "first "


def test_chat_batch_keeps_order_and_returns_a_failed_item_in_place(model):
    outcomes = model.chat_batch(
        [
            "one",
            {"messages": [{"role": "user", "content": "two"}], "params": {"mock": {"status": 500}}},
            {"messages": "three", "params": {"mock": {"content": "own"}}},
            "four",
        ],
        concurrency=2,
        mock={"content": "ok"},
    )
    assert [type(o) for o in outcomes] == [
        llmrt.ChatResult,
        llmrt.ServerError,
        llmrt.ChatResult,
        llmrt.ChatResult,
    ]
    assert [outcomes[0].content, outcomes[2].content, outcomes[3].content] == ["ok", "own", "ok"]
    assert outcomes[1].status == 500
    assert outcomes[1].code == "server_error"


def test_chat_batch_reports_a_conversation_the_model_cannot_take_in_place(model):
    outcomes = model.chat_batch(
        ["fine", [{"role": "narrator", "content": "no such role"}], "fine too"], concurrency=3
    )
    assert isinstance(outcomes[0], llmrt.ChatResult)
    assert isinstance(outcomes[1], llmrt.BadRequestError)
    assert "narrator" in str(outcomes[1])
    assert isinstance(outcomes[2], llmrt.ChatResult)


def test_tokenize_and_count_tokens_use_the_models_encoding(model):
    # o200k_base (gpt-4o-mini), as tiktoken encodes it.
    assert model.tokenize("hello world") == [24912, 2375]
    text_tokens = len(model.tokenize("hello world"))
    assert model.count_tokens("hello world") > text_tokens  # the message's framing counts too
    assert model.count_tokens([{"role": "user", "content": "hello world"}]) == model.count_tokens(
        "hello world"
    )


def test_from_config_serves_models_and_routes(tmp_path, mock_server):
    config = tmp_path / "llmrt.json"
    base = mock_server.url + "/v1"
    config.write_text(
        json.dumps(
            {
                "models": {
                    "small": {"model": "gpt-4o-mini", "api_base": base, "keys": "sk-a", "retry": 0},
                    "big": {"model": "gpt-4o", "api_base": base, "keys": "sk-b", "retry": 0},
                },
                "routes": {"smart": {"targets": ["small", "big"]}},
            }
        )
    )
    runtime = llmrt.Runtime.from_config(config)
    assert sorted(runtime.names) == ["big", "small", "smart"]
    routed = runtime.model("smart")
    assert routed.name == "smart"
    result = routed.chat("hi", mock={"content": "routed"})
    assert result.content == "routed"
    assert result.served_by in ("small", "big")
    assert runtime.model("big").chat("hi").served_by == "big"
