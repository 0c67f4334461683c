// The OpenAI-compatible plugins' fast chunk reader against the general path (decode_chunk on a
// json::Document): the same events for every chunk it accepts, and the chunks it must leave to
// the general path declined. fuzz/chunk_reader_fuzz.cpp checks the same on arbitrary bytes.
#include "llmrt/plugins/openai_compat/chunk_reader.h"

#include <gtest/gtest.h>

#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/sdk/json.h"
#include "support/event_text.h"

namespace llmrt::plugins::openai_compat {
namespace {

std::vector<std::string> general(std::string_view chunk) {
  std::vector<StreamEvent> events;
  decode_chunk(json::Document::parse(chunk).root(), events);
  return test::event_texts(events);
}

std::optional<std::vector<std::string>> fast(std::string_view chunk) {
  static ChunkReader reader;  // one for all, as a stream keeps one
  std::vector<StreamEvent> events;
  if (!reader.read(chunk, events)) {
    EXPECT_TRUE(events.empty()) << chunk;
    return std::nullopt;
  }
  return test::event_texts(events);
}

TEST(ChunkReader, ReadsWhatTheGeneralPathReads) {
  for (
      std::string_view chunk : {
          // as OpenAI sends them
          R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1727346168,"model":"m",)"
          R"("system_fingerprint":"fp","choices":[{"index":0,"delta":{"role":"assistant",)"
          R"("content":"Hi \"there\"\n\u00e9"},"logprobs":null,"finish_reason":null}]})",
          R"({"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":null})",
          R"({"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}})",
          // reasoning: reasoning_content first, "reasoning" when it is empty
          R"({"choices":[{"delta":{"reasoning_content":"a","reasoning":"b","content":"c"}}]})",
          R"({"choices":[{"delta":{"reasoning_content":"","reasoning":"b"}}]})",
          // tool calls, the index absent, null or written as a whole double
          R"({"choices":[{"delta":{"tool_calls":[{"index":2,"id":"c1","type":"function",)"
          R"("function":{"name":"f","arguments":"{\"x\":1}"}},{"function":{"arguments":"}"}},)"
          R"({"index":null},{"index":3.0},"junk",7]}}]})",
          // only choice 0: an index that is absent, null or 0 (0.0 too)
          R"({"choices":[{"index":1,"delta":{"content":"no"}},{"index":"0","delta":)"
          R"({"content":"no"}},{"index":0.0,"delta":{"content":"yes"}},{"delta":{"content":"y"}},)"
          R"({"index":null,"delta":{"content":"z"}},"junk",{"index":true}]})",
          // repeated members: the last wins, a last one of another type counts as absent
          R"({"choices":[{"delta":{"content":"first","content":"last"}}]})",
          R"({"choices":[{"delta":{"content":"x","content":7}}]})",
          R"({"choices":[{"delta":{"content":"x"},"delta":{"reasoning":"r"}}]})",
          R"({"choices":[{"delta":{"content":"a"}}],"choices":[{"delta":{"content":"b"}}]})",
          R"({"choices":[{"finish_reason":"stop","finish_reason":null}]})",
          R"({"usage":{"prompt_tokens":5},"usage":null,"choices":[]})",
          R"({"usage":{"prompt_tokens":5,"prompt_tokens":-1,"total_tokens":1e400,)"
          R"("completion_tokens":"2"}})",
          // members of other types and shapes
          R"({"choices":{"0":{"delta":{"content":"no"}}}})",
          R"({"choices":[{"delta":"text"}],"usage":[1]})",
          R"({"choices":[{"delta":{"tool_calls":{"index":0}}}]})",
          R"({})",
      }) {
    std::optional<std::vector<std::string>> read = fast(chunk);
    ASSERT_TRUE(read) << chunk;
    EXPECT_EQ(*read, general(chunk)) << chunk;
  }
}

// Chunks that share their frame (the bytes around the content) are read by scanning only the
// new content; whatever stands there instead, each reads as the general path reads it.
TEST(ChunkReader, ChunksInTheSameFrameReadAsTheGeneralPathReadsThem) {
  const std::string before =
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m",)"
      R"("choices":[{"index":0,"delta":{"content":)";
  const std::string after = R"(},"logprobs":null,"finish_reason":null}]})";
  ChunkReader reader;
  std::vector<StreamEvent> events;
  ASSERT_TRUE(reader.read(before + R"("Hello")" + after, events));
  ASSERT_TRUE(reader.frame().kept());
  EXPECT_EQ(reader.frame().holes(), 4u);  // id, object, model and content
  for (std::string content : {
           R"(" world")",
           R"("")",
           R"("caf\u00e9 \ud83d \"q\"\n")",
           R"(  "spaced"  )",
           // not one string: read whole (or declined), never taken for content
           R"("a","content":"b")",
           R"("a"},"delta":{"content":"b")",
           R"(7)",
           R"(null)",
           R"("cut\")",
           R"("a" "b")",
           R"({"x":"y"})",
           "\"tab\tinside\"",
           "",
       }) {
    const std::string chunk = before + content + after;
    events.clear();
    const bool read = reader.read(chunk, events);
    EXPECT_EQ(read, json::Document::try_parse(chunk).has_value()) << chunk;
    if (read) {
      EXPECT_EQ(test::event_texts(events), general(chunk)) << chunk;
    }
  }
  // A chunk outside the frame (the last, with its finish reason) is read whole.
  events.clear();
  const std::string last =
      before + R"("!"},"logprobs":null,"finish_reason":"stop"}],"usage":null})";
  ASSERT_TRUE(reader.read(last, events));
  EXPECT_EQ(test::event_texts(events), general(last));
  EXPECT_FALSE(reader.frame().kept());  // its events were not only content: no frame kept
}

