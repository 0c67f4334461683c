"""Drop-in replacements for lagent's ``GPTAPI`` and ``AsyncGPTAPI`` on llmrt.

Switch ``from lagent.llms import GPTAPI`` to ``from llmrt.lagent import GPTAPI``: the constructor
and the methods take what lagent's take and return what lagent's return. The call itself runs in
llmrt's C++ core (its provider plugins, retries, key rotation, stop words, meta template and
lagent's default parameters); this module only converts lagent's arguments and return shapes.

Where it differs from lagent (see README "lagent drop-in"):

* A batch ``chat`` (a list of conversations) in which some conversations fail runs every
  conversation to its end and then raises :class:`BatchChatError`, a ``RuntimeError`` carrying
  every result in input order (``.results``: the reply text, or the :class:`llmrt.LlmrtError`
  of that conversation). lagent raised the first error and lost the other replies.
* Failures raise :class:`llmrt.LlmrtError` subclasses (kind, HTTP status, provider code,
  request id, partial content) instead of lagent's bare ``RuntimeError``.
* ``retry`` is the number of retries after the first attempt, as lagent documents it; every
  retry loop is bounded (lagent retried rate limits and connection errors without bound).
* ``key`` may also hold ``'env:VAR'`` entries; ``'ENV'`` is ``$OPENAI_API_KEY`` as in lagent,
  read when the object is made (unset: :class:`llmrt.AuthError` naming it, where lagent sent
  ``Bearer None`` later).
"""

from __future__ import annotations

import asyncio
import enum
import fcntl
import os
import struct
import threading
import warnings
import weakref
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Tuple, Union
from urllib.parse import urlsplit

import llmrt

OPENAI_API_BASE = "https://api.openai.com/v1/chat/completions"

# lagent's GPTAPI sends at most this many conversations at once (its thread pool's size).
_BATCH_CONCURRENCY = 20

# lagent's own arguments that never reach the provider: lagent drops them for OpenAI models.
_LAGENT_ONLY_PARAMS = ("skip_special_tokens", "session_id")


class ModelStatusCode(enum.IntEnum):
    """lagent's ``lagent.schema.ModelStatusCode``, value for value (an IntEnum: equal to lagent's
    members and to plain ints)."""

    END = 0
    STREAM_ING = 1
    SERVER_ERR = -1
    SESSION_CLOSED = -2
    SESSION_OUT_OF_LIMIT = -3
    SESSION_INVALID_ARG = -4
    SESSION_READY = 2


class BatchChatError(RuntimeError):
    """Raised by a batch ``chat`` after every conversation ended, when one or more failed.

    ``results`` holds one entry per conversation, in input order: the reply text, or the
    :class:`llmrt.LlmrtError` that conversation ended with. ``errors`` lists the
    ``(index, error)`` pairs; ``__cause__`` is the first error.
    """

    def __init__(self, results: List[Union[str, BaseException]]):
        self.results = results
        self.errors = [(i, r) for i, r in enumerate(results) if isinstance(r, BaseException)]
        first_index, first = self.errors[0]
        super().__init__(
            f"{len(self.errors)} of {len(results)} conversations failed; the first, "
            f"conversation {first_index}: {first}"
        )


def _default_meta_template(with_environment: bool) -> List[Dict[str, str]]:
    roles = [
        dict(role="system", api_role="system"),
        dict(role="user", api_role="user"),
        dict(role="assistant", api_role="assistant"),
    ]
    if with_environment:
        roles.append(dict(role="environment", api_role="system"))
    return roles


# What lagent's API template parser reads of a role; it ignores anything else (an LM template's
# "generate", for one), and so does this layer, where llmrt would refuse it.
_ROLE_KEYS = ("role", "api_role", "begin", "end", "fallback_role")


def _api_roles(meta_template: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{k: v for k, v in role.items() if k in _ROLE_KEYS} for role in meta_template]


def _provider_for(model_type: str) -> str:
    # lagent's GPTAPI speaks DashScope's native protocol to qwen* models and Puyu's (OpenAI's
    # protocol) to internlm* models; llmrt has a plugin for each.
    name = model_type.lower()
    if name.startswith("qwen"):
        return "qwen"
    if name.startswith("internlm"):
        return "internlm"
    return "openai"


