// The iterative JSON parser behind json::Document (RFC 8259). No recursion: open containers
// are a stack of node indices, bounded by ParseLimits::max_depth.
#include <utility>

#include "json_text.h"
#include "json_tree.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace llmrt::json {
namespace {

class Parser {
 public:
  Parser(DocumentData& doc, const ParseLimits& limits)
      : doc_(doc),
        text_(doc.text.data()),
        size_(doc.text.size() - kScanPadding),
        max_depth_(limits.max_depth),
        open_(doc.open) {}

  // Empty on success, else the error message.
  std::string run();

 private:
  enum class Next { value, done, failed };

  bool fail(std::size_t at, const char* what);
  bool fail_depth(std::size_t at);
  void skip_whitespace() {
    while (pos_ < size_) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }
  bool at(char c) const { return pos_ < size_ && text_[pos_] == c; }

  void push(NodeKind kind, std::size_t begin, std::size_t end, std::uint32_t a = 0) {
    doc_.nodes.push_back(
        Node{static_cast<std::uint32_t>(kind) << kOffsetBits | static_cast<std::uint32_t>(begin),
             static_cast<std::uint32_t>(end), a, 0});
  }
  bool open(NodeKind kind);
  void close();
  bool scalar();
  bool literal(std::string_view word, NodeKind kind);
  bool number();
  bool string();
  bool escaped_string(std::size_t quote, const char* p);
  bool member_name();
  Next after_value();