// Only a chunk whose one event is its content gives a frame: with another event beside it,
// a next chunk in the same bytes would lose that event.
TEST(ChunkReader, OnlyAContentAloneGivesAFrame) {
  ChunkReader reader;
  std::vector<StreamEvent> events;
  for (std::string_view chunk : {
           R"({"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]})",
           R"({"choices":[{"delta":{"content":"a","reasoning":"r"}}]})",
           R"({"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]})",
           R"({"choices":[{"delta":{"content":"a"}}],"usage":{"total_tokens":1}})",
           R"({"choices":[{"delta":{"content":""}}]})",
       }) {
    ASSERT_TRUE(reader.read(chunk, events)) << chunk;
    EXPECT_FALSE(reader.frame().kept()) << chunk;
  }
  ASSERT_TRUE(reader.read(R"({"choices":[{"delta":{"content":"a","content":"b"}}]})", events));
  ASSERT_TRUE(reader.frame().kept());
  EXPECT_EQ(reader.frame().filled({R"("z")"}),
            R"({"choices":[{"delta":{"content":"a","content":"z"}}]})");
}

// OpenAI pads each chunk with a random "obfuscation" string: a hole of the frame like the
// content, so its chunks still match (tests/data/openai/azure_stream.sse has them).
TEST(ChunkFrame, StringsTheReaderSkipsAreHolesToo) {
  const std::string chunk =
      R"({"choices":[{"delta":{"content":"420"},"finish_reason":null,"index":0,)"
      R"("logprobs":null}],"id":"chatcmpl-C","obfuscation":"RCSc2ePUTk42KU","object":"c"})";
  ChunkReader reader;
  std::vector<StreamEvent> events;
  ASSERT_TRUE(reader.read(chunk, events));
  ChunkFrame frame = reader.frame();
  ASSERT_TRUE(frame.kept());
  ASSERT_EQ(frame.holes(), 4u);  // content, id, obfuscation, object
  json::Scanner scanner;
  std::string_view content;
  // Only the content differs: compared around it.
  const std::string same =
      frame.filled({R"("é")", R"("chatcmpl-C")", R"("RCSc2ePUTk42KU")", R"("c")"});
  EXPECT_TRUE(frame.match(same, scanner, content));
  EXPECT_EQ(content, "\xC3\xA9");
  for (const char* hole : {"7", "null", R"("a","b")", R"( "a")", R"("a)", R"("a\")"}) {
    EXPECT_FALSE(frame.match(
        frame.filled({hole, R"("chatcmpl-C")", R"("RCSc2ePUTk42KU")", R"("c")"}), scanner, content))
        << hole;
  }
  // Another obfuscation string, escaped like the content (both decoded in the scanner's one
  // buffer): hole by hole.
  const std::string next =
      frame.filled({R"("0 and \"more\"")", R"("chatcmpl-C")", R"("x\u0059")", R"("c")"});
  EXPECT_TRUE(frame.match(next, scanner, content));
  EXPECT_EQ(content, "0 and \"more\"");
  EXPECT_EQ(std::vector<std::string>{"content:" + std::string(content)}, general(next));
  // A hole holds one string: anything else is no match.
  for (const char* hole : {"7", "null", R"("a","b")", R"( "a")", R"("a)"}) {
    EXPECT_FALSE(frame.match(frame.filled({R"("x")", R"("id")", hole}), scanner, content)) << hole;
  }
  EXPECT_FALSE(frame.match(chunk + " ", scanner, content));  // bytes after the last piece
}

TEST(ChunkReader, UsageDetailsReadAsTheGeneralPathReadsThem) {
  const std::string chunk =
      R"({"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,)"
      R"("prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":)"
      R"({"reasoning_tokens":2,"reasoning_tokens":1}}})";
  ChunkReader reader;
  std::vector<StreamEvent> events;
  ASSERT_TRUE(reader.read(chunk, events));
  ASSERT_EQ(events.size(), 1u);
  const Usage& usage = std::get<UsageEvent>(events[0]).usage;
  EXPECT_EQ(usage.prompt_tokens, 10);
  EXPECT_EQ(usage.completion_tokens, 3);
  EXPECT_EQ(usage.total_tokens, 13);
  EXPECT_EQ(usage.cache_read_tokens, 4);
  EXPECT_EQ(usage.reasoning_tokens, 1);
}

// Left to the general path, which reports or handles them.
TEST(ChunkReader, DeclinesWhatIsNoPlainChunk) {
  const std::string deep =
      R"({"choices":[{"delta":{"x":)" + std::string(200, '[') + std::string(200, ']') + "}}]}";
  for (std::string_view chunk : std::initializer_list<std::string_view>{
           R"({"error":{"message":"overloaded"}})",
           R"({"code":"x","choices":[]})",
           R"({"choices":[],"error_code":0})",
           R"({"success":false})",
           R"({"msgCode":"A0202"})",
           R"({"choices":[{"delta":{"tool_calls":[{"index":1.5}]}}]})",
           R"({"choices":[{"delta":{"tool_calls":[{"index":"1"}]}}]})",
           R"({"choices":[{"delta":{"tool_calls":[{"index":99999999999999999999}]}}]})",
           R"({"choices":[{"delta":{"content":"cut)",
           R"({"choices":[]} trailing)",
           R"({"choices":[],})",
           R"([1,2])",
           R"("text")",
           "",
           std::string_view(deep),
       }) {
    EXPECT_EQ(fast(chunk), std::nullopt) << chunk;
  }
}

}  // namespace
}  // namespace llmrt::plugins::openai_compat
