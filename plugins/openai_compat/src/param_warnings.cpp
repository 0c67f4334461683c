#include "llmrt/plugins/openai_compat/param_warnings.h"

namespace llmrt::plugins::openai_compat {

void ParamWarnings::not_taken(std::string_view parameter, std::string_view note) {
  std::string text =
      std::string(parameter) + " is not a parameter of " + std::string(api_name_) + ": not sent";
  if (!note.empty()) text += " (" + std::string(note) + ")";
  add(std::move(text));
}

void ParamWarnings::not_taken_by_model(std::string_view parameter, std::string_view model) {
  add(std::string(parameter) + " is not taken by the reasoning model " + std::string(model) +
      ": not sent");
}

void ParamWarnings::capped(int wanted, std::string_view sent_key, int cap) {
  add("max_new_tokens " + std::to_string(wanted) + " lowered to " + std::string(sent_key) + " " +
      std::to_string(cap) + " by the option max_tokens_cap");
}

void ParamWarnings::add(std::string text) {
  if (out_ != nullptr) out_->push_back(std::move(text));
}

}  // namespace llmrt::plugins::openai_compat
