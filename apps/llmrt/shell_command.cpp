#include "shell_command.h"

#include "llmrt/core/key_pool.h"

namespace llmrt::cli {
namespace {

std::string quoted(const std::string& arg) {
  static constexpr std::string_view kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,";
  if (!arg.empty() && arg.find_first_not_of(kPlain) == std::string::npos) return arg;
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";  // end the quote, an escaped quote, quote again
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool is_key_name(const std::string& value) { return value == "ENV" || value.rfind("env:", 0) == 0; }

// scheme://user:password@host… → scheme://…@host…
std::string without_userinfo(const std::string& url, bool& masked) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t start = scheme + 3;
  const std::size_t at = url.find('@', start);
  if (at == std::string::npos || url.find_first_of("/?#", start) < at) return url;
  masked = true;
  return url.substr(0, start) + "…" + url.substr(at);
}

// Each query value shown as "…": ?api_key=… or &token=… may be a secret.
std::string without_query_values(const std::string& url, bool& masked) {
  const std::size_t query = url.find('?');
  if (query == std::string::npos) return url;
  std::string out = url.substr(0, query + 1);
  bool in_value = false;
  for (std::size_t i = query + 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '&' || c == '#') in_value = false;
    if (!in_value) out += c;
    if (c == '=' && !in_value) {
      in_value = true;
      out += "…";
      masked = true;
    }
  }
  return out;
}

}  // namespace

std::string shell_command(const std::vector<std::string>& argv, bool& masked) {
  masked = false;
  std::string command;
  std::string option;  // the option whose value comes next
  for (const std::string& arg : argv) {
    std::string name = option, value = arg;
    if (option.empty()) {
      const std::size_t eq = arg.find('=');
      if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      } else {
        name.clear();
      }
    }
    if (name == "--key" && !is_key_name(value)) {
      value = core::mask_key(value);
      masked = true;
    } else if (name == "--api-base" || name == "--proxy") {
      value = without_query_values(without_userinfo(value, masked), masked);
    }
    const std::string shown = option.empty() && !name.empty() ? name + "=" + value : value;
    if (!command.empty()) command += ' ';
    command += quoted(shown);
    option =
        option.empty() && (arg == "--key" || arg == "--api-base" || arg == "--proxy") ? arg : "";
  }
  return command;
}

}  // namespace llmrt::cli