def _keys(key: Union[str, List[str], None]) -> List[str]:
    # lagent's 'ENV' is always OPENAI_API_KEY, whatever the model; llmrt's plain 'ENV' would be
    # the plugin's own variable (DASHSCOPE_API_KEY for qwen), so it is named explicitly.
    if key is None:
        return ["env:OPENAI_API_KEY"]
    keys = [key] if isinstance(key, str) else list(key)
    if not keys:
        raise ValueError("key: expected a key, 'ENV' or a non-empty list of keys, got []")
    return ["env:OPENAI_API_KEY" if k == "ENV" else k for k in keys]


def _proxy_for(proxies: Optional[Dict[str, str]], api_base: str) -> Optional[str]:
    # requests' proxies dict: the entry for the URL's scheme, else 'all'. Without an entry the
    # core reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as requests does.
    if not proxies:
        return None
    scheme = urlsplit(api_base).scheme or "https"
    return proxies.get(scheme) or proxies.get("all")


def _refuse_max_tokens(params: Dict[str, Any]) -> None:
    if "max_tokens" in params:
        raise NotImplementedError("max_tokens is not a lagent parameter: use max_new_tokens")


def _call_params(
    defaults: Dict[str, Any], json_mode: bool, overrides: Dict[str, Any]
) -> Dict[str, Any]:
    params = {**defaults, **overrides}
    # In the call or in gen_params (set after the object was made): refused as lagent does.
    _refuse_max_tokens(params)
    for name in _LAGENT_ONLY_PARAMS:
        params.pop(name, None)
    stop_words = params.get("stop_words")
    if stop_words is None:
        params.pop("stop_words", None)
    elif isinstance(stop_words, str):
        params["stop_words"] = [stop_words]
    if json_mode and "json_mode" not in params:
        params["json_mode"] = True
    return params


def _conversations(inputs: Any) -> Tuple[List[Any], bool]:
    """(conversations, batched): lagent takes one conversation (a list of message dicts) or a
    list of them."""
    if not isinstance(inputs, list):
        raise TypeError(
            "inputs: expected a list of messages or a list of such lists, "
            f"got {type(inputs).__name__}"
        )
    batched = bool(inputs) and not isinstance(inputs[0], dict)
    return (inputs if batched else [inputs]), batched


def _older_api_base(api_base: str, gen_params: Dict[str, Any]) -> str:
    # Older lagent releases named the URL `openai_api_base`. Left in **gen_params it would be
    # sent to the provider as a body parameter while the call went to the default URL (with the
    # key): taken as the URL instead.
    older = gen_params.pop("openai_api_base", None)
    if older is None:
        return api_base
    if api_base not in (OPENAI_API_BASE, older):
        raise ValueError(
            f"api_base and openai_api_base (its older name) disagree: {api_base!r} and {older!r}"
        )
    return older


def _check_arguments(
    model_type: Any,
    retry: Any,
    json_mode: Any,
    key: Any,
    org: Any,
    meta_template: Any,
    api_base: Any,
    proxies: Any,
) -> None:
    """TypeError or ValueError naming the argument, before anything is made or sent. Older
    lagent releases took `query_per_second` second: positional code written for them lands its
    values on `retry` and `json_mode`, which these checks refuse rather than mis-send."""

    def fail(name: str, expected: str, value: Any) -> None:
        raise TypeError(f"{name}: expected {expected}, got {type(value).__name__} {value!r}")

    if not isinstance(model_type, str) or not model_type:
        fail("model_type", "a model name (str)", model_type)
    if not isinstance(retry, int) or isinstance(retry, bool):
        fail("retry", "an int", retry)
    if retry < 0:
        raise ValueError(f"retry: expected retries after the first attempt (>= 0), got {retry}")
    if not isinstance(json_mode, bool):
        fail(
            "json_mode",
            "a bool (positional arguments are model_type, retry, json_mode, key, …; "
            "query_per_second is keyword-only here)",
            json_mode,
        )
    for name, value in (("key", key), ("org", org)):
        if value is None and name == "org":
            continue
        if isinstance(value, str):
            continue
        if not isinstance(value, (list, tuple)) or not all(isinstance(k, str) for k in value):
            fail(name, "a str or a list of str", value)
    if meta_template is not None and (
        not isinstance(meta_template, (list, tuple))
        or not all(isinstance(role, dict) for role in meta_template)
    ):
        fail("meta_template", "a list of role dicts", meta_template)
    if not isinstance(api_base, str):
        fail("api_base", "a URL (str)", api_base)
    if proxies is not None and not isinstance(proxies, dict):
        fail("proxies", "a dict of scheme to proxy URL, as requests takes", proxies)