  DocumentData& doc_;
  const char* text_;
  std::size_t size_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
  std::vector<std::uint32_t>& open_;  // indices of the containers not yet closed
  std::string error_;
};

bool Parser::fail(std::size_t at, const char* what) {
  error_ = "invalid JSON at byte " + std::to_string(at) + ": " + what;
  if (at >= size_) {
    error_ += " (the text ends there)";
  } else if (auto c = static_cast<unsigned char>(text_[at]); c >= 0x20 && c < 0x7F) {
    error_ += std::string(", found '") + static_cast<char>(c) + "'";
  } else {
    static constexpr char kHex[] = "0123456789ABCDEF";
    error_ += std::string(", found byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }
  return false;
}

bool Parser::fail_depth(std::size_t at) {
  error_ = "JSON nested deeper than " + std::to_string(max_depth_) + " levels at byte " +
           std::to_string(at);
  return false;
}

std::string Parser::run() {
  open_.clear();
  skip_whitespace();
  for (;;) {
    // A value starts here.
    if (at('[') || at('{')) {
      if (!open(at('[') ? NodeKind::array : NodeKind::object)) return error_;
      const bool array = doc_.nodes[open_.back()].kind() == NodeKind::array;
      if (!at(array ? ']' : '}')) {
        if (!array && !member_name()) return error_;
        continue;  // the first item or member value
      }
      close();  // empty
    } else if (!scalar()) {
      return error_;
    }
    switch (after_value()) {
      case Next::value:
        continue;
      case Next::done:
        return {};
      case Next::failed:
        return error_;
    }
  }
}

bool Parser::open(NodeKind kind) {
  if (open_.size() >= max_depth_) return fail_depth(pos_);
  open_.push_back(static_cast<std::uint32_t>(doc_.nodes.size()));
  push(kind, pos_, pos_);
  ++pos_;
  skip_whitespace();
  return true;
}

void Parser::close() {
  Node& n = doc_.nodes[open_.back()];
  ++pos_;
  n.end = static_cast<std::uint32_t>(pos_);
  n.a = static_cast<std::uint32_t>(doc_.nodes.size());
  open_.pop_back();
}

// After a complete value: the end of the text, or a comma and the next value, or the closer
// of the container it was in (which completes that container in turn).
Parser::Next Parser::after_value() {
  for (;;) {
    skip_whitespace();
    if (open_.empty()) {
      if (pos_ != size_) {
        fail(pos_, "unexpected text after the JSON value");
        return Next::failed;
      }
      return Next::done;
    }
    Node& parent = doc_.nodes[open_.back()];
    ++parent.b;
    const bool array = parent.kind() == NodeKind::array;
    if (at(',')) {
      ++pos_;
      skip_whitespace();
      if (!array && !member_name()) return Next::failed;
      return Next::value;
    }
    if (at(array ? ']' : '}')) {
      close();
      continue;
    }
    fail(pos_, array ? "expected ',' or ']'" : "expected ',' or '}'");
    return Next::failed;
  }
}

// A member's name, the colon after it and the space before its value.
bool Parser::member_name() {
  if (!at('"')) return fail(pos_, "expected '\"' to start a member name");
  if (!string()) return false;
  skip_whitespace();
  if (!at(':')) return fail(pos_, "expected ':' after a member name");
  ++pos_;
  skip_whitespace();
  return true;
}

bool Parser::scalar() {
  if (pos_ >= size_) return fail(pos_, "expected a value");
  switch (text_[pos_]) {
    case '"':
      return string();
    case 't':
      return literal("true", NodeKind::true_value);
    case 'f':
      return literal("false", NodeKind::false_value);
    case 'n':
      return literal("null", NodeKind::null);
    default:
      if (text_[pos_] == '-' || text::is_digit(text_[pos_])) return number();
      return fail(pos_, "expected a value");
  }
}

bool Parser::literal(std::string_view word, NodeKind kind) {
  if (std::string_view(text_ + pos_, size_ - pos_).substr(0, word.size()) != word) {
    return fail(pos_, "expected a value");
  }
  push(kind, pos_, pos_ + word.size());
  pos_ += word.size();
  return true;
}

bool Parser::number() {
  const std::size_t begin = pos_;
  const char* p = text_ + pos_;
  bool integer = true;
  if (const char* what = text::scan_number(p, text_ + size_, integer)) {
    return fail(static_cast<std::size_t>(p - text_), what);
  }
  pos_ = static_cast<std::size_t>(p - text_);
  push(NodeKind::number, begin, pos_, integer ? 1 : 0);
  return true;
}

bool Parser::string() {
  const std::size_t quote = pos_;
  const char* end = text_ + size_;
  const char* p = text::skip_plain<true>(text_ + quote + 1, end);
  if (p < end && *p == '"') {
    pos_ = static_cast<std::size_t>(p - text_) + 1;
    push(NodeKind::string, quote, pos_);
    return true;
  }
  return escaped_string(quote, p);
}

// The rest of a string from `p`, its first byte that is not plain: decoded into the side
// buffer.
bool Parser::escaped_string(std::size_t quote, const char* p) {
  const char* end = text_ + size_;
  std::string& out = doc_.strings;
  const std::size_t start = out.size();
  out.append(text_ + quote + 1, p);
  if (const char* what = text::decode_escaped(p, end, out)) {
    return fail(what == text::kNeverClosed ? quote : static_cast<std::size_t>(p - text_), what);
  }
  pos_ = static_cast<std::size_t>(p - text_) + 1;
  push(NodeKind::string, quote, pos_, static_cast<std::uint32_t>(start + 1));
  doc_.nodes.back().b = static_cast<std::uint32_t>(out.size() - start);
  return true;
}

}  // namespace

Document::Document() noexcept = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Value Document::root() const noexcept {
  if (!data_ || data_->nodes.empty()) return {};
  return Value(data_.get(), 0);
}

bool Document::reparse(std::string_view text, std::string* error, const ParseLimits& limits) {
  const std::size_t max_bytes = std::min(limits.max_bytes, kMaxTextBytes);
  // Memory kept from an earlier, much larger text goes: reuse must not pin a peak.
  constexpr std::size_t kKeepBytes = std::size_t{64} << 10;
  if (!data_ || (data_->text.capacity() > kKeepBytes && data_->text.capacity() / 4 > text.size())) {
    data_ = std::make_unique<DocumentData>();
  }
  DocumentData& data = *data_;
  data.text.clear();
  data.nodes.clear();
  data.strings.clear();
  if (text.size() > max_bytes) {
    if (error != nullptr) {
      *error = "JSON text of " + std::to_string(text.size()) +
               " bytes is longer than the limit of " + std::to_string(max_bytes);
    }
    return false;
  }
  data.text.reserve(text.size() + kScanPadding);
  data.text.assign(text);
  data.text.append(kScanPadding, '\0');
  // About one value per 8 bytes in a typical reply; a long string needs far fewer.
  data.nodes.reserve(std::min<std::size_t>(text.size() / 8 + 4, 4096));
  std::string failure = Parser(data, limits).run();
  if (!failure.empty()) {
    data.nodes.clear();
    if (error != nullptr) *error = std::move(failure);
    return false;
  }
  return true;
}

std::optional<Document> Document::try_parse(std::string_view text, std::string* error,
                                            const ParseLimits& limits) {
  Document doc;
  if (!doc.reparse(text, error, limits)) return std::nullopt;
  return doc;
}

Document Document::parse(std::string_view text, const ParseLimits& limits) {
  std::string error;
  std::optional<Document> doc = try_parse(text, &error, limits);
  if (!doc) throw Error(ErrorKind::protocol, std::move(error));
  return std::move(*doc);
}

}  // namespace llmrt::json
