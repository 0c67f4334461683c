// The OpenAI-compatible plugins' fast chunk reader against the general path on arbitrary
// bytes: a chunk the reader accepts is valid JSON with no error member, and decode_chunk reads
// the same events from its tree; a chunk it declines is left to the general path.
// The input is a first chunk, then, after newlines, bytes put in the holes of the frame the
// reader keeps from it (its content and the strings it skips) to make a second chunk: both are
// checked, the second one reaching the reader's framed reading, and a third with the same
// fills in other holes.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/chunk_reader.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace {

using llmrt::plugins::openai_compat::ChunkReader;

std::vector<std::string> texts(const std::vector<llmrt::StreamEvent>& events) {
  std::vector<std::string> out;
  for (const llmrt::StreamEvent& e : events) out.push_back(llmrt::fuzz::event_text(e));
  return out;
}

void check(ChunkReader& reader, std::string_view chunk) {
  std::vector<llmrt::StreamEvent> fast;
  if (!reader.read(chunk, fast)) {
    if (!fast.empty()) llmrt::fuzz::broken_promise();  // declining appends nothing
    return;
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
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  ChunkReader reader;
  check(reader, first);
  if (newline == std::string_view::npos || !reader.frame().kept()) return 0;
  std::vector<std::string> fill;
  for (std::string_view rest = input.substr(newline + 1);;) {
    const std::size_t end = rest.find('\n');
    fill.emplace_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  check(reader, reader.frame().filled(fill));
  if (!reader.frame().kept()) return 0;
  // A third chunk, the fills turned round: read by a frame the second chunk may have switched
  // to hole-by-hole matching.
  std::rotate(fill.begin(), fill.begin() + 1, fill.end());
  check(reader, reader.frame().filled(fill));
  return 0;
}
