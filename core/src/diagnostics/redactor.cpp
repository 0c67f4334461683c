#include "diagnostics/redactor.h"

#include <algorithm>

#include "http/proxy.h"
#include "llmrt/core/key_pool.h"

namespace llmrt::core {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

// Where the authority of a URL starts: after "scheme://", or at the start without a scheme
// (a proxy given as "user:password@host:port").
std::size_t authority_start(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  return scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
}

// Where the '@' that ends the userinfo of one URL is, if it has one: the last '@' before the
// path (RFC 3986 §3.2.1; a password with an unescaped '@' still ends at the last one, as curl
// reads it).
std::size_t userinfo_end(std::string_view url) {
  std::size_t start = authority_start(url);
  std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
  std::size_t at = url.substr(0, end).rfind('@');
  return at != std::string_view::npos && at >= start ? at : std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// In running text an authority ends where a URL does: a path, a query, a fragment, a quote,
// white space or a control character.
bool ends_authority(char c) {
  return std::string_view("/?#\"'<>`").find(c) != std::string_view::npos ||
         static_cast<unsigned char>(c) <= ' ';
}

}  // namespace

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

void Redactor::add(std::string secret, std::string mask) {
  if (secret.size() < kMinSecretLength) return;
  for (const Secret& s : secrets_) {
    if (s.text == secret) return;
  }
  auto at = std::find_if(secrets_.begin(), secrets_.end(),
                         [&](const Secret& s) { return s.text.size() < secret.size(); });
  secrets_.insert(at, Secret{std::move(secret), std::move(mask)});
}

void Redactor::add_key(std::string_view key) { add(std::string(key), mask_key(key)); }

void Redactor::add_url(std::string_view url) {
  std::string_view userinfo = url_userinfo(url);
  std::size_t colon = userinfo.find(':');
  std::string_view password =
      colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1);
  for (std::string_view part : {userinfo, password}) {
    add(std::string(part), std::string(kRedacted));
    add(percent_decoded(part), std::string(kRedacted));
  }
  // As a proxy's Proxy-Authorization carries them, which one may echo in its 407.
  if (!userinfo.empty()) add(basic_credentials(userinfo), std::string(kRedacted));
}

std::string Redactor::apply(std::string text) const {
  // Each secret's occurrences in one pass into a new string: a replace in place moves the rest
  // of the text each time, and a server that echoes a key a million times in a 16 MiB error
  // body made that minutes of CPU.
  for (const Secret& s : secrets_) {
    std::size_t at = text.find(s.text);
    if (at == std::string::npos) continue;
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (; at != std::string::npos; at = text.find(s.text, copied)) {
      out.append(text, copied, at - copied).append(s.mask);
      copied = at + s.text.size();
    }
    out.append(text, copied);
    text = std::move(out);
  }
  return strip_url_userinfo(std::move(text));
}

ErrorInfo Redactor::apply(ErrorInfo info) const {
  for (std::string* field :
       {&info.code, &info.message, &info.request_id, &info.provider, &info.url}) {
    *field = apply(std::move(*field));
  }
  return info;
}

std::string url_without_userinfo(std::string_view url) {
  std::size_t at = userinfo_end(url);
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start(url))) + std::string(url.substr(at + 1));
}

std::string url_without_secrets(std::string_view url) {
  std::string out = url_without_userinfo(url.substr(0, url.find('#')));
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string kept = out.substr(0, query + 1);
  std::string_view rest = std::string_view(out).substr(query + 1);
  while (!rest.empty()) {
    const std::size_t amp = std::min(rest.find('&'), rest.size());
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    kept += pair.substr(0, eq);
    if (eq != std::string_view::npos) (kept += '=') += kRedacted;
    if (amp < rest.size()) kept += '&';
    rest.remove_prefix(std::min(amp + 1, rest.size()));
  }
  return kept;
}

std::string_view url_userinfo(std::string_view url) {
  std::size_t at = userinfo_end(url);
  if (at == std::string_view::npos) return {};
  std::size_t start = authority_start(url);
  return url.substr(start, at - start);
}

std::string strip_url_userinfo(std::string text) {
  // In one pass, linear in the text whatever it holds: an authority holds no "//", so the next
  // "://" is past it; the '@' is looked for within the authority only, and what is kept is
  // copied once. (A search back from each authority's end and an erase for each userinfo made
  // a server's 2 MB error message of "x://aaaaaaa " a minute of CPU.)
  const std::string_view in(text);
  std::string out;
  std::size_t copied = 0;  // what comes before is in `out`
  for (std::size_t scheme_end = in.find("://"); scheme_end != std::string_view::npos;) {
    const std::size_t start = scheme_end + 3;
    std::size_t end = start;
    while (end < in.size() && !ends_authority(in[end])) ++end;
    std::size_t next = start;
    if (const std::size_t at = in.substr(start, end - start).rfind('@');
        at != std::string_view::npos) {
      out.append(in.substr(copied, start - copied));
      copied = start + at + 1;
      next = copied;
    }
    scheme_end = in.find("://", next);
  }
  if (copied == 0) return text;
  out.append(in.substr(copied));
  return out;
}

}  // namespace llmrt::core
