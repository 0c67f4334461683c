#include "llmrt/plugins/openai_compat/bounded_json.h"

#include <rapidjson/error/en.h>

namespace llmrt::plugins::json {

std::string ParseStatus::describe() const {
  std::string what = too_deep ? "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                              : std::string(rapidjson::GetParseError_En(code));
  return what + " at offset " + std::to_string(offset);
}

bool clamp_number_at(std::string& text, std::size_t offset) {
  std::size_t end = offset;
  while (end < text.size() &&
         (std::string_view("+-.eE0123456789").find(text[end]) != std::string_view::npos)) {
    ++end;
  }
  const std::string_view limit = offset < text.size() && text[offset] == '-' ? "-1e308" : "1e308";
  // The shortest number RapidJSON refuses is "1e309": the bound always fits.
  if (end - offset < limit.size()) return false;
  text.replace(offset, limit.size(), limit);
  std::fill(text.begin() + static_cast<std::ptrdiff_t>(offset + limit.size()),
            text.begin() + static_cast<std::ptrdiff_t>(end), ' ');
  return true;
}

}  // namespace llmrt::plugins::json