class _LagentModel:
    """What GPTAPI and AsyncGPTAPI share: lagent's constructor and the llmrt model it makes."""

    is_api: bool = True
    # lagent's default template maps an `environment` role for GPTAPI, not for AsyncGPTAPI.
    _environment_role: bool = True

    def __init__(
        self,
        model_type: str = "gpt-3.5-turbo",
        retry: int = 2,
        json_mode: bool = False,
        key: Union[str, List[str]] = "ENV",
        org: Optional[Union[str, List[str]]] = None,
        meta_template: Optional[List[Dict[str, Any]]] = None,
        api_base: str = OPENAI_API_BASE,
        proxies: Optional[Dict[str, str]] = None,
        *,
        runtime: Optional["llmrt.Runtime"] = None,
        provider: Optional[str] = None,
        **gen_params: Any,
    ):
        if meta_template is None:
            meta_template = _default_meta_template(self._environment_role)
        api_base = _older_api_base(api_base, gen_params)
        _check_arguments(model_type, retry, json_mode, key, org, meta_template, api_base, proxies)
        _refuse_max_tokens(gen_params)
        if "top_k" in gen_params:
            warnings.warn(
                "`top_k` is not an OpenAI API parameter: dropped", DeprecationWarning, stacklevel=2
            )
            gen_params.pop("top_k")
        if "query_per_second" in gen_params:
            # Older lagent releases rate-limited on the client; llmrt's rate budgets are set in
            # a configuration file (limits.rpm), not here.
            warnings.warn(
                "query_per_second is ignored: use a configuration's limits.rpm", stacklevel=2
            )
            gen_params.pop("query_per_second")
        stop_words = gen_params.pop("stop_words", None)
        self.model_type = model_type
        self.retry = retry
        self.json_mode = json_mode
        self.meta_template = meta_template
        self.url = api_base
        self.proxies = proxies
        # lagent's defaults, visible and changeable as in lagent (llm.gen_params['temperature']).
        self.gen_params: Dict[str, Any] = dict(
            max_new_tokens=512,
            top_p=0.8,
            temperature=0.8,
            repetition_penalty=0.0,
            stop_words=[stop_words] if isinstance(stop_words, str) else stop_words,
            skip_special_tokens=False,
        )
        self.gen_params.update(gen_params)
        self._runtime = runtime if runtime is not None else _shared_runtime()
        try:
            self._model = self._runtime.model(
                provider=provider or _provider_for(model_type),
                model=model_type,
                key=_keys(key),
                api_base=api_base,
                org=org,
                retry=retry,
                meta_template=_api_roles(meta_template),
                defaults="lagent",
                proxy=_proxy_for(proxies, api_base),
            )
        except ValueError as e:
            # Named as this constructor was called: its arguments, not Runtime.model()'s.
            made_by = "llmrt.Runtime.model(): "
            text = str(e)
            if type(e) is not ValueError or not text.startswith(made_by):
                raise
            text = text[len(made_by) :]
            if text.startswith("proxy: "):
                text = "proxies: " + text[len("proxy: ") :]
            raise ValueError(f"{type(self).__name__}(): {text}") from None

    @property
    def model(self) -> "llmrt.Model":
        """The llmrt model behind this object (for llmrt's own API: events, usage, tools)."""
        return self._model

    def _params(self, overrides: Dict[str, Any]) -> Dict[str, Any]:
        return _call_params(self.gen_params, self.json_mode, overrides)

    def tokenize(self, prompt: str) -> List[int]:
        """The prompt's token ids, with the tiktoken encoding of ``model_type`` (as lagent)."""
        return self._model.tokenize(prompt)


_runtime_lock = threading.Lock()
_runtime: Optional["llmrt.Runtime"] = None


def _shared_runtime() -> "llmrt.Runtime":
    # One runtime (plugins loaded once, one connection pool) for every model made here.
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = llmrt.Runtime()
        return _runtime


