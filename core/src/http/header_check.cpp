#include "http/header_check.h"

#include <string>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

bool is_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void refuse(std::string_view what) {
  throw Error(ErrorKind::bad_request,
              std::string(what) +
                  " contains a CR, LF or NUL character, which no HTTP header may hold (it would "
                  "end the header and start another); nothing was sent");
}

}  // namespace

bool is_safe_header_value(std::string_view value) noexcept {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void require_safe_header_value(std::string_view value, std::string_view setting) {
  if (!is_safe_header_value(value)) refuse(setting);
}

void require_safe_request_head(const HttpRequest& request) {
  if (!is_token(request.method)) {
    throw Error(ErrorKind::bad_request,
                "the request method is not an HTTP token; nothing was sent");
  }
  if (!is_safe_header_value(request.url)) {
    throw Error(ErrorKind::bad_request,
                "the request URL contains a CR, LF or NUL character; nothing was sent");
  }
  for (std::size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (!is_token(name)) {
      // The name itself may carry the injected text: say only where it is.
      throw Error(ErrorKind::bad_request, "request header " + std::to_string(i + 1) +
                                              " has a name that is not an HTTP token; nothing "
                                              "was sent");
    }
    if (!is_safe_header_value(value)) refuse("the value of request header '" + name + "'");
  }
}

}  // namespace llmrt::core
