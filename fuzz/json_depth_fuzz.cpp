// JSON nested to any depth (the input after a prefix of up to 65,025 levels the fuzzer picks):
// the SDK's nesting scan never reports less nesting than RapidJSON reaches, and no parser that
// reads JSON from outside — every plugin's reply parser, error classifier and stream decoder,
// the configuration loader, the --param parser — does anything but return or throw
// llmrt::Error.
#include <pthread.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "fuzz_input.h"
#include "llmrt/core/config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"

namespace {

// The deepest level RapidJSON's reader reaches before it stops, parsing without recursion.
struct DepthCounter : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthCounter> {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool StartObject() { return enter(); }
  bool EndObject(rapidjson::SizeType) { return leave(); }
  bool StartArray() { return enter(); }
  bool EndArray(rapidjson::SizeType) { return leave(); }
  bool enter() {
    deepest = std::max(deepest, ++depth);
    return true;
  }
  bool leave() {
    --depth;
    return true;
  }
};

void check_scan(const std::string& text) {
  DepthCounter counter;
  rapidjson::Reader reader;
  rapidjson::StringStream stream(text.c_str());
  const bool parsed = !reader.Parse<rapidjson::kParseIterativeFlag>(stream, counter).IsError();
  const bool scan_ok = !llmrt::find_excess_nesting(text);
  // Accepted by the scan: a recursive parser stays within the limit.
  if (scan_ok && counter.deepest > llmrt::kMaxJsonDepth) llmrt::fuzz::broken_promise();
  // Valid JSON is refused only when it really is too deep (the reader takes a NUL for the end
  // of the text; the scan reads on).
  if (parsed && !scan_ok && counter.deepest <= llmrt::kMaxJsonDepth &&
      text.find('\0') == std::string::npos) {
    llmrt::fuzz::broken_promise();
  }
}

void decode(const llmrt::Provider& provider, const llmrt::ChatRequest& request,
            const std::string& body) {
  auto decoder = provider.new_stream_decoder(request, {.limits = {.max_event_bytes = 1 << 20}});
  std::vector<llmrt::StreamEvent> events;
  try {
    decoder->feed(body, events);
    decoder->finish(events);
  } catch (const llmrt::Error&) {
  }
}

void check_plugins(const std::string& text) {
  for (std::uint8_t choice = 0; choice < 3; ++choice) {
    auto provider = llmrt::fuzz::plugins().get_provider(llmrt::fuzz::plugin_name(choice));
    llmrt::HttpResponse response{200, {}, text};
    try {
      provider->parse_response(response);
    } catch (const llmrt::Error&) {
    }
    response.status = 500;
    provider->classify_error(response);
    llmrt::ChatRequest request;
    request.stream = true;
    decode(*provider, request, "data: " + text + "\n\n");
    decode(*provider, request, "event:error\ndata:" + text + "\n\n");
    if (choice == 1) {
      request.options["mode"] = "compatible";
      decode(*provider, request, "data: " + text + "\n\n");
    }
  }
}

void check_local(const std::string& text) {
  try {
    llmrt::core::parse_config(text, "fuzz.json", "/tmp");
  } catch (const llmrt::Error&) {
  }
  try {
    llmrt::core::ParamOverrides::parse_assignments({"x=" + text}).apply(llmrt::GenParams{});
  } catch (const llmrt::Error&) {
  }
}

// llmrt runs on its host's threads, whose stacks may be small: every check runs on a 512 KiB
// stack (sanitizer frames included), where unbounded recursion overflows long before 65,025
// levels.
void on_small_stack(const std::function<void()>& work) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, std::size_t{512} << 10);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  if (pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&work)) != 0) {
    work();  // no thread to be had: the check still runs
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input in(data, size);
  const std::uint8_t shape = in.byte();
  // b² levels: every depth around the limit (11² = 121, 12² = 144) and up to 65,025, deep
  // enough to run a recursive parser out of stack.
  const std::size_t b = in.byte();
  const std::size_t levels = b * b;
  std::string text;
  for (std::size_t i = 0; i < levels; ++i) text += (shape & 1) != 0 ? "{\"a\":" : "[";
  text += in.rest();
  on_small_stack([&] {
    check_scan(text);
    check_plugins(text);
    check_local(text);
  });
  return 0;
}
