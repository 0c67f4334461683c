"""llmrt.lagent.GPTAPI against the mock server, over real HTTP through the real plugins: what a
lagent user sees (return shapes, statuses, stop words) and what reaches the server (lagent's
parameters, meta template, JSON mode, keys, proxy)."""

import threading
import warnings

import pytest

import llmrt
from llmrt.lagent import GPTAPI, BatchChatError, ModelStatusCode
from recording_front import FAIL_MARKER, RecordingFront

KEY = "sk-test-aaaaaaaaaaaa1111"
HELLO = [{"role": "user", "content": "hi"}]


def gpt(url, **kwargs):
    kwargs.setdefault("key", KEY)
    return GPTAPI(model_type="gpt-4o-mini", api_base=f"{url}/v1/chat/completions", **kwargs)


def test_chat_returns_the_stripped_reply(mock_url):
    llm = gpt(mock_url)
    assert llm.chat(HELLO, mock={"content": "  padded reply \n"}) == "padded reply"


def test_chat_sends_lagents_defaults_and_per_call_overrides(front):
    llm = gpt(front.url, stop_words="<eoa>")
    llm.chat(HELLO)
    llm.chat(HELLO, temperature=0.1, max_new_tokens=8, stop_words=["x", "y"], session_id=3)
    first, second = (r["body"] for r in front.requests)
    assert first["model"] == "gpt-4o-mini"
    assert first["max_tokens"] == 512
    assert first["top_p"] == 0.8
    assert first["temperature"] == 0.8
    assert first["frequency_penalty"] == 0
    assert first["stop"] == ["<eoa>"]
    # lagent never sends top_k or its own session and decoding switches to OpenAI.
    for absent in ("top_k", "session_id", "skip_special_tokens", "response_format"):
        assert absent not in first and absent not in second
    assert (second["temperature"], second["max_tokens"], second["stop"]) == (0.1, 8, ["x", "y"])


def test_top_k_in_the_constructor_warns_and_is_not_sent(front):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        llm = gpt(front.url, top_k=5)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    llm.chat(HELLO)
    assert "top_k" not in front.requests[0]["body"]


def test_chat_releases_the_gil_while_it_waits(front):
    llm = gpt(front.url)
    caller = threading.Thread(target=llm.chat, args=(HELLO,), kwargs={"mock": {"stall_ms": 3000}})
    caller.start()
    assert front.wait_for(lambda f: len(f.requests) == 1)
    # Python runs on this thread while the call waits for the server's answer.
    assert sum(range(200_000)) > 0 and caller.is_alive()
    caller.join()


def test_max_tokens_is_refused_as_lagent_does(mock_url):
    with pytest.raises(NotImplementedError, match="max_new_tokens"):
        gpt(mock_url).chat(HELLO, max_tokens=5)
    # Given when the object is made, it is refused then, not at every call after.
    with pytest.raises(NotImplementedError, match="max_new_tokens"):
        gpt(mock_url, max_tokens=5)
    llm = gpt(mock_url)
    llm.gen_params["max_tokens"] = 5
    with pytest.raises(NotImplementedError, match="max_new_tokens"):
        llm.chat(HELLO)


def test_json_mode_asks_for_a_json_object(front):
    gpt(front.url, json_mode=True).chat(HELLO, mock={"content": '{"a": 1}'})
    assert front.requests[0]["body"]["response_format"] == {"type": "json_object"}


def test_default_meta_template_maps_environment_to_system(front):
    gpt(front.url).chat(
        [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "run it"},
            {"role": "assistant", "content": "calling the tool"},
            {"role": "environment", "content": "tool says 4"},
        ]
    )
    sent = [(m["role"], m["content"]) for m in front.requests[0]["body"]["messages"]]
    assert sent == [
        ("system", "be brief"),
        ("user", "run it"),
        ("assistant", "calling the tool"),
        ("system", "tool says 4"),
    ]


def test_custom_meta_template_wraps_and_falls_back(front):
    template = [
        dict(role="system", api_role="system"),
        dict(role="user", api_role="user", begin="<|User|>:", end="<eoh>"),
        dict(role="assistant", api_role="assistant", generate=True),  # ignored, as by lagent
        dict(role="observer", fallback_role="user"),
    ]
    gpt(front.url, meta_template=template).chat(
        [{"role": "system", "content": "s"}, {"role": "observer", "content": "seen"}]
    )
    sent = [(m["role"], m["content"]) for m in front.requests[0]["body"]["messages"]]
    assert sent == [("system", "s"), ("user", "<|User|>:seen<eoh>")]


