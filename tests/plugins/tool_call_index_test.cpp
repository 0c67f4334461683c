// Tool-call fragments through the real openai plugin's decoder and the SDK's ChatResultBuilder:
// indexes are 64-bit and distinct, a non-integer index is a protocol error, and assembly stays
// fast whatever the order of the indexes.
#include <gtest/gtest.h>

#include <chrono>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/error.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

std::string fragment(const std::string& index, const std::string& id) {
  return R"(data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":)" + index + R"(,"id":")" +
         id + R"(","type":"function","function":{"name":"f","arguments":"{}"}}]}}]})" + "\n\n";
}

ChatResult assemble(const std::string& body, std::size_t read = std::size_t{16} << 10) {
  auto decoder = test::load_plugin("openai")->new_stream_decoder(ChatRequest{.stream = true}, {});
  ChatResultBuilder builder;
  std::vector<StreamEvent> events;
  for (std::size_t at = 0; at < body.size(); at += read) {
    decoder->feed(std::string_view(body).substr(at, read), events);
    for (const StreamEvent& e : events) builder.add(e);
    events.clear();
  }
  decoder->finish(events);
  for (const StreamEvent& e : events) builder.add(e);
  return builder.result();
}

TEST(ToolCallIndex, SixtyFourBitIndexesStayDistinct) {
  ChatResult r = assemble(fragment("9223372036854775807", "big") + fragment("-1", "minus") +
                          fragment("4294967295", "u32") + "data: [DONE]\n\n");
  ASSERT_EQ(r.tool_calls.size(), 3u);
  EXPECT_EQ(r.tool_calls[0].index, -1);
  EXPECT_EQ(r.tool_calls[0].id, "minus");
  EXPECT_EQ(r.tool_calls[1].index, 4294967295LL);
  EXPECT_EQ(r.tool_calls[1].id, "u32");
  EXPECT_EQ(r.tool_calls[2].index, 9223372036854775807LL);
  EXPECT_EQ(r.tool_calls[2].id, "big");
}

TEST(ToolCallIndex, AnIndexThatIsNoSixtyFourBitIntegerIsAProtocolError) {
  for (const char* bad : {"9223372036854775808", "1.5", "1e400", "\"0\"", "[1]", "true"}) {
    try {
      assemble(fragment(bad, "x"));
      ADD_FAILURE() << bad << ": expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << bad;
      EXPECT_NE(std::string(e.what()).find("index"), std::string::npos) << e.what();
    }
  }
}

TEST(ToolCallIndex, HundredThousandFragmentsInDescendingOrderAssembleQuickly) {
  constexpr int kCalls = 100000;
  std::string body;
  for (int i = kCalls - 1; i >= 0; --i)
    body += fragment(std::to_string(i), "c" + std::to_string(i));
  body += "data: [DONE]\n\n";
  auto start = std::chrono::steady_clock::now();
  ChatResult r = assemble(body);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.tool_calls.size(), static_cast<std::size_t>(kCalls));
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_EQ(r.tool_calls[i].index, i);
    ASSERT_EQ(r.tool_calls[i].id, "c" + std::to_string(i));
  }
  // Quadratic assembly took 44 s here; n log n takes well under a second.
  EXPECT_LT(took, std::chrono::seconds(15));
}

TEST(ToolCallIndex, FragmentsOfOneCallJoinWhateverTheOrderOfCalls) {
  ChatResult r = assemble(fragment("5", "e") + fragment("2", "b") + fragment("7", "g") +
                          fragment("2", "") + fragment("5", ""));
  ASSERT_EQ(r.tool_calls.size(), 3u);
  EXPECT_EQ(r.tool_calls[0].index, 2);
  EXPECT_EQ(r.tool_calls[0].arguments, "{}{}");
  EXPECT_EQ(r.tool_calls[1].index, 5);
  EXPECT_EQ(r.tool_calls[1].arguments, "{}{}");
  EXPECT_EQ(r.tool_calls[2].index, 7);
}

}  // namespace
}  // namespace llmrt
