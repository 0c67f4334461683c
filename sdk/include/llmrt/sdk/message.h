#pragma once

#include <optional>
#include <string>

namespace llmrt {

// One turn of a conversation. Before the meta template runs, `role` is an internal role
// (system, user, assistant, environment, or any role the template defines); after it, an API role.
struct Message {
  std::string role{};
  std::string content{};
  std::optional<std::string> name{};
  std::optional<std::string> tool_call_id{};
  // The assistant's tool calls as the provider's JSON array, passed through unchanged.
  std::optional<std::string> tool_calls_json{};
};

}  // namespace llmrt