class GPTAPI(_LagentModel):
    """lagent's ``GPTAPI`` on llmrt.

    Args (lagent's):
        model_type: the model name; ``qwen*`` uses llmrt's qwen plugin (DashScope's native
            protocol, as lagent), ``internlm*`` its internlm plugin, anything else openai.
        retry: retries after the first attempt (default 2).
        json_mode: ask for a JSON object reply (``response_format``).
        key: a key, ``'ENV'`` (``$OPENAI_API_KEY``) or a list of keys used round-robin; a key
            rejected for quota or as invalid leaves the rotation.
        org: an OpenAI organisation or a list of them, round-robin.
        meta_template: lagent's role list (``role``, ``api_role``, ``begin``, ``end``,
            ``fallback_role``).
        api_base: the full ``.../chat/completions`` URL (a ``.../v1`` base works too).
        proxies: requests' proxies dict; the entry for ``api_base``'s scheme is used.
        **gen_params: defaults for every call: ``max_new_tokens`` (512), ``top_p`` (0.8),
            ``temperature`` (0.8), ``repetition_penalty`` (0), ``stop_words``, and any
            provider parameter.
    llmrt's own (keyword only): ``runtime`` (an :class:`llmrt.Runtime`; default: one shared
    runtime) and ``provider`` (a plugin name, instead of the one chosen by ``model_type``).
    """

    def chat(
        self, inputs: Union[List[dict], List[List[dict]]], **gen_params: Any
    ) -> Union[str, List[str]]:
        """One conversation -> its reply (stripped, as lagent); a list of conversations -> the
        replies in input order, at most 20 at once. The GIL is released while waiting.

        When conversations of a batch fail, the others still run to their end and
        :class:`BatchChatError` is raised with every result; a single conversation's failure
        raises its :class:`llmrt.LlmrtError`.
        """
        conversations, batched = _conversations(inputs)
        params = self._params(gen_params)
        if not batched:
            return self._model.chat(conversations[0], **params).content.strip()
        outcomes = self._model.chat_batch(conversations, concurrency=_BATCH_CONCURRENCY, **params)
        return _batch_replies(outcomes)

    def stream_chat(
        self, inputs: List[dict], **gen_params: Any
    ) -> Iterator[Tuple[ModelStatusCode, str, None]]:
        """Yields ``(ModelStatusCode.STREAM_ING, text so far, None)`` as the reply arrives, then
        ``(ModelStatusCode.END, whole reply, None)``. The reply ends before the first stop word.
        Leaving the loop early cancels the call."""
        conversations, batched = _conversations(inputs)
        if batched:
            raise TypeError("stream_chat takes one conversation (a list of message dicts)")
        params = self._params(gen_params)
        stream = self._model.stream_chunks(conversations[0], **params)
        try:
            for status, text, _delta in stream:
                if status == ModelStatusCode.END:
                    yield ModelStatusCode.END, text, None
                elif text:
                    yield ModelStatusCode.STREAM_ING, text, None
        finally:
            stream.close()  # cancels the call when the caller left the loop early


def _batch_replies(outcomes: List[Any]) -> List[str]:
    results: List[Union[str, BaseException]] = [
        o if isinstance(o, BaseException) else o.content.strip() for o in outcomes
    ]
    if any(isinstance(r, BaseException) for r in results):
        raise BatchChatError(results) from next(r for r in results if isinstance(r, BaseException))
    return results  # type: ignore[return-value]


