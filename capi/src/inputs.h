#pragma once

// The inputs of a call as C callers give them: JSON text, read with the core's own readers so
// that the C API accepts exactly what the CLI accepts.

#include <string>
#include <vector>

#include "llmrt/c/llmrt.h"
#include "llmrt/core/call_control.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/message.h"

namespace llmrt::c_api {

// A JSON array of messages (core/messages_json.h). Throws Error (bad_request)
// "WHERE: …" naming the message and key, or the line and column of a syntax error.
std::vector<Message> read_messages(const char* messages_json,
                                   const std::string& where = "messages_json");

// NULL, or a JSON object whose members are parameters, each sent as the JSON value it is.
// Throws Error (bad_request) "WHERE: …".
core::ParamOverrides read_params(const char* params_json, const std::string& where = "params_json");

// The call's controls: its cancel token when given one.
core::CallControl read_control(llmrt_cancel* cancel);

}  // namespace llmrt::c_api
