// The OpenAI-compatible plugins' one-pass reader of non-streamed replies against the general
// path (parse_completion_tree): the same result for every body it accepts, and the bodies the
// tree must read — errors, malformed ones — declined. fuzz/completion_reader_fuzz.cpp checks
// the same on arbitrary bytes.
#include "llmrt/plugins/openai_compat/completion_reader.h"

#include <gtest/gtest.h>

#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/sdk/error.h"
#include "support/event_text.h"

namespace llmrt::plugins::openai_compat {
namespace {

// Every field a plugin sets, as one line.
std::string result_text(const ChatResult& r) {
  std::string out = "content:" + r.content + "|reasoning:" + r.reasoning +
                    "|finish:" + (r.finish_reason ? std::string(finish_reason_name(r)) : "none") +
                    "/" + r.finish_reason_raw;
  for (const ToolCall& c : r.tool_calls) {
    out += "|tool:" + std::to_string(c.index) + "," + c.id + "," + c.type + "," + c.name + "," +
           c.arguments;
  }
  if (r.usage) {
    const Usage& u = *r.usage;
    out += "|usage:" + std::to_string(u.prompt_tokens) + "/" + std::to_string(u.completion_tokens) +
           "/" + std::to_string(u.total_tokens) + "/" + std::to_string(u.cache_read_tokens) + "/" +
           std::to_string(u.reasoning_tokens);
  }
  return out;
}

std::string tree(std::string_view body) {
  return result_text(parse_completion_tree(HttpResponse{200, {}, std::string(body)}));
}

TEST(CompletionReader, ReadsWhatTheTreeReads) {
  for (std::string_view body : {
           // as the mock server and OpenAI send them
           R"({"id":"chatcmpl-mock","object":"chat.completion","created":1727346168,"model":"m",)"
           R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hi \"there\"\n)"
           R"(\u00e9 \ud83d\ude00"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,)"
           R"("completion_tokens":20,"total_tokens":21}})",
           R"( {"choices" : [ {"message" : {"content" : null} , "finish_reason" : "length"} ] } )",
           // reasoning: reasoning_content first, "reasoning" when it is empty
           R"({"choices":[{"message":{"reasoning_content":"a","reasoning":"b","content":"c"}}]})",
           R"({"choices":[{"message":{"reasoning_content":"","reasoning":"b"}}]})",
           // tool calls: the index absent, null, negative or a whole double; items that are
           // no objects; the type empty or of another type; a repeated function
           R"({"choices":[{"message":{"content":null,"tool_calls":[{"index":2,"id":"c1",)"
           R"("type":"function","function":{"name":"f","arguments":"{\"x\":1}"}},)"
           R"({"function":{"arguments":"}"}},{"index":null,"type":""},{"index":3.0,"type":7},)"
           R"("junk",7,{"index":-4,"function":{"name":"a"},"function":{"arguments":"b"}},)"
           R"({"function":"f","type":"custom"}]},"finish_reason":"tool_calls"}]})",
           R"({"choices":[{"message":{"tool_calls":{"index":0}}}]})",
           R"({"choices":[{"message":{"tool_calls":[{"id":"a"}],"tool_calls":null}}]})",
           // only choices[0], whatever its index says
           R"({"choices":[{"index":1,"message":{"content":"first"}},{"index":0,"message":)"
           R"({"content":"second"},"finish_reason":"stop"},"junk"]})",
           // repeated members: the last wins, a last one of another type counts as absent
           R"({"choices":[{"message":{"content":"first","content":"last"}}]})",
           R"({"choices":[{"message":{"content":"x","content":7}}]})",
           R"({"choices":[{"message":{"content":"x"},"message":{"reasoning":"r"}}]})",
           R"({"choices":[{"message":{"content":"a"}}],"choices":[{"message":{"content":"b"}}]})",
           R"({"choices":[{"message":{},"finish_reason":"stop","finish_reason":null}]})",
           R"({"choices":[{"message":{},"finish_reason":"stop","finish_reason":"weird"}]})",
           // usage: counts absent, negative, too large or no integers are 0; details read;
           // the last usage member wins, and one of another type means none
           R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":5,"prompt_tokens":-1,)"
           R"("total_tokens":1e400,"completion_tokens":"2","prompt_tokens_details":)"
           R"({"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2.0}}})",
           R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":5},"usage":null})",
           R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":5},"usage":{"total_tokens":1}})",
           R"({"choices":[{"message":{}}],"usage":{"prompt_tokens_details":[1],)"
           R"("completion_tokens_details":{"reasoning_tokens":4},)"
           R"("completion_tokens_details":{"other":1}}})",
           // other members of every type are skipped
           R"({"choices":[{"message":{"content":"c","annotations":[{"a":[1,2.5e3,true]}],)"
           R"("refusal":null}}],"system_fingerprint":"fp","service_tier":{"x":false}})",
       }) {
    ChatResult read;
    ASSERT_TRUE(read_completion(body, read)) << body;
    EXPECT_EQ(result_text(read), tree(body)) << body;
  }
}

