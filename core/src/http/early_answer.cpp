#include "http/early_answer.h"

namespace llmrt::core {

EarlyInput judge_early_input(std::string_view in) {
  constexpr std::string_view kVersion = "HTTP/1.";
  while (true) {
    if (in.empty()) return EarlyInput::go_on;
    // "HTTP/1.x NNN": twelve bytes say which kind of response this is.
    if (in.size() < 12) {
      return kVersion.starts_with(in.substr(0, kVersion.size())) ? EarlyInput::undecided
                                                                 : EarlyInput::stop;
    }
    if (!in.starts_with(kVersion) || in[8] != ' ' || in[9] < '1' || in[9] > '5') {
      return EarlyInput::stop;  // read_response_head says what is wrong with it
    }
    if (in[9] == '2') return EarlyInput::go_on;
    if (in[9] != '1') return EarlyInput::stop;
    // An interim response: what follows its head decides.
    std::size_t end = in.find("\r\n\r\n");
    std::size_t blank = 4;
    if (const std::size_t bare = in.find("\n\n"); bare < end) {
      end = bare;
      blank = 2;
    }
    if (end == std::string_view::npos) return EarlyInput::undecided;
    in.remove_prefix(end + blank);
  }
}

}  // namespace llmrt::core
