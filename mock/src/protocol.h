#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <rapidjson/document.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string_view>

#include "llmrt/mock/mock_server.h"
#include "llmrt/mock/scenario.h"
#include "wire.h"

namespace llmrt::mock {

// One provider's wire protocol on the mock server.
class Protocol {
 public:
  virtual ~Protocol() = default;
  // Where this protocol's request body carries the per-request "mock" object, if anywhere.
  virtual const rapidjson::Value* mock_object(const rapidjson::Value& body) const = 0;
  // `wire` is the connection under the response: to cut it or pause on it (faults some
  // scenarios ask for mid-stream).
  virtual void respond(const RecordedRequest& request, const rapidjson::Value& body,
                       const Scenario& scenario, Poco::Net::HTTPServerResponse& response,
                       Wire& wire) const = 0;
};

// The OpenAI protocol and the servers that speak it with their own error shapes.
enum class OpenAiDialect {
  openai,
  puyu,  // Puyu's {"code":-20003} and gateway {"msgCode"} errors
  // Azure OpenAI's deployments: api-version and api-key required, content-filter results
  // (a first stream chunk with prompt_filter_results, content_filter_results on choices), its
  // {"error":{"code":"401"}} shapes and the content_filter error with its innererror.
  azure,
};
std::unique_ptr<Protocol> make_openai_protocol(OpenAiDialect dialect);
// DashScope's native text generation (…/services/aigc/text-generation/generation).
std::unique_ptr<Protocol> make_dashscope_protocol();
// Anthropic's Messages API (…/v1/messages).
std::unique_ptr<Protocol> make_anthropic_protocol();
// Google's Gemini API (…/models/{model}:generateContent and :streamGenerateContent).
std::unique_ptr<Protocol> make_gemini_protocol();
// Ollama's native chat API (/api/chat): NDJSON lines, {"error": "text"} errors.
std::unique_ptr<Protocol> make_ollama_protocol();

// Answers with the scenario's headers and, when its status is not 200, that status and
// `error_body`; returns true when it did (the request is then answered).
bool reply_with_error(const Scenario& scenario, const std::string& error_body,
                      Poco::Net::HTTPServerResponse& response);

// Words in the messages' contents: the mock's stand-in for prompt tokens.
long long count_prompt_words(const rapidjson::Value* messages);

// Writes stream events as the scenario says: flushing every `events_per_flush` events, pausing
// between them, and injecting its faults (a malformed event, a cut connection).
class EventWriter {
 public:
  using ClientGone = mock::ClientGone;

  EventWriter(std::ostream& out, const Scenario& scenario, Wire& wire);
  void write(std::string_view event_text);
  void finish();

 private:
  void check() const;

  std::ostream& out_;
  const Scenario& scenario_;
  Wire& wire_;
  int written_ = 0;
  int unflushed_ = 0;
  bool first_ = true;
};

}  // namespace llmrt::mock
