// Every provider plugin end to end: loaded from its shared library, real HTTP to the mock
// server speaking that provider's protocol. The request each plugin sent is checked against
// its wire doc, and each provider error code against its kind.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

struct ProviderFlavour {
  const char* name;
  const char* provider;
  const char* api_path;       // under the mock server's base URL
  const char* request_path;   // what the plugin must have called
  bool dashscope_sse_header;  // X-DashScope-SSE on streamed calls
  friend void PrintTo(const ProviderFlavour& f, std::ostream* os) { *os << f.name; }
};

const ProviderFlavour kProviderFlavours[] = {
    {"openai", "openai", "/v1", "/v1/chat/completions", false},
    {"qwen_native", "qwen", "/api/v1", "/api/v1/services/aigc/text-generation/generation", true},
    {"qwen_compatible", "qwen", "/compatible-mode/v1", "/compatible-mode/v1/chat/completions",
     false},
    {"internlm", "internlm", "/puyu/api/v1", "/puyu/api/v1/chat/completions", false},
};

class Providers : public test::EndToEnd, public ::testing::WithParamInterface<ProviderFlavour> {
 protected:
  core::ChatModel flavoured() const {
    core::ModelConfig c = config();
    c.provider = GetParam().provider;
    c.api_base = server_.base_url() + GetParam().api_path;
    return runtime_.model(c);
  }
};

TEST_P(Providers, WholeReplyAndTheRequestSent) {
  ChatResult result = flavoured().chat(hello_);
  EXPECT_EQ(result.content, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(result), "stop");
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, GetParam().request_path);
  EXPECT_EQ(*find_header(req.headers, "Authorization"), "Bearer sk-test-key-0001");
  EXPECT_EQ(*find_header(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(find_header(req.headers, "X-DashScope-SSE"), nullptr);
}

TEST_P(Providers, StreamedReplyAndTheRequestSent) {
  core::ChatStream stream = flavoured().stream_chat(hello_);
  std::string deltas;
  std::size_t chunks = 0;
  for (const auto& chunk : stream) {
    deltas += chunk.delta;
    chunks += chunk.status == ModelStatusCode::STREAM_ING;
  }
  EXPECT_EQ(deltas, mock::Scenario{}.full_content());
  EXPECT_EQ(chunks, mock::Scenario{}.content_pieces().size());
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  mock::RecordedRequest req = server_.last_request();
  const std::string* sse = find_header(req.headers, "X-DashScope-SSE");
  EXPECT_EQ(sse != nullptr && *sse == "enable", GetParam().dashscope_sse_header);
  EXPECT_EQ(*find_header(req.headers, "Accept"), "text/event-stream");
}

TEST_P(Providers, InStreamErrorKeepsThePartialText) {
  mock::Scenario s;
  s.chunks = 2;
  s.stream_error = std::string(GetParam().provider) == "internlm"
                       ? R"({"code":-20003,"msg":"context too long"})"
                   : std::string(GetParam().name) == "qwen_native"
                       ? R"({"code":"DataInspectionFailed","message":"unsafe","request_id":"r"})"
                       : R"({"message":"overloaded","type":"server_error","code":null})";
  server_.push(s);
  try {
    for (const auto& chunk : flavoured().stream_chat(hello_)) (void)chunk;
    FAIL() << "expected an error";
  } catch (const Error& e) {
    ErrorKind expected = std::string(GetParam().provider) == "internlm"  ? ErrorKind::context_length
                         : std::string(GetParam().name) == "qwen_native" ? ErrorKind::content_filter
                                                                         : ErrorKind::server;
    EXPECT_EQ(e.kind(), expected) << e.what();
    EXPECT_EQ(e.info().provider, GetParam().provider);
    EXPECT_EQ(e.partial_content(), "Hello! This ");
  }
}

INSTANTIATE_TEST_SUITE_P(EachProvider, Providers, ::testing::ValuesIn(kProviderFlavours),
                         [](const auto& info) { return std::string(info.param.name); });

class DashScope : public test::EndToEnd {
 protected:
  core::ChatModel qwen() const {
    core::ModelConfig c = config();
    c.provider = "qwen";
    c.model = "qwen-plus";
    c.api_base = server_.base_url() + "/api/v1";
    return runtime_.model(c);
  }
};

TEST_F(DashScope, CumulativeOutputGivesTheSameDeltas) {
  core::ChatModel m = qwen();
  core::ChatStream stream =
      m.stream_chat(hello_, core::ParamOverrides().set("incremental_output", false));
  std::vector<std::string> deltas;
  for (const auto& chunk : stream) {
    if (chunk.status == ModelStatusCode::STREAM_ING) deltas.emplace_back(chunk.delta);
  }
  EXPECT_EQ(deltas, mock::Scenario{}.content_pieces());
  EXPECT_FALSE(json(server_.last_request().body)["parameters"]["incremental_output"].GetBool());
}

TEST_F(DashScope, NativeBodyFollowsTheWireDoc) {
  core::ChatModel m = qwen();
  for (const auto& chunk : m.stream_chat(hello_, core::ParamOverrides().set("top_k", 20))) {
    (void)chunk;
  }
  auto body = json(server_.last_request().body);
  EXPECT_STREQ(body["input"]["messages"][0]["content"].GetString(), "Say hello");
  EXPECT_STREQ(body["parameters"]["result_format"].GetString(), "message");
  EXPECT_TRUE(body["parameters"]["incremental_output"].GetBool());
  EXPECT_EQ(body["parameters"]["top_k"].GetInt(), 20);
  EXPECT_FALSE(body["parameters"].HasMember("repetition_penalty"));
}

TEST_F(DashScope, EachErrorCodeOverHttpMapsToItsKind) {
  struct Case {
    int status;
    const char* code;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{{400, "InvalidParameter", ErrorKind::bad_request},
                                         {400, "DataInspectionFailed", ErrorKind::content_filter},
                                         {400, "Arrearage", ErrorKind::quota_exhausted},
                                         {401, "InvalidApiKey", ErrorKind::auth},
                                         {403, "AccessDenied.Unpurchased", ErrorKind::permission},
                                         {408, "RequestTimeOut", ErrorKind::timeout},
                                         {413, "BadRequest.TooLarge", ErrorKind::bad_request},
                                         {429, "Throttling.RateQuota", ErrorKind::rate_limited},
                                         {500, "InternalError.Algo", ErrorKind::server}}) {
    for (bool stream : {false, true}) {
      mock::Scenario s;
      s.status = c.status;
      s.error_code = c.code;
      server_.push(s);
      core::ChatModel m = qwen();  // a fresh key pool: key failures take the key out
      try {
        if (stream) {
          m.stream_chat(hello_);
        } else {
          m.chat(hello_);
        }
        ADD_FAILURE() << "no error for " << c.code;
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), c.kind) << c.code;
        EXPECT_EQ(e.info().code, c.code);
        EXPECT_EQ(e.info().http_status, c.status);
        EXPECT_EQ(e.info().request_id, "mock-dashscope-request");
      }
    }
  }
}

