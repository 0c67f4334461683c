import enum
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Tuple, Union

import llmrt

OPENAI_API_BASE: str

Message = Dict[str, Any]

class ModelStatusCode(enum.IntEnum):
    END = 0
    STREAM_ING = 1
    SERVER_ERR = -1
    SESSION_CLOSED = -2
    SESSION_OUT_OF_LIMIT = -3
    SESSION_INVALID_ARG = -4
    SESSION_READY = 2

class BatchChatError(RuntimeError):
    results: List[Union[str, BaseException]]
    errors: List[Tuple[int, BaseException]]
    def __init__(self, results: List[Union[str, BaseException]]) -> None: ...

class GPTAPI:
    is_api: bool
    model_type: str
    retry: int
    json_mode: bool
    meta_template: List[Dict[str, Any]]
    url: str
    proxies: Optional[Dict[str, str]]
    gen_params: Dict[str, Any]
    def __init__(
        self,
        model_type: str = ...,
        retry: int = ...,
        json_mode: bool = ...,
        key: Union[str, List[str]] = ...,
        org: Optional[Union[str, List[str]]] = ...,
        meta_template: Optional[List[Dict[str, Any]]] = ...,
        api_base: str = ...,
        proxies: Optional[Dict[str, str]] = ...,
        *,
        runtime: Optional[llmrt.Runtime] = ...,
        provider: Optional[str] = ...,
        **gen_params: Any,
    ) -> None: ...
    @property
    def model(self) -> llmrt.Model: ...
    def chat(
        self, inputs: Union[List[Message], List[List[Message]]], **gen_params: Any
    ) -> Union[str, List[str]]: ...
    def stream_chat(
        self, inputs: List[Message], **gen_params: Any
    ) -> Iterator[Tuple[ModelStatusCode, str, None]]: ...
    def tokenize(self, prompt: str) -> List[int]: ...

class AsyncGPTAPI:
    is_api: bool
    model_type: str
    retry: int
    json_mode: bool
    meta_template: List[Dict[str, Any]]
    url: str
    proxies: Optional[Dict[str, str]]
    gen_params: Dict[str, Any]
    def __init__(
        self,
        model_type: str = ...,
        retry: int = ...,
        json_mode: bool = ...,
        key: Union[str, List[str]] = ...,
        org: Optional[Union[str, List[str]]] = ...,
        meta_template: Optional[List[Dict[str, Any]]] = ...,
        api_base: str = ...,
        proxies: Optional[Dict[str, str]] = ...,
        *,
        runtime: Optional[llmrt.Runtime] = ...,
        provider: Optional[str] = ...,
        **gen_params: Any,
    ) -> None: ...
    @property
    def model(self) -> llmrt.Model: ...
    async def chat(
        self,
        inputs: Union[List[Message], List[List[Message]]],
        session_ids: Union[int, List[int], None] = ...,
        **gen_params: Any,
    ) -> Union[str, List[str]]: ...
    def stream_chat(
        self, inputs: List[Message], **gen_params: Any
    ) -> AsyncIterator[Tuple[ModelStatusCode, str, None]]: ...
    def tokenize(self, prompt: str) -> List[int]: ...
