"""llmrt for Python: chat with LLM providers through llmrt's C++ runtime and its plugins.

    import llmrt
    rt = llmrt.Runtime()
    model = rt.model("openai", "gpt-4o-mini")        # key: $OPENAI_API_KEY
    print(model.chat("Say hello").content)
    for event in model.stream("Count to 3"):
        if isinstance(event, llmrt.Delta):
            print(event.text, end="")
"""

import atexit as _atexit

from . import _llmrt
from ._llmrt import (
    BatchResults,
    CallHandle,
    CancelToken,
    ChatResult,
    ChunkStream,
    Delta,
    Finish,
    Model,
    Reasoning,
    Stream,
    StreamWarning,
    ToolCall,
    Usage,
)
from ._runtime import Runtime

__version__ = _llmrt.__version__
from .errors import (
    AuthError,
    BadRequestError,
    CancelledError,
    ContentFilterError,
    ContextLengthError,
    LlmrtError,
    LlmrtTimeoutError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    QuotaExhaustedError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "Runtime",
    "Model",
    "ChatResult",
    "Usage",
    "Stream",
    "ChunkStream",
    "BatchResults",
    "CallHandle",
    "CancelToken",
    "Delta",
    "Reasoning",
    "ToolCall",
    "Finish",
    "StreamWarning",
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

# Calls still running at exit are cancelled and their threads waited for while the interpreter
# is whole: a thread that called back into Python after it is gone would crash the process.
_atexit.register(_llmrt._stop_all_calls)