class _WakePipe:
    """One event loop's wake-up for its streams: a non-blocking pipe the loop watches.

    llmrt's C++ threads write a stream's token (8 bytes) to it when chunks arrive that the loop
    has not taken yet (one token per stream between two takes), without the GIL: no Python
    code runs off the loop thread, so nothing contends with the loop for the GIL, and only the
    streams named are woken. A pipe found full may have refused tokens: then every waiting
    stream is woken (each takes what it has; ``take_ready`` never waits).
    """

    _TOKEN = struct.Struct("=Q")

    def __init__(self, loop: asyncio.AbstractEventLoop):
        # No reference to the loop: _wake_pipes' weak key must be able to die with it.
        self._read_fd, self.write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        os.set_blocking(self.write_fd, False)
        self._capacity = _pipe_capacity(self._read_fd)
        self._waiters: Dict[int, asyncio.Future] = {}
        self._next_token = 0
        loop.add_reader(self._read_fd, self._on_readable)
        # The streams write to duplicates of the write end, so closing ours never hits a
        # reused fd.
        weakref.finalize(loop, _close_fds, self._read_fd, self.write_fd)

    def new_token(self) -> int:
        self._next_token += 1
        return self._next_token

    def _on_readable(self) -> None:
        data = bytearray()
        try:
            while True:
                piece = os.read(self._read_fd, 65536)
                if not piece:
                    break
                data += piece
        except BlockingIOError:
            pass
        if len(data) >= self._capacity:
            tokens = list(self._waiters)
        else:
            tokens = [t for (t,) in self._TOKEN.iter_unpack(data[: len(data) // 8 * 8])]
        for token in tokens:
            waiter = self._waiters.pop(token, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def wait(self, token: int) -> None:
        waiter = self._waiters[token] = asyncio.get_running_loop().create_future()
        try:
            await waiter
        finally:
            if self._waiters.get(token) is waiter:
                del self._waiters[token]


def _pipe_capacity(fd: int) -> int:
    try:
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
    except (AttributeError, OSError):
        return 65536  # Linux's default


def _close_fds(*fds: int) -> None:
    for fd in fds:
        os.close(fd)


_wake_pipes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _WakePipe]" = (
    weakref.WeakKeyDictionary()
)


def _wake_pipe(loop: asyncio.AbstractEventLoop) -> _WakePipe:
    pipe = _wake_pipes.get(loop)
    if pipe is None:
        pipe = _wake_pipes[loop] = _WakePipe(loop)
    return pipe


class AsyncGPTAPI(_LagentModel):
    """lagent's ``AsyncGPTAPI`` on llmrt: ``await chat(...)`` and ``async for ... in
    stream_chat(...)`` on asyncio. Each call runs on llmrt's threads and its results reach the
    event loop without blocking it: a chat reports once, from the C++ thread, with
    ``call_soon_threadsafe``; a stream's C++ thread only writes a byte to a pipe the loop
    watches, and the loop takes the chunks that arrived meanwhile in one go, so no Python code
    runs off the loop thread per chunk (a callback per chunk would contend with the loop for the
    GIL per chunk). Cancelling the task that awaits ``chat`` (or iterates ``stream_chat``), or
    leaving ``async for`` early, cancels the HTTP call.

    Arguments as :class:`GPTAPI` (the default ``meta_template`` has no ``environment`` role,
    as lagent's AsyncGPTAPI).
    """

    _environment_role = False

    async def chat(
        self,
        inputs: Union[List[dict], List[List[dict]]],
        session_ids: Union[int, List[int], None] = None,
        **gen_params: Any,
    ) -> Union[str, List[str]]:
        """As :meth:`GPTAPI.chat`, awaited; a batch runs every conversation at once.
        ``session_ids`` is accepted for lagent's agents and not used (API models keep no
        session)."""
        conversations, batched = _conversations(inputs)
        params = self._params(gen_params)
        if not batched:
            result = await self._chat_one(conversations[0], params)
            return result.content.strip()
        outcomes = await asyncio.gather(
            *(self._chat_one(c, params) for c in conversations), return_exceptions=True
        )
        for outcome in outcomes:
            # A cancelled batch is cancelled as a whole, not reported as one failure.
            if isinstance(outcome, asyncio.CancelledError):
                raise outcome
        return _batch_replies(outcomes)

    async def _chat_one(self, messages: List[dict], params: Dict[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()

        def settle(outcome: Any) -> None:
            if done.done():
                return
            if isinstance(outcome, BaseException):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

        def on_done(outcome: Any) -> None:
            try:
                loop.call_soon_threadsafe(settle, outcome)
            except RuntimeError:
                pass  # the loop was closed: nobody is waiting any more

        handle = self._model.start_chat(messages, params, on_done)
        try:
            return await done
        except asyncio.CancelledError:
            handle.cancel()
            raise

    async def stream_chat(
        self, inputs: List[dict], **gen_params: Any
    ) -> AsyncIterator[Tuple[ModelStatusCode, str, None]]:
        """As :meth:`GPTAPI.stream_chat`, as an async generator. Cancelling the consuming task,
        or leaving the loop early, cancels the call."""
        conversations, batched = _conversations(inputs)
        if batched:
            raise TypeError("stream_chat takes one conversation (a list of message dicts)")
        params = self._params(gen_params)
        pipe = _wake_pipe(asyncio.get_running_loop())
        stream = self._model.stream_chunks(conversations[0], **params)
        token = pipe.new_token()
        stream.set_wake_fd(pipe.write_fd, token)
        try:
            chunks = stream.take_ready()
            while True:
                if not chunks:
                    await pipe.wait(token)
                    # A token read while this stream was busy is gone, and none comes again
                    # until its chunks are taken: so take before every wait, never wait twice.
                    chunks = stream.take_ready()
                    continue
                for chunk in chunks:
                    if isinstance(chunk, BaseException):
                        raise chunk
                    status, text, _delta = chunk
                    if status == ModelStatusCode.END:
                        yield ModelStatusCode.END, text, None
                        return
                    if text:
                        yield ModelStatusCode.STREAM_ING, text, None
                chunks = stream.take_ready()
                if chunks:
                    # A stream that always has chunks ready must still let the loop run others.
                    await asyncio.sleep(0)
        finally:
            stream.set_wake_fd(-1)
            stream.close()  # cancels the call when the consumer left early or was cancelled
