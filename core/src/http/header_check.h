#pragma once

#include <string_view>

#include "llmrt/sdk/http.h"

namespace llmrt::core {

// RFC 9110 §5.5: a field value never holds CR, LF or NUL. A value that does ends its header
// line early and the rest is read as headers of its own (header injection), so such a value is
// refused, wherever it came from.
bool is_safe_header_value(std::string_view value) noexcept;

// Throws Error (bad_request) "<setting> contains a CR, LF or NUL character …" when `value`
// cannot be a header value. The message names the setting ("key 2 (from $OPENAI_API_KEY)",
// "option project") and never shows the value: it may be a secret.
void require_safe_header_value(std::string_view value, std::string_view setting);

// The transport's last line of defence, for every request before anything is sent: the
// method and every header name are tokens (RFC 9110 §5.6.2), every header value is safe, and
// the URL (whose host becomes the Host header) holds no CR, LF or NUL. Throws Error (bad_request)
// naming the header.
void require_safe_request_head(const HttpRequest& request);

}  // namespace llmrt::core
