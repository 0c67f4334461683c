#include "http/response_head.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <tuple>

#include "http/field_text.h"
#include "http/header_check.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

constexpr std::size_t kMaxHeadBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxLineBytes = std::size_t{8} << 10;
constexpr std::size_t kMaxFields = 128;
// Servers send one `100 Continue` or a few `103 Early Hints`; more is a server in a loop.
constexpr int kMaxInterimResponses = 16;

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorKind::protocol, "malformed HTTP response: " + what);
}

[[gnu::always_inline]] inline bool has_blank(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Whether a Connection field's comma-separated list names `close` and `keep-alive`, in any
// case: one pass for both.
struct ConnectionTokens {
  bool close = false;
  bool keep_alive = false;
};

ConnectionTokens connection_tokens(std::string_view value) {
  ConnectionTokens found;
  const char* p = value.data();
  const char* const end = p + value.size();
  while (true) {
    const char* comma = p;
    while (comma != end && *comma != ',') ++comma;
    const std::string_view token = trim({p, static_cast<std::size_t>(comma - p)});
    found.close = found.close || iequals(token, "close");
    found.keep_alive = found.keep_alive || iequals(token, "keep-alive");
    if (comma == end) return found;
    p = comma + 1;
  }
}

// A CR or NUL inside a field's value is read as a space (RFC 9110 §5.5): a NUL would cut every
// C string the value reaches, an error message shown on a terminal among them. Replaced before
// the value is trimmed, as the RFC has it: one at either end goes with the blanks there.
void blank_cr_and_nul(std::string& value) {
  std::replace_if(
      value.begin(), value.end(), [](char c) { return c == '\r' || c == '\0'; }, ' ');
  const std::string_view trimmed = trim(value);
  value = std::string(trimmed);
}

// The last transfer coding of a Transfer-Encoding list.
std::string_view last_coding(std::string_view value) {
  std::size_t comma = value.rfind(',');
  return trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
}

// Refuses a transfer coding llmrt cannot undo (gzip, compress, a made-up one): its body would
// be read as it is and fail later as bytes nobody can read, or pass as if it were plain.
// `identity` (an old name for none) is let through.
void check_transfer_codings(std::string_view value) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view coding = trim(value.substr(0, comma));
    if (!coding.empty() && !iequals(coding, "chunked") && !iequals(coding, "identity")) {
      malformed("a Transfer-Encoding llmrt cannot read: " + in_quotes(value) +
                " (only chunked is)");
    }
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
}

class HeadReader {
 public:
  explicit HeadReader(Connection& connection, ResponseHead& head)
      : connection_(connection), head_(head) {}

  // One line of the head, valid until the next call; throws when the connection ends first.
  std::string_view line() {
    // A response's first line comes with the first read after the request: read it into the
    // buffer first, so that it too is read in place.
    if (connection_.buffered().empty()) fill();
    // A whole line already read (nearly always): a view of the connection's buffer, no copy.
    const std::string_view buffered = connection_.buffered();
    if (const void* found = std::memchr(buffered.data(), '\n', buffered.size())) {
      const std::size_t lf =
          static_cast<std::size_t>(static_cast<const char*>(found) - buffered.data());
      const std::size_t size = lf != 0 && buffered[lf - 1] == '\r' ? lf - 1 : lf;
      connection_.consume(lf + 1);
      total_ += size;  // as take_line's lines count: without their CRLF
      check(size);
      return {buffered.data(), size};
    }
    // Else gathered in one buffer across reads.
    std::string& text = text_;
    text.clear();
    while (true) {
      std::size_t before = text.size();
      bool complete = connection_.take_line(text);
      total_ += text.size() - before;
      check(text.size());
      if (complete) return text;
      fill();
    }
  }

 private:
  void fill() {
    if (!connection_.fill()) {
      throw Error(ErrorKind::network, head_.bytes_seen
                                          ? "the connection closed inside the response head"
                                          : "the connection closed before any response");
    }
    head_.bytes_seen = true;
  }

  void check(std::size_t line_bytes) const {
    if (line_bytes > kMaxLineBytes) malformed("a header line longer than 8 KiB");
    if (total_ > kMaxHeadBytes) malformed("a response head larger than 64 KiB");
  }

  Connection& connection_;
  ResponseHead& head_;
  std::size_t total_ = 0;
  std::string text_;
};

