#pragma once

// What the C API's opaque handles hold: the C++ values they wrap, and the strings their
// accessors hand out (kept here so that a returned pointer lives as long as its handle).

#include <memory>
#include <string>
#include <vector>

#include "llmrt/c/llmrt.h"
#include "llmrt/core/cancel_token.h"
#include "llmrt/core/chat_model.h"
#include "llmrt/core/chat_stream.h"
#include "llmrt/core/runtime.h"
#include "llmrt/sdk/chat_result.h"

struct llmrt_runtime {
  explicit llmrt_runtime(llmrt::core::Runtime r);

  llmrt::core::Runtime runtime;
  std::string load_errors;  // one line per plugin file that failed to load
};

struct llmrt_model {
  llmrt::core::ChatModel model;
};

// Shared with every call it is given to: freeing the handle never pulls a token from under a
// call still running.
struct llmrt_cancel {
  std::shared_ptr<llmrt::core::CancelToken> token = std::make_shared<llmrt::core::CancelToken>();
};

struct llmrt_result {
  explicit llmrt_result(llmrt::ChatResult r);

  llmrt::ChatResult result;
  std::string tool_calls_json;
  std::string message_json;
  std::string finish_reason;
};

// The event handed out last and the strings it points into.
struct CEventSlot {
  llmrt_event event{};
  std::string finish_name;
};

struct llmrt_stream {
  explicit llmrt_stream(llmrt::core::ChatStream s) : stream(std::move(s)) {}

  llmrt::core::ChatStream stream;
  std::vector<llmrt::StreamEvent> events;  // decoded, not yet handed out
  std::size_t next_event = 0;
  CEventSlot slot;
  bool ended = false;
  // A failure ends the stream; llmrt_stream_result reports it again.
  std::exception_ptr failure;
};
