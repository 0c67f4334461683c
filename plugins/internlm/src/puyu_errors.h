#pragma once

#include <optional>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::internlm {

// Puyu's codes (shared/wire/internlm.md), then the OpenAI-style rules.
extern const ErrorTable kPuyuErrors;

// Puyu's own error shapes, in a body or inside a stream: {"code": -20003, "msg": …} — the
// context is longer than the model takes — and the gateway's {"success": false, "msgCode":
// "A0202", "msg": …} auth failures. Null for anything else.
std::optional<ErrorInfo> puyu_error(const llmrt::json::Value& object, int http_status);

// Puyu's shapes first, then the OpenAI-style classification.
ErrorInfo classify_error(const HttpResponse& response);

}  // namespace llmrt::plugins::internlm