int parse_status_line(std::string_view line, bool& http10) {
  // HTTP-version SP 3DIGIT SP [reason]
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." ||
      !std::isdigit(static_cast<unsigned char>(line[7])) || line[8] != ' ') {
    malformed("not an HTTP/1.x status line: " + in_quotes(line));
  }
  int status = 0;
  auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (ec != std::errc() || end != line.data() + 12 || status < 100 || status > 599 ||
      (line.size() > 12 && line[12] != ' ')) {
    malformed("a bad status code in " + in_quotes(line));
  }
  http10 = line[7] == '0';
  return status;
}

}  // namespace

void read_response_head(Connection& connection, bool head_request, ResponseHead& head) {
  HeadReader reader(connection, head);
  head.headers.reserve(16);  // one allocation for a usual head, not one per doubling
  head.bytes_seen = !connection.buffered().empty();
  bool http10 = false;
  for (int interim = 0;; ++interim) {
    head.status = parse_status_line(reader.line(), http10);
    head.headers.clear();
    while (true) {
      std::string_view field = reader.line();
      if (field.empty()) break;
      // One look at the whole line: a CR or NUL in it (nearly never) is sorted out below.
      const bool clean = is_safe_header_value(field);
      if (field.front() == ' ' || field.front() == '\t') {
        // Obsolete line folding (RFC 9112 §5.2): a client may replace it with a space.
        if (head.headers.empty()) malformed("a folded line before any field");
        head.headers.back().second += ' ';
        head.headers.back().second += trim(field);
        if (!clean) blank_cr_and_nul(head.headers.back().second);
        continue;
      }
      const void* found = std::memchr(field.data(), ':', field.size());
      const std::size_t colon =
          found == nullptr
              ? 0
              : static_cast<std::size_t>(static_cast<const char*>(found) - field.data());
      const std::string_view name(field.data(), colon);
      if (colon == 0 || has_blank(name)) {
        malformed("a header line without a field name: " + in_quotes(field));
      }
      if (!clean && !is_safe_header_value(name)) {
        malformed("a CR or NUL in a field name: " + in_quotes(field));
      }
      if (head.headers.size() >= kMaxFields) malformed("more than 128 header fields");
      const std::string_view value = trim({field.data() + colon + 1, field.size() - colon - 1});
      head.headers.emplace_back(std::piecewise_construct,
                                std::forward_as_tuple(name.data(), name.size()),
                                std::forward_as_tuple(value.data(), value.size()));
      if (!clean) blank_cr_and_nul(head.headers.back().second);
    }
    if (head.status >= 200) break;
    if (head.status == 101) malformed("101 Switching Protocols, which llmrt never asked for");
    if (interim + 1 > kMaxInterimResponses) {
      malformed("more than " + std::to_string(kMaxInterimResponses) + " interim (1xx) responses");
    }
  }

  std::optional<std::uint64_t> length;
  bool transfer_encoding = false;
  ConnectionTokens tokens_seen;
  for (const auto& [name, value] : head.headers) {
    if (iequals(name, "connection")) {
      const ConnectionTokens tokens = connection_tokens(value);
      tokens_seen.close = tokens_seen.close || tokens.close;
      tokens_seen.keep_alive = tokens_seen.keep_alive || tokens.keep_alive;
    } else if (iequals(name, "transfer-encoding")) {
      transfer_encoding = true;
      check_transfer_codings(value);
      head.chunked = iequals(last_coding(value), "chunked");
    } else if (iequals(name, "content-length")) {
      std::string_view digits = trim(value);
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        malformed("a bad Content-Length " + in_quotes(value));
      }
      if (length && *length != n) malformed("two different Content-Length fields");
      length = n;
    }
  }
  // A `close` anywhere ends the connection, whatever else the field says (RFC 9112 §9.6: a
  // client that receives it sends no further request there); HTTP/1.0 keeps it only when asked.
  // Nor after an HTTP/1.0 reply with a transfer coding, which that version does not know (RFC
  // 9112 §6.1), with a body or without.
  head.keep_alive =
      !tokens_seen.close && (!http10 || tokens_seen.keep_alive) && !(http10 && transfer_encoding);
  head.no_body = head_request || head.status == 204 || head.status == 304;
  if (head.no_body) return;
  if (transfer_encoding) {
    // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a body not chunked last runs
    // to the end of the connection. Either way the connection is not trusted again.
    if (length || !head.chunked) head.keep_alive = false;
  } else if (length) {
    head.content_length = length;
  } else {
    head.keep_alive = false;  // the body ends when the connection does
  }
}

}  // namespace llmrt::core
