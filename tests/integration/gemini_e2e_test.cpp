// The gemini plugin end to end: loaded from its shared library by the runtime, real HTTP to the
// mock server's Gemini protocol (/v1beta/models/{model}:generateContent and
// :streamGenerateContent?alt=sse). A tool round trip with the ids llmrt makes for Gemini's
// id-less calls, a thought signature sent back, a blocked prompt, errors inside and outside the
// stream, and the key variables.
#include <cstdlib>
#include <tuple>

#include "llmrt/sdk/json.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

class GeminiE2e : public test::EndToEnd {
 protected:
  core::ModelConfig gemini_config() const {
    core::ModelConfig c = config();
    c.provider = "gemini";
    c.model = "gemini-2.5-flash";
    c.api_base = server_.base_url() + "/v1beta";
    c.keys = {"AIza-test-key-0001"};
    return c;
  }
  core::ChatModel gemini() const { return runtime_.model(gemini_config()); }
  // Reads a stream to its end (or its error) and returns what it gave.
  static ChatResult drain_result(core::ChatStream stream) {
    for (const auto& chunk : stream) (void)chunk;
    return stream.result();
  }
  json::Document last_body() const { return json::Document::parse(server_.last_request().body); }
  static mock::Scenario with_calls() {
    mock::Scenario s;
    s.content = "Checking.";
    s.reasoning = "The user wants the weather.";
    s.tool_calls = {{"ignored-by-gemini", "get_weather", R"({"city":"Oslo"})"},
                    {"", "get_time", R"({"tz":"Europe/Oslo"})"}};
    return s;
  }
  std::vector<Message> question_{{.role = "system", .content = "Be brief."},
                                 {.role = "user", .content = "Weather in Oslo?"}};
};

TEST_F(GeminiE2e, WholeReplyTheRequestAndTheKeyHeader) {
  ChatResult r = gemini().chat(question_);
  EXPECT_EQ(r.content, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(r), "stop");
  EXPECT_EQ(r.finish_reason_raw, "STOP");
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 5);  // the mock counts the words of the prompt's texts
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(*find_header(req.headers, "x-goog-api-key"), "AIza-test-key-0001");
  EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
  json::Document body = last_body();
  EXPECT_EQ(body.root()["systemInstruction"]["parts"][0]["text"].str(), "Be brief.");
  EXPECT_EQ(body.root()["contents"][0]["role"].str(), "user");
  EXPECT_EQ(body.root()["contents"].size(), 1u);
}

TEST_F(GeminiE2e, StreamedReplyArrivesChunkByChunk) {
  core::ChatStream stream = gemini().stream_chat(question_);
  std::string text;
  std::size_t chunks = 0;
  for (const auto& chunk : stream) {
    text += chunk.delta;
    chunks += chunk.status == ModelStatusCode::STREAM_ING;
  }
  EXPECT_EQ(text, mock::Scenario{}.full_content());
  EXPECT_EQ(chunks, mock::Scenario{}.content_pieces().size());
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  EXPECT_EQ(server_.last_request().uri,
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
}

// Call → result → final answer: the calls get ids from their places, the signature Gemini put
// on the first call goes back on it, the results are answered by the functions' names.
TEST_F(GeminiE2e, ToolRoundTripWithStableIdsAndTheThoughtSignature) {
  server_.push(with_calls());
  core::ChatModel model = gemini();
  ChatResult first = drain_result(model.stream_chat(question_));
  ASSERT_EQ(first.tool_calls.size(), 2u);
  EXPECT_EQ(first.tool_calls[0].id, "call_0");
  EXPECT_EQ(first.tool_calls[0].name, "get_weather");
  EXPECT_EQ(first.tool_calls[0].arguments, R"({"city":"Oslo"})");
  EXPECT_EQ(first.tool_calls[1].id, "call_1");
  EXPECT_EQ(finish_reason_name(first), "tool_calls");
  EXPECT_EQ(first.reasoning, "The user wants the weather.");

  std::vector<Message> next = question_;
  next.push_back(assistant_message(first));
  next.push_back({.role = "tool", .content = "14:05", .tool_call_id = "call_1"});
  next.push_back({.role = "tool", .content = R"({"temp_c":18})", .tool_call_id = "call_0"});
  ChatResult final_answer = model.chat(next);
  EXPECT_EQ(final_answer.content, mock::Scenario{}.full_content());

  json::Document body = last_body();
  json::Value contents = body.root()["contents"];
  ASSERT_EQ(contents.size(), 3u);
  json::Value model_turn = contents[1]["parts"];
  EXPECT_EQ(contents[1]["role"].str(), "model");
  EXPECT_EQ(model_turn[0]["text"].str(), "The user wants the weather.");
  EXPECT_TRUE(model_turn[0]["thought"].as_bool().value_or(false));
  EXPECT_EQ(model_turn[1]["text"].str(), "Checking.");
  EXPECT_EQ(model_turn[2]["functionCall"]["name"].str(), "get_weather");
  EXPECT_EQ(model_turn[2]["functionCall"]["args"]["city"].str(), "Oslo");
  EXPECT_EQ(model_turn[2]["thoughtSignature"].str(), "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==");
  EXPECT_FALSE(model_turn[3]["thoughtSignature"].exists());
  json::Value results = contents[2]["parts"];
  EXPECT_EQ(contents[2]["role"].str(), "user");
  EXPECT_EQ(results[0]["functionResponse"]["name"].str(), "get_time");
  EXPECT_EQ(results[0]["functionResponse"]["response"]["output"].str(), "14:05");
  EXPECT_EQ(results[1]["functionResponse"]["name"].str(), "get_weather");
  EXPECT_EQ(results[1]["functionResponse"]["response"]["temp_c"].as_int64(), 18);
}

// A reply without calls: Gemini signs its last part, and that text goes back with it.
TEST_F(GeminiE2e, ThoughtSignatureOnTextComesBackOnTheText) {
  mock::Scenario s;
  s.reasoning = "Short thought.";
  server_.push(s);
  core::ChatModel model = gemini();
  ChatResult first = model.chat(question_);
  ASSERT_EQ(first.reasoning_blocks.size(), 2u);
  EXPECT_EQ(first.reasoning_blocks[0].text, "Short thought.");
  EXPECT_EQ(first.reasoning_blocks[1].signature, "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==");
  std::vector<Message> next = question_;
  next.push_back(assistant_message(first));
  next.push_back({.role = "user", .content = "Thanks!"});
  model.chat(next);
  json::Document body = last_body();
  json::Value parts = body.root()["contents"][1]["parts"];
  EXPECT_EQ(parts[1]["text"].str(), mock::Scenario{}.full_content());
  EXPECT_EQ(parts[1]["thoughtSignature"].str(), "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==");
}

TEST_F(GeminiE2e, BlockedPromptIsAContentFilterErrorStreamedOrWhole) {
  mock::Scenario blocked;
  blocked.error_code = "PROHIBITED_CONTENT";  // with status 200: promptFeedback.blockReason
  for (bool stream : {true, false}) {
    server_.push(blocked);
    try {
      stream ? (void)drain_result(gemini().stream_chat(question_)) : (void)gemini().chat(question_);
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::content_filter) << e.what();
      EXPECT_EQ(e.info().code, "PROHIBITED_CONTENT");
    }
  }
}

