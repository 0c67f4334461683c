// Each plugin's stream decoder on any bytes: only llmrt::Error may come out, and a body that
// decodes without error gives the same events whatever its split into reads: in one read, in
// two, and a byte at a time (no event whole in one read: the OpenAI-compatible decoder then reads
// none where it lies, only through its SSE decoder).
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "llmrt/sdk/error.h"

namespace {

bool decode(const llmrt::Provider& provider, const llmrt::ChatRequest& request,
            const std::vector<std::string_view>& reads, std::vector<std::string>& out) {
  auto decoder = provider.new_stream_decoder(request, {.limits = {.max_event_bytes = 8192}});
  std::vector<llmrt::StreamEvent> events;
  try {
    for (std::string_view read : reads) decoder->feed(read, events);
    decoder->finish(events);
  } catch (const llmrt::Error&) {
    return false;
  }
  for (const auto& e : events) out.push_back(llmrt::fuzz::event_text(e));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input in(data, size);
  std::uint8_t choice = in.byte();
  std::size_t split = in.byte();
  auto provider = llmrt::fuzz::plugins().get_provider(llmrt::fuzz::plugin_name(choice));
  llmrt::ChatRequest request;
  request.stream = true;
  if (choice & 0x08) request.params.extras["incremental_output"] = "false";  // qwen cumulative
  if (choice & 0x10) request.options["mode"] = "compatible";
  std::string_view body = in.rest();
  split = body.empty() ? 0 : split % (body.size() + 1);
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < body.size(); ++i) bytes.push_back(body.substr(i, 1));
  std::vector<std::string> whole, parts, bytewise;
  bool ok_whole = decode(*provider, request, {body}, whole);
  bool ok_parts = decode(*provider, request, {body.substr(0, split), body.substr(split)}, parts);
  bool ok_bytes = decode(*provider, request, bytes, bytewise);
  if (ok_whole && ok_parts && whole != parts) llmrt::fuzz::broken_promise();
  // A byte at a time, the failure too: the same body fails in any split or in none.
  if (ok_whole != ok_bytes || (ok_whole && whole != bytewise)) llmrt::fuzz::broken_promise();
  return 0;
}