def test_unknown_role_is_an_error_naming_it(mock_url):
    with pytest.raises(llmrt.LlmrtError, match="critic"):
        gpt(mock_url).chat([{"role": "critic", "content": "x"}])


def test_batch_returns_replies_in_input_order(mock_url):
    llm = gpt(mock_url)
    conversations = [[{"role": "user", "content": f"q{i}"}] for i in range(30)]
    replies = llm.chat(conversations, mock={"content": "same reply"})
    assert replies == ["same reply"] * 30


def test_batch_with_failures_raises_after_every_conversation_with_every_result(front):
    llm = gpt(front.url, retry=0)
    conversations = [
        [{"role": "user", "content": FAIL_MARKER if i in (1, 3) else f"q{i}"}] for i in range(5)
    ]
    with pytest.raises(BatchChatError) as raised:
        llm.chat(conversations, mock={"content": "ok"})
    results = raised.value.results
    outcomes = [r if isinstance(r, str) else "error" for r in results]
    assert outcomes == ["ok", "error", "ok", "error", "ok"]
    assert [i for i, _ in raised.value.errors] == [1, 3]
    assert all(e.status == 400 for _, e in raised.value.errors)
    assert isinstance(raised.value, RuntimeError)  # what lagent raised
    assert isinstance(raised.value.__cause__, llmrt.LlmrtError)


def test_error_status_is_raised_with_its_kind(mock_url):
    with pytest.raises(llmrt.LlmrtError) as raised:
        gpt(mock_url, retry=0).chat(HELLO, mock={"status": 400, "error_code": "bad_thing"})
    assert raised.value.status == 400
    assert raised.value.code == "bad_thing"
    assert raised.value.kind == "bad_request"


def test_stream_yields_growing_text_then_end(mock_url):
    steps = list(gpt(mock_url).stream_chat(HELLO, mock={"content": "one two three four"}))
    statuses = [s for s, _, _ in steps]
    texts = [t for _, t, _ in steps]
    assert statuses[-1] == ModelStatusCode.END and texts[-1] == "one two three four"
    assert set(statuses[:-1]) == {ModelStatusCode.STREAM_ING} and len(statuses) >= 4
    assert all(isinstance(s, ModelStatusCode) for s in statuses)
    assert all(third is None for _, _, third in steps)
    assert all(texts[i + 1].startswith(texts[i]) for i in range(len(texts) - 1))
    assert all(texts[:-1])  # lagent yields no empty text while streaming


def test_stream_ends_before_a_stop_word_split_across_chunks(mock_url):
    llm = gpt(mock_url)
    reply = {"content": "one two three four five"}
    steps = list(llm.stream_chat(HELLO, stop_words=["ee fo"], mock=reply))
    assert steps[-1] == (ModelStatusCode.END, "one two thr", None)
    assert all("ee fo" not in t for _, t, _ in steps)
    assert all(len(t) <= len("one two thr") for _, t, _ in steps)


def test_leaving_a_stream_early_cancels_it(front):
    stream = gpt(front.url).stream_chat(HELLO, mock={"chunks": 100000, "delay_ms": 5})
    assert next(stream)[0] == ModelStatusCode.STREAM_ING
    stream.close()
    assert front.wait_for(lambda f: f.hangups == 1)


def test_key_list_rotates_round_robin(front):
    llm = gpt(front.url, key=["sk-first-aaaaaaaa1", "sk-second-bbbbbbb2"])
    for _ in range(4):
        llm.chat(HELLO)
    assert front.keys_used() == ["sk-first-aaaaaaaa1", "sk-second-bbbbbbb2"] * 2


@pytest.mark.parametrize("status,code", [(401, "invalid_api_key"), (429, "insufficient_quota")])
def test_a_rejected_key_leaves_the_rotation(mock_port, status, code):
    bad, good = "sk-bad-aaaaaaaaaa1", "sk-good-bbbbbbbbb2"
    front = RecordingFront(mock_port, reject_keys={bad: (status, code)})
    try:
        llm = gpt(front.url, key=[bad, good])
        assert [llm.chat(HELLO, mock={"content": "fine"}) for _ in range(4)] == ["fine"] * 4
        assert front.keys_used() == [bad] + [good] * 4
    finally:
        front.close()


