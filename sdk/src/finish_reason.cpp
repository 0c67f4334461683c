#include "llmrt/sdk/finish_reason.h"

#include <array>
#include <utility>

namespace llmrt {
namespace {

constexpr std::array<std::pair<FinishReason, std::string_view>, 6> kNames{{
    {FinishReason::stop, "stop"},
    {FinishReason::length, "length"},
    {FinishReason::tool_calls, "tool_calls"},
    {FinishReason::content_filter, "content_filter"},
    {FinishReason::error, "error"},
    {FinishReason::other, "other"},
}};

}  // namespace

std::string_view to_string(FinishReason reason) noexcept {
  for (const auto& [value, name] : kNames) {
    if (value == reason) return name;
  }
  return "other";
}

std::optional<FinishReason> finish_reason_from_string(std::string_view name) noexcept {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

}  // namespace llmrt
