#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llmrt::plugins::openai_compat {

// The warnings a body renderer gives for parameters it did not send as the caller set them
// (HttpRequest::warnings): one line each, naming the parameter and why. Collects nothing when
// `out` is null.
class ParamWarnings {
 public:
  ParamWarnings(std::vector<std::string>* out, std::string_view api_name)
      : out_(out), api_name_(api_name) {}

  // "top_k is not a parameter of the OpenAI chat API: not sent", then " (NOTE)" when given.
  void not_taken(std::string_view parameter, std::string_view note = {});
  // "temperature is not taken by the reasoning model o3-mini: not sent"
  void not_taken_by_model(std::string_view parameter, std::string_view model);
  // "max_new_tokens 10000 lowered to max_tokens 4096 by the option max_tokens_cap (…)"
  void capped(int wanted, std::string_view sent_key, int cap);
  // Any other line.
  void add(std::string text);

 private:
  std::vector<std::string>* out_;
  std::string_view api_name_;
};

}  // namespace llmrt::plugins::openai_compat
