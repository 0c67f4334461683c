#pragma once

// Newline-delimited JSON (one JSON value a line: Ollama's /api/chat, many local servers),
// decoded incrementally on top of LineDecoder:
//
//   NdjsonDecoder lines(context.limits);
//   lines.feed(bytes, [&](const json::Value& chunk, std::size_t line) { ... });
//   lines.finish(same callback);  // the last line needs no line break

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"
#include "llmrt/sdk/sse.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

namespace detail {
// Throw Error (protocol) "NDJSON line N …: '<snippet>'".
[[noreturn]] LLMRT_VISIBLE void throw_ndjson_too_long(std::size_t line, std::size_t limit,
                                                      std::string_view start);
[[noreturn]] LLMRT_VISIBLE void throw_ndjson_invalid(std::size_t line, std::string_view why,
                                                     std::string_view text);
}  // namespace detail

// Lines (LF, CRLF or CR, split anywhere) → one JSON value each, parsed into one reused
// Document. Lines of only spaces and tabs are skipped. A line longer than max_event_bytes, or
// one that is not JSON, is an Error (protocol) naming its 1-based line number and quoting its
// start. The callback gets the value (valid during the call) and its line number.
class NdjsonDecoder {
 public:
  explicit NdjsonDecoder(const DecoderLimits& limits = {})
      : lines_(SIZE_MAX), max_line_bytes_(limits.max_event_bytes) {}

  template <class OnValue>
  void feed(std::string_view bytes, OnValue&& on_value) {
    lines_.feed(bytes, [&](std::string_view line) { take(line, on_value); });
    // LineDecoder is unbounded here so that this error can name the line and quote it.
    if (lines_.pending().size() > max_line_bytes_) {
      detail::throw_ndjson_too_long(line_ + 1, max_line_bytes_, lines_.pending());
    }
  }

  template <class OnValue>
  void finish(OnValue&& on_value) {
    lines_.finish([&](std::string_view line) { take(line, on_value); });
  }

  // Lines read so far, blank ones included.
  std::size_t lines() const noexcept { return line_; }

 private:
  template <class OnValue>
  void take(std::string_view line, OnValue& on_value) {
    ++line_;
    if (line.size() > max_line_bytes_) {
      detail::throw_ndjson_too_long(line_, max_line_bytes_, line);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;
    std::string why;
    if (!doc_.reparse(line, &why)) detail::throw_ndjson_invalid(line_, why, line);
    on_value(doc_.root(), line_);
  }

  LineDecoder lines_;
  std::size_t max_line_bytes_;
  std::size_t line_ = 0;
  json::Document doc_;
};

}  // namespace llmrt
