#pragma once

// Tools and tool_choice in OpenAI's shape, the one shape llmrt reads them in (the "tools" and
// "tool_choice" parameters, the CLI's --tools FILE):
//
//   [{"type": "function", "function": {"name": "get_weather", "description": "…",
//                                      "parameters": {"type": "object", …}}}]
//   "auto" | "none" | "required" | {"type": "function", "function": {"name": "get_weather"}}

#include <optional>
#include <string_view>
#include <vector>

#include "llmrt/sdk/gen_params.h"
#include "llmrt/sdk/tool.h"

namespace llmrt::core {

// The tools of a JSON array (null: none). Throws Error (bad_request) "<where>: [i].<key>: …"
// naming the tool and the key that is wrong; a key llmrt does not know is refused, not dropped.
std::vector<ToolSpec> parse_tools_json(std::string_view json, std::string_view where);

// A tool_choice (null: unset, the provider's default). Throws Error (bad_request) naming
// `where` and what was expected.
std::optional<ToolChoice> parse_tool_choice_json(std::string_view json, std::string_view where);

// A call's tool_choice against its tools: one that must call a tool with none given, or names a
// tool that is not among them, is refused (Error bad_request) before it is sent, as the APIs
// refuse it with a 400. Tools passed as a raw "tools" extra are not looked into.
void check_tool_choice(const GenParams& params);

}  // namespace llmrt::core
