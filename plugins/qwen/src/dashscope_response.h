#pragma once

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::qwen {

// Usage in DashScope's names (input_tokens, output_tokens; total_tokens when present).
Usage read_usage(const llmrt::json::Value& usage);

// The message of output.choices[0] ("message" format) or output.text ("text" format).
struct NativeOutput {
  llmrt::json::Value message;      // absent in the text format
  std::string_view text;           // the text format's output.text
  std::string_view finish_reason;  // "" while not finished ("null" on the wire)
};
NativeOutput read_output(const llmrt::json::Value& output);

// Parses a native non-streamed body. Throws Error: the classified error when the body is a
// DashScope error object, protocol when it is not the expected JSON.
ChatResult parse_native_response(const HttpResponse& response);

}  // namespace llmrt::plugins::qwen
