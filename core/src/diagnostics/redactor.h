#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

// The one place where secrets are taken out of text that leaves llmrt. Every error of a call
// passes through its model's Redactor (Call::completed), every log line through all live
// ones (log()); what the CLI prints (errors, events, batch lines, diagnostics) comes from
// those two. A model's secrets are its keys (as resolved: ENV and env:VAR give the variable's
// value) and the userinfo of its api_base and proxy URLs. Organisations are not secret (they
// are ids shown on the provider's dashboard) and stay readable. The reply's text, and the
// partial reply an error carries, are the model's output, passed on exactly as received.
// Immutable once built, so shared freely across threads.
class Redactor {
 public:
  // Secrets shorter than this are not searched for in text: placeholder keys such as "EMPTY",
  // "none" or "ollama" would otherwise be masked in every message containing the word. Real
  // keys are far longer; llmrt itself never prints even a short one (it prints masks only).
  static constexpr std::size_t kMinSecretLength = 8;

  // A key: every occurrence becomes its mask, "…" and the last four characters.
  void add_key(std::string_view key);
  // The userinfo of a URL ("scheme://user:password@host…"), raw and percent-decoded: the
  // whole userinfo and the password alone become "[redacted]".
  void add_url(std::string_view url);

  // `text` with every secret replaced and the userinfo of every URL in it removed.
  std::string apply(std::string text) const;
  // Every string of the error: code, message, request id and provider.
  ErrorInfo apply(ErrorInfo info) const;

 private:
  void add(std::string secret, std::string mask);

  struct Secret {
    std::string text;
    std::string mask;
  };
  std::vector<Secret> secrets_;  // longest first: a key inside a longer secret never splits it
};

// "scheme://host…" without the "user:password@" part; `url` may lack the scheme.
std::string url_without_userinfo(std::string_view url);
// `url` as an error may show it: no userinfo, no fragment, and every query value replaced by
// "[redacted]" ("?key=…" carries a key for some APIs; the names stay, to tell what was sent).
std::string url_without_secrets(std::string_view url);
// The "user:password" part of `url` (without the '@'); empty when it has none.
std::string_view url_userinfo(std::string_view url);

// `text` with each "%XX" (two hex digits) turned into its byte (RFC 3986 §2.1).
std::string percent_decoded(std::string_view text);

// Text with the userinfo of every "scheme://user:password@host" in it removed, whatever its
// length: the structural rule that covers URLs that are not a model's own.
std::string strip_url_userinfo(std::string text);

// Makes every log line pass through `redactor` while it lives (held weakly: a model's
// secrets stop being searched for once the model and its calls are gone).
void redact_log_lines_with(const std::shared_ptr<const Redactor>& redactor);

}  // namespace llmrt::core
