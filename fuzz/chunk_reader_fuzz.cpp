// The OpenAI-compatible plugins' fast chunk reader against the general path on arbitrary
// bytes: a chunk the reader accepts is valid JSON with no error member, and decode_chunk reads
// the same events from its tree; a chunk it declines is left to the general path.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/chunk_reader.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace {

std::vector<std::string> texts(const std::vector<llmrt::StreamEvent>& events) {
  std::vector<std::string> out;
  for (const llmrt::StreamEvent& e : events) out.push_back(llmrt::fuzz::event_text(e));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view chunk(reinterpret_cast<const char*>(data), size);
  static llmrt::plugins::openai_compat::ChunkReader reader;  // reused, as a stream reuses it
  std::vector<llmrt::StreamEvent> fast;
  if (!reader.read(chunk, fast)) {
    if (!fast.empty()) llmrt::fuzz::broken_promise();  // declining appends nothing
    return 0;
  }
  std::optional<llmrt::json::Document> doc = llmrt::json::Document::try_parse(chunk);
  if (!doc || !doc->root().is_object()) llmrt::fuzz::broken_promise();
  for (const char* member : {"error", "code", "msgCode", "success", "error_code"}) {
    if (doc->root()[member].exists()) llmrt::fuzz::broken_promise();
  }
  std::vector<llmrt::StreamEvent> general;
  try {
    llmrt::plugins::openai_compat::decode_chunk(doc->root(), general);
  } catch (const llmrt::Error&) {
    llmrt::fuzz::broken_promise();  // the reader accepted what the general path refuses
  }
  if (texts(fast) != texts(general)) llmrt::fuzz::broken_promise();
  return 0;
}
