#include "llmrt/sdk/plain_text.h"

#include <gtest/gtest.h>

#include "support/event_text.h"

namespace llmrt {
namespace {

std::vector<std::string> decode_plain(const std::vector<std::string>& reads) {
  PlainTextDecoder decoder;
  std::vector<StreamEvent> out;
  for (const std::string& r : reads) decoder.feed(r, out);
  decoder.finish(out);
  return test::event_texts(out);
}

// Every delta is whole UTF-8 whatever the split, and together they are the body.
TEST(PlainText, DeltasNeverSplitACharacter) {
  const std::string body = "Hé 你好 😀\nnext line\r\n";
  for (const auto& reads : test::splits_of(body)) {
    std::vector<std::string> events = decode_plain(reads);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[events.size() - 2], "finish:stop");
    EXPECT_EQ(events.back(), "done");
    std::string text;
    for (std::size_t i = 0; i + 2 < events.size(); ++i) {
      ASSERT_EQ(events[i].rfind("content:", 0), 0u) << events[i];
      std::string piece = events[i].substr(8);
      ASSERT_FALSE(piece.empty());
      const auto first = static_cast<unsigned char>(piece.front());
      EXPECT_NE(first & 0xC0, 0x80) << "a delta starts mid-character";
      text += piece;
    }
    EXPECT_EQ(text, body);
  }
}

TEST(PlainText, OneReadIsOneDelta) {
  EXPECT_EQ(decode_plain({"Hello ", "world"}),
            (std::vector<std::string>{"content:Hello ", "content:world", "finish:stop", "done"}));
}

TEST(PlainText, ABodyCutInsideACharacterKeepsItsBytes) {
  EXPECT_EQ(decode_plain({"ok \xE4\xBD"}),
            (std::vector<std::string>{"content:ok ", "content:\xE4\xBD", "finish:stop", "done"}));
  // Bytes that are no UTF-8 at all pass as they are.
  EXPECT_EQ(decode_plain({"\xFF\x80z"}),
            (std::vector<std::string>{"content:\xFF\x80z", "finish:stop", "done"}));
}

TEST(PlainText, EmptyBodyIsAnEmptyReply) {
  EXPECT_EQ(decode_plain({}), (std::vector<std::string>{"finish:stop", "done"}));
}

TEST(PlainText, ContentTypeIsTextPlainWithAnyParametersInAnyCase) {
  EXPECT_TRUE(is_plain_text({{"Content-Type", "text/plain"}}));
  EXPECT_TRUE(is_plain_text({{"content-type", "Text/Plain; charset=utf-8"}}));
  EXPECT_TRUE(is_plain_text({{"CONTENT-TYPE", " text/plain ;charset=UTF-8"}}));
  EXPECT_FALSE(is_plain_text({{"Content-Type", "text/event-stream"}}));
  EXPECT_FALSE(is_plain_text({{"Content-Type", "text/plainish"}}));
  EXPECT_FALSE(is_plain_text({{"X-Content-Type", "text/plain"}}));
  EXPECT_FALSE(is_plain_text({}));
}

}  // namespace
}  // namespace llmrt
