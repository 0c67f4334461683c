#pragma once

#include <map>
#include <ostream>
#include <string>

#include "llmrt/sdk/chat_result.h"

namespace llmrt::cli {

// What a batch's replies used, by the model that served each (ChatResult::served_by), for its
// summary: the sums of the output lines' usage and cost.
class BatchTotals {
 public:
  // `fallback_model`: the name a reply is counted under when it names no model.
  explicit BatchTotals(std::string fallback_model) : fallback_model_(std::move(fallback_model)) {}

  void add(const ChatResult& result);
  // One line a model, "llmrt batch: gpt: 3 replies, 120 prompt and 45 completion tokens, cost
  // 0.00075", and the total cost when any reply had one. Nothing without replies.
  void print(std::ostream& out) const;

 private:
  struct Model {
    std::size_t replies = 0;
    long long prompt_tokens = 0;
    long long completion_tokens = 0;
    double cost = 0;
    bool priced = false;
  };
  std::string fallback_model_;
  std::map<std::string, Model> models_;
};

// A cost as the summary prints it: up to six decimals, without trailing zeros ("0.00075").
std::string cost_text(double cost);

}  // namespace llmrt::cli
