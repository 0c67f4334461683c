#include "http/proxy_selection.h"

#include <algorithm>
#include <cctype>

namespace llmrt::core {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host.substr(0, 4) == "127." || host == "::1" || host == "[::1]";
}

// The value of the first of the two that is set, and its name in `from`.
const char* first_set(const EnvLookup& env, const char* upper, const char* lower_name,
                      std::string* from) {
  for (const char* name : {lower_name, upper}) {
    const char* value = env(name);
    if (value != nullptr && *value != '\0') {
      if (from != nullptr) *from = std::string("$") + name;
      return value;
    }
  }
  return nullptr;
}

}  // namespace

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
  std::string h = lower(host);
  while (!no_proxy.empty()) {
    std::size_t comma = no_proxy.find(',');
    std::string entry = lower(trim_blanks(no_proxy.substr(0, comma)));
    no_proxy = comma == std::string_view::npos ? std::string_view() : no_proxy.substr(comma + 1);
    if (entry == "*") return true;
    if (std::size_t colon = entry.rfind(':');
        colon != std::string::npos && entry.find(':') == colon) {
      entry.resize(colon);  // host:port — the port does not matter
    }
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (h == entry) return true;
    if (h.size() > entry.size() && h.compare(h.size() - entry.size(), entry.size(), entry) == 0 &&
        h[h.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::string select_proxy(const Endpoint& endpoint, const std::string& configured,
                         bool from_environment, const EnvLookup& env, std::string* from) {
  if (!configured.empty()) {
    if (from != nullptr) *from = "transport.proxy";
    return configured;
  }
  if (!from_environment || is_loopback(endpoint.host)) return {};
  const char* no_proxy = first_set(env, "NO_PROXY", "no_proxy", nullptr);
  if (no_proxy != nullptr && no_proxy_matches(no_proxy, endpoint.host)) return {};
  const char* proxy = endpoint.https ? first_set(env, "HTTPS_PROXY", "https_proxy", from)
                                     : first_set(env, "HTTP_PROXY", "http_proxy", from);
  return proxy == nullptr ? std::string() : std::string(proxy);
}

}  // namespace llmrt::core
