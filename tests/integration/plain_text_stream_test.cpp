// A streamed reply whose Content-Type is text/plain (DB-GPT's model servers) is read as text by
// the OpenAI-style plugins, over real HTTP from a raw loopback server; an SSE reply from the
// same server is read as SSE.
#include <gtest/gtest.h>

#include "llmrt/core/runtime.h"
#include "support/raw_http_server.h"

namespace llmrt {
namespace {

struct PlainFlavour {
  const char* name;
  const char* provider;
  const char* api_path;
  friend void PrintTo(const PlainFlavour& f, std::ostream* os) { *os << f.name; }
};

const PlainFlavour kPlainFlavours[] = {
    {"openai", "openai", "/v1"},
    {"qwen_compatible", "qwen", "/compatible-mode/v1"},
    {"internlm", "internlm", "/puyu/api/v1"},
};

// "你好" split inside its second character, lines split anywhere.
const std::vector<std::string> kPieces{"Hello from a plain ", "text server.\n你\xE5",
                                       "\xA5\xBD\nlast line"};
constexpr std::string_view kText = "Hello from a plain text server.\n你好\nlast line";

class PlainTextStream : public ::testing::TestWithParam<PlainFlavour> {
 protected:
  core::ChatModel model(const test::RawHttpServer& server) const {
    core::ModelConfig c;
    c.provider = GetParam().provider;
    c.model = "m";
    c.api_base = server.base_url() + GetParam().api_path;
    c.keys = {"sk-test-key-0001"};
    c.retry.max_retries = 0;
    return runtime_.model(c);
  }

  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

TEST_P(PlainTextStream, TextPlainBodyIsTheReplyText) {
  test::RawHttpServer server("HTTP/1.1 200 OK\r\nContent-Type: Text/Plain; charset=utf-8\r\n",
                             kPieces);
  core::ChatStream stream = model(server).stream_chat(hello_);
  std::string deltas;
  for (const core::StreamChunk& chunk : stream) {
    if (chunk.status != ModelStatusCode::STREAM_ING) continue;
    // No delta starts inside a UTF-8 character.
    ASSERT_FALSE(chunk.delta.empty());
    EXPECT_NE(static_cast<unsigned char>(chunk.delta.front()) & 0xC0, 0x80) << chunk.delta;
    deltas += chunk.delta;
  }
  EXPECT_EQ(deltas, kText);
  EXPECT_EQ(stream.result().content, kText);
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_P(PlainTextStream, AnSseReplyIsStillReadAsSse) {
  test::RawHttpServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n",
      {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"from SSE\"}}]}\n\n",
       "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
       "data: [DONE]\n\n"});
  core::ChatStream stream = model(server).stream_chat(hello_);
  for (const core::StreamChunk& chunk : stream) (void)chunk;
  EXPECT_EQ(stream.result().content, "from SSE");
  EXPECT_EQ(finish_reason_name(stream.result()), "length");
}

INSTANTIATE_TEST_SUITE_P(Providers, PlainTextStream, ::testing::ValuesIn(kPlainFlavours),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace llmrt
