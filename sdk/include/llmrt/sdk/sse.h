#pragma once

// Server-sent events, decoded per the WHATWG HTML "event stream interpretation" rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
// Two incremental layers, each with feed() and finish(): LineDecoder splits bytes into lines,
// SseDecoder assembles lines into events. SseDecoder's callback receives views valid only
// during the call; LineDecoder's, views valid as its class says. Both are header templates so the
// per-line callback inlines: they sit on the hottest path of every stream.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// A few MiB: far above any real chunk (a few hundred bytes), small enough that a hostile or
// broken server cannot make us grow without bound.
inline constexpr std::size_t kDefaultMaxLineBytes = std::size_t{4} << 20;

[[noreturn]] LLMRT_VISIBLE void throw_sse_limit(std::string_view what, std::size_t limit);

// Splits a byte stream into lines ending in CRLF, LF or a lone CR, any of which may be split
// across reads. Strips one UTF-8 BOM at the very start. finish() flushes a last unterminated
// line (SSE then discards the incomplete event; NDJSON framings need that line).
// A line handed to on_line during feed() stays valid until that feed() returns: it is a view
// into `bytes`, into the held-back opening bytes, or into the one line joined from pieces of
// two reads, which only a later feed() overwrites. One handed out by finish(), only during
// the call.
class LineDecoder {
 public:
  explicit LineDecoder(std::size_t max_line_bytes = kDefaultMaxLineBytes)
      : max_line_bytes_(max_line_bytes) {}

  template <class OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    if (at_start_) {
      bytes = take_bom_prefix(bytes);
      if (at_start_) return;  // still unsure whether the stream opens with a BOM
      // The opening bytes that were held back, if any; head_ is not written again, so views
      // into it stay valid (see below).
      split(head_, on_line);
    }
    split(bytes, on_line);
  }

  template <class OnLine>
  void finish(OnLine&& on_line) {
    if (at_start_) {
      at_start_ = false;
      split(head_, on_line);
    }
    skip_lf_ = false;
    if (!partial_.empty()) {
      std::string last = std::move(partial_);
      partial_.clear();
      on_line(std::string_view(last));
    }
  }

  std::size_t max_line_bytes() const noexcept { return max_line_bytes_; }
  // At the start of a line, nothing held back: the next byte fed opens a new line.
  bool idle() const noexcept { return !at_start_ && !skip_lf_ && partial_.empty(); }
  // The start of a line not yet ended, carried to the next read (for an error that quotes it).
  std::string_view pending() const noexcept { return partial_; }

 private:
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  static constexpr std::size_t kSpareLineBytes = std::size_t{64} << 10;

  // Collects up to three opening bytes in head_; leaves at_start_ set while they could still
  // turn out to be a BOM split across reads.
  std::string_view take_bom_prefix(std::string_view bytes) {
    std::size_t take = std::min(kBom.size() - head_.size(), bytes.size());
    head_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    bool could_be_bom = kBom.substr(0, head_.size()) == head_;
    if (could_be_bom && head_.size() < kBom.size()) return bytes;
    at_start_ = false;
    if (could_be_bom) head_.clear();  // a whole BOM: drop it
    return bytes;
  }

  template <class OnLine>
  void split(std::string_view bytes, OnLine& on_line) {
    const char* p = bytes.data();
    const std::size_t n = bytes.size();
    std::size_t pos = 0;
    if (skip_lf_ && n > 0) {
      if (p[0] == '\n') pos = 1;
      skip_lf_ = false;
    }
    // Where the next CR is (n: none), looked for again only once passed: most streams have
    // none, and their lines then cost one vectorised memchr each (a byte loop here was a fifth
    // of a chunk's whole cost).
    std::size_t cr = 0;
    bool cr_known = false;
    while (pos < n) {
      if (!cr_known || cr < pos) {
        const void* found = std::memchr(p + pos, '\r', n - pos);
        cr = found != nullptr ? static_cast<std::size_t>(static_cast<const char*>(found) - p) : n;
        cr_known = true;
      }
      // An event's closing blank line is the byte at `pos` alone: no search for it.
      const void* lf = pos < cr && p[pos] == '\n' ? p + pos : std::memchr(p + pos, '\n', cr - pos);
      std::size_t end =
          lf != nullptr ? static_cast<std::size_t>(static_cast<const char*>(lf) - p) : cr;
      if (end == n) {
        append_partial(bytes.substr(pos));
        return;
      }
      std::string_view line(p + pos, end - pos);
      if (partial_.empty()) {
        if (line.size() > max_line_bytes_) throw_sse_limit("line", max_line_bytes_);
        on_line(line);
      } else {
        append_partial(line);
        joined_.swap(partial_);  // both keep their capacity for the next split line
        partial_.clear();
        // ... while it is small: two buffers as long as the longest line ever split would be
        // twice the line limit per stream.
        if (partial_.capacity() > kSpareLineBytes) partial_ = std::string();
        on_line(std::string_view(joined_));
      }
      if (p[end] == '\r') {
        if (end + 1 < n) {
          if (p[end + 1] == '\n') ++end;
        } else {
          skip_lf_ = true;  // the LF of this CRLF may open the next read
        }
      }
      pos = end + 1;
    }
  }

  void append_partial(std::string_view piece) {
    if (partial_.size() + piece.size() > max_line_bytes_) throw_sse_limit("line", max_line_bytes_);
    partial_.append(piece);
  }

  std::size_t max_line_bytes_;
  std::string partial_;  // an unterminated line carried to the next read
  std::string joined_;   // the last line that spanned two reads
  std::string head_;     // opening bytes held while a BOM is still possible
  bool at_start_ = true;
  bool skip_lf_ = false;  // the last read ended in CR
};

