// A server on loopback answering with JSON nested 300,000 levels deep — inside a stream, as a
// whole reply, as an error body — through each real plugin and the real transport: a
// classified error, never a crash.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

struct JsonFlavour {
  const char* provider;
  const char* api_path;
  friend void PrintTo(const JsonFlavour& f, std::ostream* os) { *os << f.provider; }
};

class DeepJsonFromServer : public test::EndToEnd,
                           public ::testing::WithParamInterface<JsonFlavour> {
 protected:
  core::ChatModel deep_model() const {
    core::ModelConfig c = config();
    c.provider = GetParam().provider;
    c.api_base = server_.base_url() + GetParam().api_path;
    return runtime_.model(c);
  }
  const std::string deep_ = std::string(300000, '[');
};

TEST_P(DeepJsonFromServer, InAStreamIsAProtocolErrorWithTheTextBefore) {
  mock::Scenario s;
  s.chunks = 2;
  s.stream_error = deep_;
  s.events_per_flush = 16;  // the text and the deep event in one write: the text still counts
  server_.push(s);
  std::string text;
  try {
    for (const auto& chunk : deep_model().stream_chat(hello_)) text += chunk.delta;
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_NE(std::string(e.what()).find("nested deeper than 128 levels"), std::string::npos)
        << e.what();
    EXPECT_EQ(e.partial_content(), s.full_content());
    EXPECT_EQ(text, s.full_content());
  }
}

TEST_P(DeepJsonFromServer, AsAWholeReplyIsAProtocolError) {
  mock::Scenario s;
  s.stream_error = deep_;  // sent as the 200 body of a call that does not stream
  server_.push(s);
  try {
    deep_model().chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  }
}

TEST_P(DeepJsonFromServer, AsAnErrorBodyIsClassifiedByItsStatus) {
  mock::Scenario s;
  s.status = 400;
  s.error_body = "{\"error\":" + deep_;
  server_.push(s);
  try {
    deep_model().chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    EXPECT_EQ(e.info().http_status, 400);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryProvider, DeepJsonFromServer,
                         ::testing::Values(JsonFlavour{"openai", "/v1"},
                                           JsonFlavour{"qwen", "/api/v1"},
                                           JsonFlavour{"internlm", "/puyu/api/v1"}),
                         [](const auto& info) { return std::string(info.param.provider); });

}  // namespace
}  // namespace llmrt