TEST_F(DashScope, ErrorObjectInA200Body) {
  mock::Scenario s;
  s.stream_error = R"({"code":"Arrearage","message":"account in arrears","request_id":"r9"})";
  server_.push(s);
  try {
    qwen().chat(hello_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::quota_exhausted);
  }
}

using Puyu = test::EndToEnd;

TEST_F(Puyu, ErrorShapesOverHttp) {
  core::ModelConfig c = config();
  c.provider = "internlm";
  c.api_base = server_.base_url() + "/puyu/api/v1";
  c.keys = {"Bearer eyJ-token"};
  struct Case {
    int status;
    const char* code;
    ErrorKind kind;
  };
  for (const Case& k : std::vector<Case>{{401, "A0202", ErrorKind::auth},
                                         {401, "A0211", ErrorKind::auth},
                                         {400, "-20003", ErrorKind::context_length}}) {
    mock::Scenario s;
    s.status = k.status;
    s.error_code = k.code;
    server_.push(s);
    try {
      runtime_.model(c).chat(hello_);  // a fresh key pool: an auth failure takes the key out
      ADD_FAILURE() << k.code;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), k.kind) << k.code;
      EXPECT_EQ(e.info().code, k.code);
    }
  }
  EXPECT_EQ(*find_header(server_.last_request().headers, "Authorization"), "Bearer eyJ-token");
}

}  // namespace
}  // namespace llmrt
