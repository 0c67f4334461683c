#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmrt {

struct Usage {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long total_tokens = 0;
};

struct ToolCall {
  std::int64_t index = 0;
  std::string id{};
  std::string type = "function";
  std::string name{};
  std::string arguments{};  // JSON text as the model wrote it (may be invalid JSON)
};

struct ChatResult {
  std::string content{};
  std::string reasoning{};
  std::vector<ToolCall> tool_calls{};  // ordered by index
  std::string finish_reason{};
  std::optional<Usage> usage{};
};

}  // namespace llmrt
