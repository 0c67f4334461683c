"""Types of the _llmrt extension (llmrt's C++ runtime); use them through the llmrt package."""

import os
from typing import Any, Callable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .errors import LlmrtError

Messages = Union[str, Sequence[Mapping[str, Any]]]
# One conversation of a batch: messages, or {"messages": ..., "params": {...}}.
Conversation = Union[Messages, Mapping[str, Any]]
Event = Union["Delta", "Reasoning", "ToolCall", "Usage", "Finish", "StreamWarning"]

class Usage:
    """Token counts (also a stream event)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int
    def __init__(
        self,
        *,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        total_tokens: int = 0,
        cache_read_tokens: int = 0,
        cache_write_tokens: int = 0,
        reasoning_tokens: int = 0,
    ) -> None: ...

class ChatResult:
    """A whole reply."""

    @property
    def content(self) -> str: ...
    @property
    def reasoning(self) -> str: ...
    @property
    def tool_calls(self) -> list[dict[str, str]]:
        """Dicts with id, type, name and arguments (JSON text as the model wrote it)."""
    @property
    def finish_reason(self) -> Optional[str]:
        """stop, length, tool_calls, content_filter, error or other; None when none was given."""
    @property
    def finish_reason_raw(self) -> str: ...
    @property
    def usage(self) -> Optional[Usage]: ...
    @property
    def served_by(self) -> str: ...
    @property
    def cost(self) -> Optional[float]: ...
    @property
    def warnings(self) -> list[str]: ...
    def to_message(self) -> dict[str, Any]:
        """The reply as the assistant message of the next turn (OpenAI's form)."""

class Delta:
    __match_args__ = ("text",)
    text: str
    def __init__(self, text: str) -> None: ...

class Reasoning:
    __match_args__ = ("text",)
    text: str
    signature: str
    redacted: str
    block: int
    def __init__(self, text: str, signature: str = "", redacted: str = "", block: int = 0) -> None: ...

class ToolCall:
    __match_args__ = ("index", "id", "name", "arguments")
    index: int
    id: str
    name: str
    arguments: str
    def __init__(self, index: int, id: str = "", name: str = "", arguments: str = "") -> None: ...

class Finish:
    __match_args__ = ("reason",)
    reason: str
    raw: str
    def __init__(self, reason: str, raw: str = "") -> None: ...

class StreamWarning:
    __match_args__ = ("message",)
    message: str
    def __init__(self, message: str) -> None: ...

class CancelToken:
    """Cancels the calls it is given to, from any thread."""

    def __init__(self) -> None: ...
    def cancel(self) -> None: ...
    @property
    def cancelled(self) -> bool: ...

class Stream:
    """The events of a streamed reply; a failure raises an LlmrtError from next()."""

    def __iter__(self) -> Stream: ...
    def __next__(self) -> Event: ...
    def close(self) -> None: ...
    def __enter__(self) -> Stream: ...
    def __exit__(self, *exc: object) -> None: ...
    @property
    def result(self) -> Optional[ChatResult]: ...

class ChunkStream:
    """lagent's (status, text so far, delta) chunks: status 1 while text arrives, 0 once at the end."""

    def __iter__(self) -> ChunkStream: ...
    def __next__(self) -> tuple[int, str, str]: ...
    def take_ready(self) -> List[Union[Tuple[int, str, str], BaseException]]:
        """For event loops: the chunks that have arrived, without waiting (END last, or the
        call's exception last); [] when nothing is new."""
    def set_wake_fd(self, fd: int, token: int = 0) -> None:
        """Write token (8 bytes, native order) to fd, a non-blocking pipe a loop watches, when
        new chunks arrive; fd -1: stop."""
    def close(self) -> None: ...
    def __enter__(self) -> ChunkStream: ...
    def __exit__(self, *exc: object) -> None: ...
    @property
    def result(self) -> Optional[ChatResult]: ...

class BatchResults:
    """A batch's (index, ChatResult or LlmrtError) pairs in the order its conversations finish.
    At most twice the concurrency (at least 16) wait to be taken; beyond that the batch starts
    no new conversation until one is taken (the calls in flight still read their replies).
    close(), leaving a `with` block or dropping it cancels what is unfinished."""

    def __iter__(self) -> BatchResults: ...
    def __next__(self) -> tuple[int, Union[ChatResult, LlmrtError]]: ...
    def close(self) -> None: ...
    def __enter__(self) -> BatchResults: ...
    def __exit__(self, *exc: object) -> None: ...

class CallHandle:
    def cancel(self) -> None: ...
    @property
    def done(self) -> bool: ...

class Model:
    """A model or route (Runtime.model()). Thread-safe; every call releases the GIL while it waits."""

    @property
    def name(self) -> str: ...
    @property
    def provider(self) -> str: ...
    def chat(self, messages: Messages, *, cancel: Optional[CancelToken] = None, **params: Any) -> ChatResult: ...
    def stream(self, messages: Messages, *, cancel: Optional[CancelToken] = None, **params: Any) -> Stream: ...
    def stream_chunks(
        self, messages: Messages, *, cancel: Optional[CancelToken] = None, **params: Any
    ) -> ChunkStream: ...
    def chat_batch(
        self,
        conversations: Union[List[Conversation], Tuple[Conversation, ...]],
        *,
        concurrency: int = 20,
        cancel: Optional[CancelToken] = None,
        **params: Any,
    ) -> list[Union[ChatResult, LlmrtError]]:
        """Each conversation's result or error, in order. A conversation is messages, or
        {"messages": ..., "params": {...}} with parameters of its own over **params."""
    def chat_batch_as_completed(
        self,
        conversations: Union[List[Conversation], Tuple[Conversation, ...]],
        *,
        concurrency: int = 20,
        cancel: Optional[CancelToken] = None,
        **params: Any,
    ) -> BatchResults:
        """chat_batch's outcomes as (index, result or error) pairs, as the conversations
        finish; only the calls in flight and the outcomes not yet taken are held."""
    def count_tokens(self, messages: Messages) -> int: ...
    def tokenize(self, text: str) -> list[int]: ...
    def start_chat(
        self,
        messages: Messages,
        params: Optional[Mapping[str, Any]],
        on_done: Callable[[Union[ChatResult, BaseException]], object],
    ) -> CallHandle: ...
    def start_stream(
        self,
        messages: Messages,
        params: Optional[Mapping[str, Any]],
        on_event: Callable[[Event], object],
        on_done: Callable[[Union[ChatResult, BaseException]], object],
    ) -> CallHandle: ...

class Runtime:
    def __init__(self, plugins: Optional[Sequence[str]] = None) -> None: ...
    @staticmethod
    def from_config(path: Union[str, os.PathLike[str]]) -> Runtime: ...
    def model_named(self, name: str) -> Model: ...
    def model_from_json(self, json: str, where: str) -> Model: ...
    @property
    def plugins(self) -> list[dict[str, str]]: ...
    @property
    def load_errors(self) -> list[str]: ...
    @property
    def names(self) -> list[str]: ...

def _stop_all_calls() -> None: ...
