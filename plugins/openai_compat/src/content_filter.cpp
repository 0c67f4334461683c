#include "llmrt/plugins/openai_compat/content_filter.h"

#include "llmrt/sdk/snippet.h"

namespace llmrt::plugins::openai_compat {
namespace {

// Azure has about ten categories; more than this is no real reply.
constexpr int kMaxCategoriesNamed = 16;
constexpr std::size_t kMaxNameBytes = 40;

}  // namespace

std::string filtered_categories(const json::Value& results) {
  std::string named;
  int count = 0;
  for (const auto& [category, result] : results.members()) {
    if (result["filtered"].as_bool() != true) continue;
    if (++count > kMaxCategoriesNamed) {
      named += ", …";
      break;
    }
    if (!named.empty()) named += ", ";
    named += snippet(category, kMaxNameBytes);
    // "severity" for the harm categories; "detected" for jailbreak, protected material and
    // the custom blocklists.
    if (auto severity = result["severity"].as_string(); severity && !severity->empty()) {
      ((named += " (") += snippet(*severity, kMaxNameBytes)) += ')';
    } else if (result["detected"].as_bool() == true) {
      named += " (detected)";
    }
  }
  return named;
}

void name_filtered_categories(const json::Value& error, ErrorInfo& info) {
  if (info.kind != ErrorKind::content_filter) return;
  const std::string named = filtered_categories(error["innererror"]["content_filter_result"]);
  if (named.empty()) return;
  if (!info.message.empty()) info.message += ' ';
  (info.message += "[filtered: ") += named;
  info.message += ']';
}

}  // namespace llmrt::plugins::openai_compat