def test_env_key_reads_openai_api_key(front, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-cccccccc3")
    gpt(front.url, key="ENV").chat(HELLO)
    assert front.keys_used() == ["sk-from-env-cccccccc3"]


def test_env_key_without_the_variable_fails_when_made_naming_it(mock_url, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(llmrt.AuthError, match="OPENAI_API_KEY"):
        gpt(mock_url, key="ENV")


def test_orgs_are_sent_round_robin(front):
    llm = gpt(front.url, org=["org-a", "org-b"])
    llm.chat(HELLO)
    llm.chat(HELLO)
    assert [r["headers"]["openai-organization"] for r in front.requests] == ["org-a", "org-b"]


def test_proxies_dict_sends_through_the_proxy(front, mock_url):
    llm = gpt(mock_url, proxies={"http": front.url, "https": "http://127.0.0.1:9"})
    assert llm.chat(HELLO, mock={"content": "via proxy"}) == "via proxy"
    assert front.requests[0]["via_proxy"] and front.requests[0]["path"] == "/v1/chat/completions"


def test_tokenize_uses_the_models_encoding(mock_url):
    llm = GPTAPI(model_type="gpt-3.5-turbo", key=KEY, api_base=f"{mock_url}/v1/chat/completions")
    assert llm.tokenize("hello world") == [15339, 1917]


def test_status_codes_have_lagents_values():
    assert {m.name: m.value for m in ModelStatusCode} == {
        "END": 0,
        "STREAM_ING": 1,
        "SERVER_ERR": -1,
        "SESSION_CLOSED": -2,
        "SESSION_OUT_OF_LIMIT": -3,
        "SESSION_INVALID_ARG": -4,
        "SESSION_READY": 2,
    }


def test_qwen_model_types_speak_dashscopes_native_protocol_as_lagent(front):
    llm = GPTAPI(
        model_type="qwen-max",
        key=KEY,
        api_base=f"{front.url}/api/v1/services/aigc/text-generation/generation",
    )
    assert llm.chat(HELLO, mock={"content": "native reply"}) == "native reply"
    steps = list(llm.stream_chat(HELLO, mock={"content": "one two three"}))
    assert steps[-1] == (ModelStatusCode.END, "one two three", None)
    assert "input" in front.requests[0]["body"] and "parameters" in front.requests[0]["body"]


def test_internlm_model_types_go_to_the_internlm_plugin(front):
    url = f"{front.url}/api/v1/chat/completions"
    llm = GPTAPI(model_type="internlm2.5-latest", key=KEY, api_base=url)
    assert llm.chat(HELLO).startswith("Hello! This reply comes from the llmrt mock server")
    assert front.requests[0]["path"] == "/api/v1/chat/completions"


def test_the_older_openai_api_base_name_is_the_url_not_a_body_parameter(front):
    # Left in **gen_params it went to the provider in the body while the call went to OpenAI.
    url = f"{front.url}/v1/chat/completions"
    GPTAPI(model_type="gpt-4o-mini", key=KEY, openai_api_base=url).chat(HELLO)
    assert len(front.requests) == 1
    assert "openai_api_base" not in front.requests[0]["body"]
    with pytest.raises(ValueError, match="api_base and openai_api_base"):
        GPTAPI(key=KEY, api_base="http://127.0.0.1:9/a", openai_api_base="http://127.0.0.1:9/b")


@pytest.mark.parametrize(
    "arguments, kwargs, named",
    [
        # Older lagent's GPTAPI(model_type, query_per_second, retry, …), positionally.
        (("gpt-4o-mini", 1, 2), {}, "json_mode"),
        ((), {"key": 5}, "key"),
        ((), {"key": ["sk-1", 2]}, "key"),
        ((), {"org": 7}, "org"),
        ((), {"model_type": None}, "model_type"),
        ((), {"meta_template": {"role": "user"}}, "meta_template"),
        ((), {"proxies": ["http://127.0.0.1:9"]}, "proxies"),
        ((), {"retry": "2"}, "retry"),
        ((), {"json_mode": 1}, "json_mode"),
    ],
)
def test_wrong_constructor_arguments_are_type_errors_naming_them(arguments, kwargs, named):
    kwargs.setdefault("key", KEY)
    with pytest.raises(TypeError, match=f"^{named}: expected"):
        GPTAPI(*arguments, **kwargs)


def test_a_negative_retry_is_a_value_error():
    with pytest.raises(ValueError, match="retry"):
        GPTAPI(key=KEY, retry=-1)


def test_bad_values_are_named_as_the_constructor_took_them():
    # Not "llmrt.Runtime.model(): proxy: …": the caller gave GPTAPI proxies=.
    with pytest.raises(ValueError, match=r"^GPTAPI\(\): proxies: proxy URL has a bad host"):
        GPTAPI(key=KEY, api_base="http://127.0.0.1:9/v1", proxies={"http": "bad proxy"})
    with pytest.raises(ValueError, match=r"^GPTAPI\(\): api_base: 'ftp://x/v1' is not a usable"):
        GPTAPI(key=KEY, api_base="ftp://x/v1")