TEST_F(GeminiE2e, InStreamErrorEndsTheStreamWithThePartialText) {
  mock::Scenario s;
  s.content = "Partial answer";
  s.stream_error = R"({"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"})";
  server_.push(s);
  try {
    drain_result(gemini().stream_chat(question_));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::server) << e.what();
    EXPECT_EQ(e.info().code, "UNAVAILABLE");
    EXPECT_EQ(e.partial_content(), "Partial answer");
  }
}

TEST_F(GeminiE2e, ErrorStatusesGiveTheirKinds) {
  const std::vector<std::tuple<int, std::string, ErrorKind>> cases{
      {400, "", ErrorKind::bad_request},
      {400, "API_KEY_INVALID", ErrorKind::auth},
      {401, "", ErrorKind::auth},
      {403, "", ErrorKind::permission},
      {404, "", ErrorKind::not_found},
      {429, "", ErrorKind::rate_limited},
      {429, "RESOURCE_EXHAUSTED", ErrorKind::quota_exhausted},
      {500, "", ErrorKind::server},
      {503, "", ErrorKind::server},
  };
  for (const auto& [status, code, kind] : cases) {
    mock::Scenario s;
    s.status = status;
    s.error_code = code;
    server_.push(s);
    try {
      gemini().chat(question_);
      ADD_FAILURE() << status << " " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind) << status << " " << code << ": " << e.what();
      EXPECT_EQ(e.info().http_status, status);
    }
  }
}

TEST_F(GeminiE2e, TheKeyComesFromGeminiApiKeyElseGoogleApiKey) {
  core::ModelConfig c = gemini_config();
  c.keys = {"ENV"};
  unsetenv("GEMINI_API_KEY");
  setenv("GOOGLE_API_KEY", "AIza-google-var-0002", 1);
  runtime_.model(c).chat(question_);
  EXPECT_EQ(*find_header(server_.last_request().headers, "x-goog-api-key"), "AIza-google-var-0002");
  setenv("GEMINI_API_KEY", "AIza-gemini-var-0003", 1);
  runtime_.model(c).chat(question_);
  EXPECT_EQ(*find_header(server_.last_request().headers, "x-goog-api-key"), "AIza-gemini-var-0003");
  unsetenv("GEMINI_API_KEY");
  unsetenv("GOOGLE_API_KEY");
  try {
    runtime_.model(c);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    EXPECT_NE(std::string(e.what()).find("$GEMINI_API_KEY or $GOOGLE_API_KEY"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace llmrt
