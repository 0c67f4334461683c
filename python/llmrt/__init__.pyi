import os
from typing import Any, Mapping, Optional, Sequence, Union

from ._llmrt import (
    BatchResults as BatchResults,
    CallHandle as CallHandle,
    CancelToken as CancelToken,
    ChatResult as ChatResult,
    ChunkStream as ChunkStream,
    Delta as Delta,
    Event as Event,
    Finish as Finish,
    Messages as Messages,
    Model as Model,
    Reasoning as Reasoning,
    Stream as Stream,
    StreamWarning as StreamWarning,
    ToolCall as ToolCall,
    Usage as Usage,
)
from .errors import (
    AuthError as AuthError,
    BadRequestError as BadRequestError,
    CancelledError as CancelledError,
    ContentFilterError as ContentFilterError,
    ContextLengthError as ContextLengthError,
    LlmrtError as LlmrtError,
    LlmrtTimeoutError as LlmrtTimeoutError,
    NetworkError as NetworkError,
    NotFoundError as NotFoundError,
    PermissionDeniedError as PermissionDeniedError,
    ProtocolError as ProtocolError,
    QuotaExhaustedError as QuotaExhaustedError,
    RateLimitError as RateLimitError,
    ServerError as ServerError,
)

__version__: str

class Runtime:
    def __init__(self, plugins: Optional[Sequence[Union[str, os.PathLike[str]]]] = None) -> None: ...
    @classmethod
    def from_config(cls, path: Union[str, os.PathLike[str]]) -> Runtime: ...
    def model(
        self,
        provider: Optional[str] = None,
        model: Optional[str] = None,
        *,
        key: Union[str, Sequence[str], None] = None,
        api_base: Optional[str] = None,
        org: Union[str, Sequence[str], None] = None,
        retry: Optional[int] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        meta_template: Optional[Sequence[Mapping[str, str]]] = None,
        defaults: Optional[str] = None,
        proxy: Optional[str] = None,
        ca_file: Optional[str] = None,
        encoding: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, str]] = None,
    ) -> Model: ...
    @property
    def plugins(self) -> list[dict[str, str]]: ...
    @property
    def load_errors(self) -> list[str]: ...
    @property
    def names(self) -> list[str]: ...
