#pragma once

#include <string>
#include <string_view>

#include "llmrt/sdk/chat_request.h"
#include "llmrt/sdk/http.h"

namespace llmrt::plugins::openai {

// Where a call goes and how the key travels. Azure OpenAI speaks the same protocol with three
// differences, all set by configuration (ChatRequest::options):
//  - "deployment": the api base is the resource endpoint (https://NAME.openai.azure.com) and
//    the URL is {base}/openai/deployments/{deployment}/chat/completions. An api base that
//    already ends in /openai/deployments/{deployment} (or is the full URL) needs no option.
//  - "api_version": added to the URL as ?api-version=…, Azure's required query parameter (an
//    api base may carry it instead; both, disagreeing, is an error).
//  - "auth": "api-key" sends the key in Azure's api-key header, "bearer" as Authorization:
//    Bearer (OpenAI's way; also Azure's for Entra ID tokens). Unset, it is api-key when the
//    call is Azure-shaped (an api_version or deployment option, an api-version in the api
//    base's query, or /openai/deployments/ in its path), else bearer.
struct Endpoint {
  std::string url;
  bool api_key_header = false;
};

// Throws Error (bad_request) naming the option whose value cannot be used.
Endpoint endpoint_for(const ChatRequest& request, std::string_view default_api_base);

// Moves the key from the Authorization header json_post wrote into Azure's api-key header.
void use_api_key_header(HttpRequest& http, std::string_view key);

}  // namespace llmrt::plugins::openai
