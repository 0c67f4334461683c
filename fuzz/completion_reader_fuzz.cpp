// The OpenAI-compatible plugins' one-pass reader of non-streamed replies against the general
// path on arbitrary bytes: a body the reader accepts, the tree path reads without an error and
// to the same result; a body it declines is left to the tree path.
#include <string>

#include "fuzz_input.h"
#include "llmrt/plugins/openai_compat/completion_reader.h"
#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/sdk/error.h"

namespace {

// Every field a plugin sets, as one line.
std::string text(const llmrt::ChatResult& r) {
  std::string out = r.content + '\0' + r.reasoning + '\0' +
                    std::to_string(r.finish_reason ? static_cast<int>(*r.finish_reason) : -1) +
                    r.finish_reason_raw;
  for (const llmrt::ToolCall& c : r.tool_calls) {
    out += '\0' + std::to_string(c.index) + ',' + c.id + ',' + c.type + ',' + c.name + ',' +
           c.arguments;
  }
  if (r.usage) {
    for (long long n : {r.usage->prompt_tokens, r.usage->completion_tokens, r.usage->total_tokens,
                        r.usage->cache_read_tokens, r.usage->reasoning_tokens}) {
      out += ',' + std::to_string(n);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  llmrt::ChatResult fast;
  if (!llmrt::plugins::openai_compat::read_completion(body, fast)) return 0;
  try {
    const llmrt::ChatResult tree =
        llmrt::plugins::openai_compat::parse_completion_tree(llmrt::HttpResponse{200, {}, body});
    if (text(fast) != text(tree)) llmrt::fuzz::broken_promise();
  } catch (const llmrt::Error&) {
    llmrt::fuzz::broken_promise();  // the reader accepted what the tree path refuses
  }
  return 0;
}
