"""llmrt's exceptions: one class per error kind of the C++ runtime (llmrt/sdk/error.h).

Every failure of a call raises an LlmrtError subclass carrying what the provider said (HTTP
status, code, request id, retry hint) and the reply text that arrived before the failure
(``partial_content``), so nothing received is lost.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "LlmrtError",
    "RateLimitError",
    "QuotaExhaustedError",
    "AuthError",
    "PermissionDeniedError",
    "BadRequestError",
    "ContextLengthError",
    "ContentFilterError",
    "NotFoundError",
    "ServerError",
    "LlmrtTimeoutError",
    "NetworkError",
    "ProtocolError",
    "CancelledError",
]


class LlmrtError(Exception):
    """A failed call. ``str(error)`` names the kind, provider, status, code and request id."""

    kind: str = "protocol"

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        status: int = 0,
        code: str = "",
        request_id: str = "",
        partial_content: str = "",
        retry_after: Optional[float] = None,
        provider: str = "",
        url: str = "",
        description: Optional[str] = None,
    ) -> None:
        super().__init__(description if description is not None else message)
        if kind is not None:
            self.kind = kind
        self.message = message
        #: The HTTP status, 0 when there was none (network failure, error inside a stream).
        self.status = status
        #: The provider's error code or type, as sent ("" when none).
        self.code = code
        self.request_id = request_id
        #: The reply text received before the failure.
        self.partial_content = partial_content
        #: Seconds the provider asked to wait before trying again; None when it did not say.
        self.retry_after = retry_after
        self.provider = provider
        #: The URL of the failed call with its secrets removed ("" when none was reached).
        self.url = url

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.message

    def __reduce__(self):  # picklable across processes, keyword fields included
        return (_rebuild, (type(self), self.message, self.__dict__.copy(), str(self)))


def _rebuild(cls, message, fields, description):
    error = cls(message, description=description)
    error.__dict__.update(fields)
    return error


class RateLimitError(LlmrtError):
    """Too many requests (HTTP 429): slow down; ``retry_after`` says for how long."""

    kind = "rate_limited"


class QuotaExhaustedError(LlmrtError):
    """The key has no quota left (it is taken out of rotation)."""

    kind = "quota_exhausted"


class AuthError(LlmrtError):
    """The key was refused (HTTP 401), or no key could be found."""

    kind = "auth"


class PermissionDeniedError(LlmrtError):
    """The key may not do this (HTTP 403)."""

    kind = "permission"


class BadRequestError(LlmrtError):
    """The provider refused the request as malformed (HTTP 400 and other 4xx)."""

    kind = "bad_request"


class ContextLengthError(BadRequestError):
    """The conversation does not fit the model's context window."""

    kind = "context_length"


class ContentFilterError(LlmrtError):
    """The provider's content filter refused the prompt or the reply."""

    kind = "content_filter"


class NotFoundError(LlmrtError):
    """No such model, deployment or endpoint (HTTP 404), or no such plugin or configured name."""

    kind = "not_found"


class ServerError(LlmrtError):
    """The provider failed (HTTP 5xx, 409)."""

    kind = "server"


class LlmrtTimeoutError(LlmrtError, TimeoutError):
    """A connect, read or total timeout; also a builtin TimeoutError."""

    kind = "timeout"


class NetworkError(LlmrtError, ConnectionError):
    """The connection failed or broke; also a builtin ConnectionError."""

    kind = "network"


class ProtocolError(LlmrtError):
    """The peer broke the wire format (malformed JSON, an oversized line, …)."""

    kind = "protocol"


class CancelledError(LlmrtError):
    """The call was cancelled (CancelToken, CallHandle.cancel, Stream.close, Ctrl-C)."""

    kind = "cancelled"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        RateLimitError,
        QuotaExhaustedError,
        AuthError,
        PermissionDeniedError,
        BadRequestError,
        ContextLengthError,
        ContentFilterError,
        NotFoundError,
        ServerError,
        LlmrtTimeoutError,
        NetworkError,
        ProtocolError,
        CancelledError,
    )
}


def _from_native(
    kind: str,
    status: int,
    code: str,
    message: str,
    request_id: str,
    partial_content: str,
    retry_after: Optional[float],
    provider: str,
    url: str,
    description: str,
) -> LlmrtError:
    """The exception for an error of the C++ runtime (called by the extension)."""
    cls = _BY_KIND.get(kind, LlmrtError)
    return cls(
        message,
        kind=kind,
        status=status,
        code=code,
        request_id=request_id,
        partial_content=partial_content,
        retry_after=retry_after,
        provider=provider,
        url=url,
        description=description,
    )
