"""Provider failures raise the llmrt.LlmrtError subclass of their kind, with what was said."""

import pickle

import pytest

import llmrt


@pytest.mark.parametrize(
    "mock, kind",
    [
        ({"status": 400}, llmrt.BadRequestError),
        ({"status": 400, "error_code": "context_length_exceeded"}, llmrt.ContextLengthError),
        ({"status": 401}, llmrt.AuthError),
        ({"status": 403}, llmrt.PermissionDeniedError),
        ({"status": 404}, llmrt.NotFoundError),
        ({"status": 500}, llmrt.ServerError),
        ({"status": 429, "error_code": "insufficient_quota"}, llmrt.QuotaExhaustedError),
    ],
)
def test_http_errors_map_to_their_class(model, mock, kind):
    with pytest.raises(kind) as failure:
        model.chat("hi", mock=mock)
    error = failure.value
    assert type(error) is kind
    assert error.status == mock["status"]
    assert error.provider == "openai"
    assert error.kind == kind.kind
    assert str(error).startswith(kind.kind)


def test_rate_limit_carries_retry_after_request_id_and_code(runtime, mock_server):
    # Two keys: the first one's 429 moves the call to the second, whose 429 ends it.
    model = runtime.model(
        "openai", "gpt-4o-mini", api_base=mock_server.url + "/v1", key=["sk-a", "sk-b"], retry=0
    )
    with pytest.raises(llmrt.RateLimitError) as failure:
        model.chat(
            "hi", mock={"status": 429, "headers": {"Retry-After": "7", "x-request-id": "req-42"}}
        )
    error = failure.value
    assert (error.status, error.code, error.request_id) == (429, "rate_limit_exceeded", "req-42")
    assert error.retry_after == 7.0
    assert "req-42" in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is llmrt.RateLimitError and copy.retry_after == 7.0 and str(copy) == str(error)


def test_a_timeout_is_also_a_builtin_timeout_error(runtime, mock_server):
    model = runtime.model(
        "openai", "gpt-4o-mini", api_base=mock_server.url + "/v1", key="k", retry=0, timeout=0.2
    )
    with pytest.raises(TimeoutError) as failure:
        model.chat("hi", mock={"stall_ms": 3000})
    assert isinstance(failure.value, llmrt.LlmrtTimeoutError)
    assert failure.value.kind == "timeout"


def test_a_refused_connection_is_a_network_error(runtime):
    # Port 9 (discard) on loopback: nothing listens there in a test environment.
    model = runtime.model("openai", "gpt-4o-mini", api_base="http://127.0.0.1:9/v1", key="k", retry=0)
    with pytest.raises(llmrt.NetworkError) as failure:
        model.chat("hi")
    assert isinstance(failure.value, ConnectionError)
    assert failure.value.status == 0


def test_unknown_names_are_not_found(runtime):
    with pytest.raises(llmrt.NotFoundError, match="nosuch"):
        runtime.model("nosuch")
    with pytest.raises(llmrt.NotFoundError, match="no provider plugin named 'nosuch'"):
        runtime.model("nosuch", "some-model")
