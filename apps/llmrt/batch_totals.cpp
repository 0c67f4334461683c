#include "batch_totals.h"

#include <algorithm>
#include <cstdio>

#include "terminal_text.h"

namespace llmrt::cli {

void BatchTotals::add(const ChatResult& result) {
  Model& m = models_[result.served_by.empty() ? fallback_model_ : result.served_by];
  ++m.replies;
  if (result.usage) {
    m.prompt_tokens += result.usage->prompt_tokens;
    m.completion_tokens += result.usage->completion_tokens;
  }
  if (result.cost) {
    m.cost += *result.cost;
    m.priced = true;
  }
}

void BatchTotals::print(std::ostream& out) const {
  double total = 0;
  bool priced = false;
  for (const auto& [name, m] : models_) {
    out << "llmrt batch: " << printable(name) << ": " << m.replies
        << (m.replies == 1 ? " reply, " : " replies, ") << m.prompt_tokens << " prompt and "
        << m.completion_tokens << " completion tokens";
    if (m.priced) out << ", cost " << cost_text(m.cost);
    out << "\n";
    total += m.cost;
    priced = priced || m.priced;
  }
  if (priced) out << "llmrt batch: total cost " << cost_text(total) << "\n";
}

std::string cost_text(double cost) {
  // Six decimals show one token at a price of 1 per million.
  char text[64];
  const int n = std::snprintf(text, sizeof text, "%.6f", cost);
  std::string s(text,
                n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1));
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace llmrt::cli