TEST(CompletionReader, LeavesErrorsAndMalformedRepliesToTheTree) {
  for (std::string_view body : {
           R"({"error":{"message":"quota","type":"insufficient_quota"}})",
           R"({"choices":[{"message":{"content":"x"}}],"error":null})",
           R"({"choices":[]})",
           R"({"choices":{"0":{"message":{"content":"no"}}}})",
           R"({"choices":["junk",{"message":{"content":"no"}}]})",
           R"({"choices":[{"message":"text"}]})",
           R"({"choices":[{"message":{"content":"x"},"message":null}]})",
           R"({"choices":[{"message":{"content":"x"}}],"choices":[]})",
           R"({"choices":[{"message":{"tool_calls":[{"index":"0"}]}}]})",
           R"({"choices":[{"message":{"tool_calls":[{"index":1.5}]}}]})",
           R"({"choices":[{"message":{"tool_calls":[{"index":9223372036854775808}]}}]})",
           R"({"choices":[{"message":{"content":"x"}}]} trailing)",
           R"({"choices":[{"message":{"content":"x"}}],})",
           R"([{"choices":[{"message":{"content":"x"}}]}])",
           "{\"choices\":[{\"message\":{\"content\":\"tab\there\"}}]}",
           R"({"choices":[{"message":{"content":"x"}}])",
           "",
       }) {
    ChatResult declined;
    EXPECT_FALSE(read_completion(body, declined)) << body;
    // The tree reports each with its own error, as it did before the reader.
    EXPECT_THROW(parse_chat_completion(HttpResponse{200, {}, std::string(body)}), Error) << body;
  }
}

// A body the reader gives up on after it has written part of the result, and the tree reads:
// the reply is the tree's alone, nothing of the partial read in it (its usage, its content).
TEST(CompletionReader, APartialReadLeavesNothingInTheTreesReply) {
  for (std::string_view body : {
           R"({"usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8},)"
           R"("choices":[{"message":{"content":"partial","tool_calls":[{"index":1.5}]}}],)"
           R"("choices":[{"message":{"content":"ok"}}],"usage":null})",
           R"({"choices":[{"finish_reason":"length","message":{"content":"partial",)"
           R"("reasoning_content":"r","tool_calls":[{"id":"a"},{"index":"1"}]}}],)"
           R"("choices":[{"message":{"content":"ok"}}]})",
       }) {
    ChatResult declined;
    EXPECT_FALSE(read_completion(body, declined)) << body;
    EXPECT_NE(result_text(declined), tree(body)) << body;  // the reader did write into it
    EXPECT_EQ(result_text(parse_chat_completion(HttpResponse{200, {}, std::string(body)})),
              tree(body))
        << body;
  }
}

TEST(CompletionReader, ReadsTheRecordedReplies) {
  for (const char* file :
       {"openai/usage_details_whole.body", "openai/azure_whole_content_filter.body"}) {
    const std::string body = test::read_data(file);
    ChatResult read;
    ASSERT_TRUE(read_completion(body, read)) << file;
    EXPECT_EQ(result_text(read), tree(body)) << file;
  }
}

// Nesting past the limit is refused by both, whatever the reader was in the middle of.
TEST(CompletionReader, DeclinesNestingBeyondTheLimit) {
  const std::string deep = R"({"choices":[{"message":{"content":"x"}}],"x":)" +
                           std::string(200, '[') + std::string(200, ']') + "}";
  ChatResult declined;
  EXPECT_FALSE(read_completion(deep, declined));
  EXPECT_THROW(parse_chat_completion(HttpResponse{200, {}, deep}), Error);
}

}  // namespace
}  // namespace llmrt::plugins::openai_compat