struct SseEvent {
  std::string_view type{};  // "message" when the stream named none
  std::string_view data{};
  std::string_view id{};  // the last event id seen so far (not reset by dispatch)
};

class SseDecoder {
 public:
  explicit SseDecoder(std::size_t max_event_bytes = kDefaultMaxLineBytes)
      : lines_(max_event_bytes), max_event_bytes_(max_event_bytes) {}

  template <class OnEvent>
  void feed(std::string_view bytes, OnEvent&& on_event) {
    try {
      lines_.feed(bytes, [&](std::string_view line) { process(line, on_event); });
    } catch (...) {
      if (has_data_line_) keep_data_line();  // a caller may go on feeding after an error
      throw;
    }
    // The event's one data line is a view into bytes of this call: kept past it, it is copied.
    if (has_data_line_) keep_data_line();
  }

  // End of stream: an event not closed by a blank line is discarded, as the spec says.
  template <class OnEvent>
  void finish(OnEvent&& on_event) {
    lines_.finish([&](std::string_view line) { process(line, on_event); });
    has_data_line_ = false;
    data_.clear();
    type_.clear();
  }

  // Between events at the start of a line: nothing of a line or an event held. A consumer that
  // recognises a whole event in the bytes itself may take it there, and feed on after it.
  bool idle() const noexcept {
    return lines_.idle() && !has_data_line_ && data_.empty() && type_.empty();
  }

  std::size_t max_event_bytes() const noexcept { return max_event_bytes_; }
  const std::string& last_event_id() const noexcept { return last_id_; }
  // The server's reconnection hint in milliseconds, when it sent a valid one.
  std::optional<unsigned long long> retry_ms() const noexcept { return retry_ms_; }

 private:
  template <class OnEvent>
  void process(std::string_view line, OnEvent& on_event) {
    if (line.empty()) {
      dispatch(on_event);
      return;
    }
    // Nearly every line of a model's stream is a data line: known without looking for the
    // colon (a field name holds none, so "data:" opens the data field and nothing else).
    if (line.size() >= 5 && std::memcmp(line.data(), "data:", 5) == 0) {
      add_data(value_of(line, 5));
      return;
    }
    if (line.front() == ':') return;  // a comment: keep-alives, DashScope's ":HTTP_STATUS/200"
    std::string_view field = line;
    std::string_view value(line.data() + line.size(), 0);  // empty, but pointing into the line
    if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
      field = std::string_view(line.data(), colon);
      value = value_of(line, colon + 1);
    }
    if (field == "data") {
      add_data(value);
    } else if (field == "event") {
      type_.assign(value);
    } else if (field == "id") {
      if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
    } else if (field == "retry") {
      set_retry(value);
    }
    // Any other field is ignored.
  }

  // What follows the field's colon (at `from`), without the one space that may open it.
  static std::string_view value_of(std::string_view line, std::size_t from) noexcept {
    if (from < line.size() && line[from] == ' ') ++from;
    return {line.data() + from, line.size() - from};
  }

  void add_data(std::string_view value) {
    if (has_data_line_) keep_data_line();
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      throw_sse_limit("event", max_event_bytes_);
    }
    if (data_.empty()) {
      // Most events have one data line: it is handed out where it lies, not copied.
      data_line_ = value;
      has_data_line_ = true;
    } else {
      data_.append(value);
      data_.push_back('\n');
    }
  }

  template <class OnEvent>
  void dispatch(OnEvent& on_event) {
    const bool one_line = has_data_line_;
    has_data_line_ = false;
    if (one_line || !data_.empty()) {
      const std::string_view data =
          one_line ? data_line_ : std::string_view(data_.data(), data_.size() - 1);
      const std::string_view type =
          type_.empty() ? std::string_view("message") : std::string_view(type_);
      try {
        on_event(SseEvent{type, data, last_id_});
      } catch (...) {
        // The event is over either way: a caller that feeds on starts with the next one.
        data_.clear();
        type_.clear();
        throw;
      }
    }
    data_.clear();
    type_.clear();
  }

  // The data line held as a view becomes the start of data_.
  void keep_data_line() {
    has_data_line_ = false;  // first: should the copy fail, no view outlives its feed()
    data_.assign(data_line_);
    data_.push_back('\n');
  }

  void set_retry(std::string_view value) {
    if (value.empty() || value.size() > 18) return;
    unsigned long long ms = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return;  // only all-digit values count; others are ignored
      ms = ms * 10 + static_cast<unsigned>(c - '0');
    }
    retry_ms_ = ms;
  }

  LineDecoder lines_;
  std::size_t max_event_bytes_;
  // The event's only data line so far, as a view into the line being fed (without the LF that
  // data_ would add); data_ holds the data instead once there is a second line or the feed ends.
  std::string_view data_line_;
  bool has_data_line_ = false;
  std::string data_;
  std::string type_;
  std::string last_id_;
  std::optional<unsigned long long> retry_ms_;
};

}  // namespace llmrt
