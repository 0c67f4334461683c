#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_request.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json_writer.h"

namespace llmrt::plugins::openai_compat {

struct BodyOptions {
  // lagent's cap: max_tokens = min(max_new_tokens, cap). ChatRequest option "max_tokens_cap"
  // overrides it.
  int max_tokens_cap = 4096;
  // Ask for the usage chunk at the end of a stream (stream_options.include_usage).
  bool stream_usage = true;
  // When set, only these top-level body keys are sent (APIs that reject unknown parameters):
  // llmrt's own parameters outside the set are left out, a caller's extra outside it is an
  // error naming it.
  const std::set<std::string, std::less<>>* allowed_keys = nullptr;
  // When set, a warning is added for each parameter the caller set that is not sent as set
  // (left out, or lowered by the cap), for HttpRequest::warnings. `api_name` names the API in
  // them.
  std::vector<std::string>* warnings = nullptr;
  std::string_view api_name = "the OpenAI chat API";
};

using JsonWriter = llmrt::json::JsonWriter;

// Writes the messages array: role, content, and name / tool_call_id / tool_calls when set. An
// assistant message with tool calls and no text gets content null (OpenAI's way), or "" when
// `null_without_text` is false (DashScope's native examples).
void write_messages(JsonWriter& w, const std::vector<Message>& messages,
                    bool null_without_text = true);

// Writes "tools" and "tool_choice" (GenParams::tools, tool_choice) in OpenAI's shape when set.
// Throws Error (bad_request) when the caller also gave either as an extra parameter.
void write_tools(JsonWriter& w, const GenParams& params);

// Adds "reasoning blocks are not sent to <provider>" to `warnings` when a message carries
// reasoning another provider signed or redacted (opaque data meant only for that provider,
// which OpenAI-style APIs have no field for). Plain reasoning text is not meant to go back:
// no warning for it.
void warn_unsent_reasoning(const std::vector<Message>& messages, std::string_view provider,
                           std::vector<std::string>& warnings);

// Writes each extra parameter as `"key": <its JSON>`.
void write_extras(JsonWriter& w, const GenParams& params);

// The max_tokens cap: the "max_tokens_cap" option when given (Error bad_request when it is not
// a positive integer), else `fallback`.
int max_tokens_cap(const ChatRequest& request, int fallback);

// Refuses extras that would collide with what llmrt renders (model, messages, stream) and
// max_tokens (lagent's rule: say max_new_tokens). Throws Error (bad_request) naming the key.
void reject_reserved_extras(const GenParams& params);

// A POST to `url` carrying JSON, authorised with `token` as a bearer token, accepting an event
// stream or JSON as the call streams or not: what every chat-completions call starts from.
HttpRequest json_post(std::string url, std::string_view token, bool stream);

// o1/o3/o4 and gpt-5 models take max_completion_tokens and reject sampling parameters.
bool is_reasoning_model(std::string_view model);

// The JSON body of POST /chat/completions, with lagent's parameter mapping. Throws Error
// (bad_request) when an extra parameter collides with one llmrt sets itself.
std::string render_chat_body(const ChatRequest& request, const BodyOptions& options = {});

}  // namespace llmrt::plugins::openai_compat
