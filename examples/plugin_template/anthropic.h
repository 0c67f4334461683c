// The template for a provider plugin: an Anthropic Messages-style API (POST /v1/messages) whose
// stream is server-sent events named by type (message_start, content_block_delta, …). Written
// with the SDK alone: its JSON reader and writer, SseDecoder, ChatResultBuilder. A plugin
// includes only llmrt's sdk headers and does no I/O: it renders requests, decodes bytes and
// classifies errors; the runtime does the rest. Rename it, keep the shape.
#pragma once

#include <memory>
#include <string>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"

namespace example {

inline constexpr const char* kApiVersion = "2023-06-01";
// The API requires max_tokens; this is sent (with a warning) when the caller set none.
inline constexpr int kDefaultMaxTokens = 4096;

// The request body (anthropic_request.cpp); what it had to drop or change goes to `warnings`.
std::string render_body(const llmrt::ChatRequest& request, std::vector<std::string>& warnings);

// stop_reason → llmrt's finish reason, the raw value kept.
llmrt::FinishEvent finish_event(std::string_view stop_reason);

// An error object {"type":"error","error":{"type","message"}} as llmrt's kinds.
llmrt::ErrorInfo classify(llmrt::json::Value error_object, int status);

std::unique_ptr<llmrt::StreamDecoder> new_decoder(const llmrt::StreamContext& context);

}  // namespace example
