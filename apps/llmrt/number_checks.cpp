#include "number_checks.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace llmrt::cli {

CLI::Validator whole_number(long long min, long long max) {
  auto check = [min, max](std::string& text) -> std::string {
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size()) {
      return "must be a whole number, got '" + text + "'";
    }
    if (value < min || (errno == ERANGE && value < 0)) {
      return min == 0 ? "must be 0 or more, got " + text
                      : "must be at least " + std::to_string(min) + ", got " + text;
    }
    if (value > max || errno == ERANGE) {
      return "must be at most " + std::to_string(max) + ", got " + text;
    }
    return {};
  };
  return CLI::Validator(check, std::to_string(min) + ".." + std::to_string(max));
}

CLI::Validator positive_seconds() {
  auto check = [](std::string& text) -> std::string {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || std::isnan(value)) {
      return "must be a number of seconds, got '" + text + "'";
    }
    if (!(value > 0)) return "must be greater than 0 seconds, got " + text;
    if (value > kMaxSeconds) {
      return "must be at most " + std::to_string(static_cast<long long>(kMaxSeconds)) +
             " seconds (a year), got " + text;
    }
    return {};
  };
  return CLI::Validator(check, "SECONDS>0");
}

}  // namespace llmrt::cli
