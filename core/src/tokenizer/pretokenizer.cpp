#include "tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <new>

#include "llmrt/sdk/error.h"
#include "unicode_additions.h"

namespace llmrt::core::tokenizer {
namespace {

// Unicode White_Space (PropList.txt), the set the regex crate's `\s` means.
constexpr std::string_view kWhiteSpace =
    R"(\t-\r\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (length < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

std::string_view additions_for(std::string_view property) {
  for (const UnicodeAdditions& entry : kUnicodeAdditions) {
    if (entry.property == property) return entry.ranges;
  }
  return {};
}

}  // namespace

std::string to_pcre2_pattern(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() * 2);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char escaped = pattern[++i];
      if (escaped == 's') {
        out += in_class ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
      } else if (escaped == 'S' && !in_class) {
        out += "[^" + std::string(kWhiteSpace) + "]";
      } else if (escaped == 'p' && i + 1 < pattern.size() && pattern[i + 1] == '{' &&
                 pattern.find('}', i) != std::string_view::npos) {
        // \p{X} and the characters the reference's newer Unicode added to X.
        const std::size_t close = pattern.find('}', i);
        const std::string_view property = pattern.substr(i + 2, close - i - 2);
        const std::string_view added = additions_for(property);
        const std::string both = "\\p{" + std::string(property) + "}" + std::string(added);
        out += in_class || added.empty() ? both : "[" + both + "]";
        i = close;
      } else if (escaped == 'S') {
        throw Error(ErrorKind::bad_request,
                    "tokenizer pattern: \\S inside a character class at "
                    "offset " +
                        std::to_string(i - 1) + " is not supported");
      } else {
        out += c;
        out += escaped;
      }
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out += c;
      // A ']' or '^]' right after the opening bracket is a literal, not the end.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out += c;
  }
  return out;
}

struct Pretokenizer::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  bool jit = false;
  ~Compiled() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

struct Pretokenizer::Cursor::MatchData {
  pcre2_match_data* data = nullptr;
  ~MatchData() { pcre2_match_data_free(data); }
};

Pretokenizer::Pretokenizer(std::string_view pattern) : compiled_(std::make_unique<Compiled>()) {
  const std::string translated = to_pcre2_pattern(pattern);
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  compiled_->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                    PCRE2_UTF | PCRE2_UCP, &error, &error_offset, nullptr);
  if (compiled_->code == nullptr) {
    throw Error(ErrorKind::bad_request, "tokenizer pattern does not compile at offset " +
                                            std::to_string(error_offset) + ": " +
                                            pcre2_message(error));
  }
  // Without JIT (a PCRE2 built without it) matching is slower but gives the same pieces.
  compiled_->jit = pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE) == 0;
  // PCRE2's default limit of ten million steps fails a match the reference makes: on a run of
  // ten million spaces, `\s*[\r\n]+` steps back through the whole run before the next
  // alternative takes it. Each match is linear in the run it reads, and a text is at most
  // what a request may hold, so no step limit is needed.
  compiled_->context = pcre2_match_context_create(nullptr);
  if (compiled_->context == nullptr) throw std::bad_alloc();
  pcre2_set_match_limit(compiled_->context, UINT32_MAX);
  pcre2_set_depth_limit(compiled_->context, UINT32_MAX);
}

Pretokenizer::~Pretokenizer() = default;

Pretokenizer::Cursor::Cursor(const Pretokenizer& pretokenizer, std::string_view text)
    : owner_(pretokenizer), text_(text), match_(std::make_unique<MatchData>()) {
  match_->data = pcre2_match_data_create_from_pattern(owner_.compiled_->code, nullptr);
  if (match_->data == nullptr) throw std::bad_alloc();
}

Pretokenizer::Cursor::~Cursor() = default;

bool Pretokenizer::Cursor::next(std::string_view& piece) {
  if (offset_ >= text_.size()) return false;
  // The caller has checked the UTF-8 once for the whole text; the JIT's own entry point skips
  // the per-call checks, which cost as much as matching a short piece.
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text_.data());
  const Compiled& compiled = *owner_.compiled_;
  const int rc = compiled.jit ? pcre2_jit_match(compiled.code, subject, text_.size(), offset_, 0,
                                                match_->data, compiled.context)
                              : pcre2_match(compiled.code, subject, text_.size(), offset_,
                                            PCRE2_NO_UTF_CHECK, match_->data, compiled.context);
  if (rc == PCRE2_ERROR_NOMATCH) {
    offset_ = text_.size();
    return false;
  }
  if (rc < 0) {
    throw Error(ErrorKind::bad_request, "tokenizer: the pre-tokenisation regex failed at byte " +
                                            std::to_string(offset_) + ": " + pcre2_message(rc));
  }
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_->data);
  if (ovector[1] == ovector[0]) {
    // No shipped pattern matches empty text; a custom one must not stall the loop.
    offset_ = ovector[1] + 1;
    while (offset_ < text_.size() && (static_cast<unsigned char>(text_[offset_]) & 0xC0) == 0x80) {
      ++offset_;
    }
    return next(piece);
  }
  piece = text_.substr(ovector[0], ovector[1] - ovector[0]);
  offset_ = ovector[1];
  return true;
}

}  // namespace llmrt::core::tokenizer
