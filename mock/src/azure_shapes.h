#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>

#include "llmrt/mock/mock_server.h"

namespace llmrt::mock {

// What Azure OpenAI adds to the OpenAI protocol on its deployments' chat completions, as its
// real replies show them (Mirascope's recorded Azure cassettes, Azure's REST reference).
namespace azure {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// A request Azure refuses before anything else: without the api-version query parameter it
// answers 404 {"error":{"code":"404","message":"Resource not found"}} (its real answer, not a
// 400), without the api-key header 401. Null when the request has both.
struct Refusal {
  int status;
  std::string body;
};
std::optional<Refusal> refusal(const RecordedRequest& request);

// Azure's error body for `status`: {"error":{"code":"<status>","message":…}}, or for the code
// "content_filter" its prompt-filter refusal with innererror.content_filter_result (violence
// filtered, severity medium).
std::string error_body(int status, const std::string& code);

// The "content_filter_results" member of a choice: every category safe, or with `filtered`
// the violence category filtered (severity medium), as on a content_filter finish.
void content_filter_results(Writer& w, bool filtered);

// The stream's first event: no choices, the prompt's filter results.
std::string prompt_filter_event();
// The "prompt_filter_results" member of a whole reply.
void prompt_filter_results(Writer& w);

}  // namespace azure
}  // namespace llmrt::mock
