#pragma once

namespace llmrt {

// lagent's ModelStatusCode, with its values, so that code ported from lagent reads the same.
enum class ModelStatusCode : int {
  END = 0,
  STREAM_ING = 1,
  SERVER_ERR = -1,
  SESSION_CLOSED = -2,
  SESSION_OUT_OF_LIMIT = -3,
  SESSION_INVALID_ARG = -4,
  SESSION_READY = 2,
};

}  // namespace llmrt
