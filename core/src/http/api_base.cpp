#include "llmrt/core/api_base.h"

#include <string>

#include "http/endpoint.h"
#include "llmrt/core/key_pool.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

// The URL with its userinfo (a password, a key) replaced by "…", so that it can be shown. Text
// with nothing of an address in it (no '.', ':' or '/') may be a key given in the wrong place:
// only its last four characters are shown, as keys are.
std::string shown(std::string_view url) {
  if (url.find_first_of(".:/") == std::string_view::npos) return mask_key(url);
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", authority);
  const std::size_t at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + "…" + std::string(url.substr(at));
}

std::string reason(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return "it does not start with http:// or https://";
  }
  const std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return "the scheme must be http or https, not '" + std::string(scheme) + "'";
  }
  try {
    parse_endpoint(url);
  } catch (const Error& e) {
    // parse_endpoint names the URL itself: keep only why.
    const std::string& message = e.info().message;
    const std::size_t colon = message.rfind("': ");
    if (colon != std::string::npos) return message.substr(colon + 3);
    return message.find("has no host") != std::string::npos ? "it has no host" : message;
  }
  return {};
}

}  // namespace

void check_api_base(std::string_view url, std::string_view where) {
  if (url.empty()) return;
  const std::string why = reason(url);
  if (why.empty()) return;
  throw Error(ErrorKind::bad_request,
              std::string(where) + ": '" + shown(url) + "' is not a usable API base: " + why);
}

void check_given_api_base(std::string_view url, std::string_view where) {
  if (url.empty()) {
    throw Error(ErrorKind::bad_request,
                std::string(where) +
                    ": the API base is empty; leave it out for the provider's default, or give "
                    "the URL of the server meant (was a variable left unset?)");
  }
  check_api_base(url, where);
}

}  // namespace llmrt::core
