// The SSE decoders on any bytes: never a crash, never growth past the limit, and the same
// events whatever the split of the input into reads. Each read lives in a buffer of its own,
// freed once fed: a view the decoder kept past its feed() is a use after free here.
#include <vector>

#include "fuzz_input.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/sse.h"

namespace {

std::vector<std::string> decode(std::string_view body, std::size_t split, bool& failed) {
  llmrt::SseDecoder decoder(4096);
  std::vector<std::string> events;
  auto collect = [&](const llmrt::SseEvent& e) {
    events.push_back(std::string(e.type) + '\x1f' + std::string(e.data) + '\x1f' +
                     std::string(e.id));
  };
  auto feed = [&](std::string_view read) {
    const std::vector<char> own(read.begin(), read.end());
    decoder.feed(std::string_view(own.data(), own.size()), collect);
  };
  try {
    feed(body.substr(0, split));
    feed(body.substr(split));
    decoder.finish(collect);
  } catch (const llmrt::Error&) {
    failed = true;  // a line over the limit: an error, as promised
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input in(data, size);
  std::size_t split = in.byte();
  std::string_view body = in.rest();
  split = body.empty() ? 0 : split % (body.size() + 1);
  bool whole_failed = false, split_failed = false;
  auto whole = decode(body, body.size(), whole_failed);
  auto parts = decode(body, split, split_failed);
  if (!whole_failed && !split_failed && whole != parts) llmrt::fuzz::broken_promise();
  return 0;
}
