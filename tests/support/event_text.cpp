#include "support/event_text.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "llmrt/sdk/overloaded.h"

namespace llmrt::test {

std::string event_text(const StreamEvent& event) {
  return std::visit(Overloaded{
                        [](const ContentDelta& e) { return "content:" + e.text; },
                        [](const ReasoningDelta& e) { return "reasoning:" + e.text; },
                        [](const ToolCallDelta& e) {
                          return "tool:" + std::to_string(e.index) + "|" + e.id + "|" + e.name +
                                 "|" + e.arguments;
                        },
                        [](const FinishEvent& e) {
                          // The raw value only when it says more than the mapped one.
                          std::string text = "finish:" + std::string(to_string(e.reason));
                          if (e.raw != to_string(e.reason)) text += "|" + e.raw;
                          return text;
                        },
                        [](const WarningEvent& e) { return "warning:" + e.message; },
                        [](const UsageEvent& e) {
                          return "usage:" + std::to_string(e.usage.prompt_tokens) + "/" +
                                 std::to_string(e.usage.completion_tokens) + "/" +
                                 std::to_string(e.usage.total_tokens);
                        },
                        [](const ErrorEvent& e) {
                          return "error:" + std::string(to_string(e.error.kind)) + "|" +
                                 e.error.code + "|" + e.error.message;
                        },
                        [](const DoneEvent&) { return std::string("done"); },
                    },
                    event);
}

std::vector<std::string> event_texts(const std::vector<StreamEvent>& events) {
  std::vector<std::string> out;
  for (const StreamEvent& e : events) out.push_back(event_text(e));
  return out;
}

std::string sse_text(const SseEvent& event) {
  return std::string(event.type) + "|" + std::string(event.data) + "|" + std::string(event.id);
}

std::vector<std::vector<std::string>> splits_of(const std::string& body, std::size_t pair_limit) {
  std::vector<std::vector<std::string>> splits;
  splits.push_back({body});
  std::vector<std::string> bytes;
  for (char c : body) bytes.emplace_back(1, c);
  splits.push_back(bytes);
  for (std::size_t i = 0; i <= body.size(); ++i) {
    splits.push_back({body.substr(0, i), body.substr(i)});
  }
  if (body.size() <= pair_limit) {
    for (std::size_t i = 0; i <= body.size(); ++i) {
      for (std::size_t j = i; j <= body.size(); ++j) {
        splits.push_back({body.substr(0, i), body.substr(i, j - i), body.substr(j)});
      }
    }
  }
  return splits;
}

std::string read_data(const std::string& relative) {
  std::ifstream in(std::string(LLMRT_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing test data " + relative);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace llmrt::test
