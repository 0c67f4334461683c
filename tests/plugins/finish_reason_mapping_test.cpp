// Each shipped plugin maps its provider's finish words onto llmrt's FinishReason and keeps the
// word itself, in whole replies and in streams, through the real plugin libraries.
#include <gtest/gtest.h>

#include "llmrt/sdk/overloaded.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

struct Flavour {
  const char* name;
  const char* plugin;
  const char* api_base;  // picks the protocol (qwen: native or compatible mode)
  bool native;           // DashScope's native shape, else OpenAI's
};

const Flavour kFlavours[] = {
    {"openai", "openai", "http://127.0.0.1:9/v1", false},
    {"qwen_native", "qwen", "http://127.0.0.1:9/api/v1", true},
    {"qwen_compatible", "qwen", "http://127.0.0.1:9/compatible-mode/v1", false},
    {"internlm", "internlm", "http://127.0.0.1:9/api/v1", false},
};

struct Word {
  const char* raw;
  FinishReason reason;
};

const Word kWords[] = {
    {"stop", FinishReason::stop},
    {"length", FinishReason::length},
    {"tool_calls", FinishReason::tool_calls},
    {"function_call", FinishReason::tool_calls},  // OpenAI's deprecated functions API
    {"content_filter", FinishReason::content_filter},
    {"something_new", FinishReason::other},  // a word llmrt does not know yet
};

std::string whole_body(const Flavour& f, const std::string& raw) {
  if (f.native) {
    return R"({"output":{"choices":[{"message":{"role":"assistant","content":"hi"},)"
           R"("finish_reason":")" +
           raw + R"("}]},"usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2}})";
  }
  return R"({"id":"c","object":"chat.completion","choices":[{"index":0,"message":)"
         R"({"role":"assistant","content":"hi"},"finish_reason":")" +
         raw + R"("}]})";
}

std::string stream_body(const Flavour& f, const std::string& raw) {
  if (f.native) {
    return "event:result\ndata:"
           R"({"output":{"choices":[{"message":{"role":"assistant","content":"hi"},)"
           R"("finish_reason":"null"}]}})"
           "\n\nevent:result\ndata:"
           R"({"output":{"choices":[{"message":{"role":"assistant","content":""},)"
           R"("finish_reason":")" +
           raw + R"("}]}})" + "\n\n";
  }
  return "data: "
         R"({"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]})"
         "\n\ndata: "
         R"({"choices":[{"index":0,"delta":{},"finish_reason":")" +
         raw + R"("}]})" + "\n\ndata: [DONE]\n\n";
}

ChatRequest request_for(const Flavour& f, bool stream) {
  ChatRequest r;
  r.model = "m";
  r.api_base = f.api_base;
  r.stream = stream;
  r.messages = {{.role = "user", .content = "hi"}};
  return r;
}

class FinishReasons : public ::testing::TestWithParam<Flavour> {};

TEST_P(FinishReasons, WholeRepliesMapTheWordAndKeepIt) {
  auto provider = test::load_plugin(GetParam().plugin);
  for (const Word& word : kWords) {
    ChatResult result =
        provider->parse_response(HttpResponse{200, {}, whole_body(GetParam(), word.raw)});
    EXPECT_EQ(result.finish_reason, word.reason) << word.raw;
    EXPECT_EQ(result.finish_reason_raw, word.raw);
    EXPECT_EQ(result.content, "hi");
  }
}

TEST_P(FinishReasons, StreamsMapTheWordAndKeepIt) {
  auto provider = test::load_plugin(GetParam().plugin);
  for (const Word& word : kWords) {
    auto decoder =
        provider->new_stream_decoder(request_for(GetParam(), true), StreamContext{.status = 200});
    std::vector<StreamEvent> events;
    decoder->feed(stream_body(GetParam(), word.raw), events);
    decoder->finish(events);
    int finishes = 0;
    for (const StreamEvent& event : events) {
      if (const auto* finish = std::get_if<FinishEvent>(&event)) {
        ++finishes;
        EXPECT_EQ(finish->reason, word.reason) << word.raw;
        EXPECT_EQ(finish->raw, word.raw);
      }
    }
    EXPECT_EQ(finishes, 1) << word.raw << ": "
                           << ::testing::PrintToString(test::event_texts(events));
  }
}

INSTANTIATE_TEST_SUITE_P(Plugins, FinishReasons, ::testing::ValuesIn(kFlavours),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace llmrt
