// The meta template on any roles and messages: a mapping or llmrt::Error naming the problem.
// Input: lines; "R role|api_role|begin|end|fallback" define roles, other lines are
// "role|content" messages.
#include <vector>

#include "fuzz_input.h"
#include "llmrt/core/meta_template.h"
#include "llmrt/sdk/error.h"

namespace {

std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t bar = line.find('|', start);
    out.emplace_back(line.substr(start, bar - start));
    if (bar == std::string_view::npos) return out;
    start = bar + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<llmrt::core::RoleSpec> roles;
  std::vector<llmrt::Message> messages;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl - start);
    if (line.substr(0, 2) == "R ") {
      auto f = fields(line.substr(2));
      f.resize(5);
      roles.push_back({f[0], f[1], f[2], f[3], f[4]});
    } else if (!line.empty()) {
      auto f = fields(line);
      f.resize(2);
      messages.push_back({.role = f[0], .content = f[1]});
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  try {
    llmrt::core::MetaTemplate t = roles.empty() ? llmrt::core::MetaTemplate::default_template()
                                                : llmrt::core::MetaTemplate(roles);
    auto mapped = t.apply(messages);
    if (mapped.size() > messages.size()) llmrt::fuzz::broken_promise();
  } catch (const llmrt::Error&) {
  }
  return 0;
}
