#include "chat/stream_session.h"

#include <algorithm>
#include <exception>
#include <optional>

#include "llmrt/sdk/overloaded.h"

namespace llmrt::core {
namespace {

// Poco's stream buffer hands out at most a few KiB per underflow; more would only cost memory
// when a thousand streams are open at once.
constexpr std::size_t kReadBufferBytes = std::size_t{16} << 10;
// What a read holds is decoded and handed out this much at a time once the first delta is out.
constexpr std::size_t kSliceBytes = std::size_t{4} << 10;
// How long to wait for the end of the body after the provider said the stream is done.
constexpr std::chrono::milliseconds kDrainGrace{200};
// A reply's text past this size gets address space for the stream's whole byte limit (up to
// kMaxTextReserve), so that it is never copied as it grows: a doubling string holds the old
// and the new buffer at once, twice the reply at its peak. Untouched pages cost no memory.
constexpr std::size_t kReserveTextAfter = std::size_t{1} << 20;
constexpr std::size_t kMaxTextReserve = std::size_t{1} << 30;

// The starts of an event stream's lines (a comment, the four field names of the WHATWG spec).
constexpr std::string_view kFields[] = {":", "data:", "event:", "id:", "retry:"};

// Whether a body that gave no event starts as an event stream does (a field name or a comment,
// after a byte order mark and blank lines): then it was cut inside its first event, and is no
// whole reply to read as one.
bool starts_as_event_stream(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && (text.front() == '\r' || text.front() == '\n')) text.remove_prefix(1);
  return std::any_of(std::begin(kFields), std::end(kFields),
                     [&](std::string_view field) { return text.starts_with(field); });
}

}  // namespace

StreamSession::StreamSession(std::unique_ptr<RoutedCall> call)
    : call_(std::move(call)),
      response_(call_->open_stream()),
      decoder_(call_->new_decoder(*response_)),
      stop_filter_(call_->request().params.stop_words),
      buffer_(std::make_unique_for_overwrite<char[]>(kReadBufferBytes)) {}

bool StreamSession::next(std::vector<StreamEvent>& out) {
  const std::size_t before = out.size();
  if (!warned_) warn(out);
  while (!ended_ && out.size() == before) {
    try {
      if (unread_begin_ == unread_end_) {
        const std::size_t n = response_->read_some(buffer_.get(), kReadBufferBytes);
        received_ += n;
        if (received_ > call_->max_stream_bytes()) {
          throw body_error("the streamed reply exceeds the limit of " +
                           std::to_string(call_->max_stream_bytes()) + " bytes (max_stream_bytes)");
        }
        if (n == 0) {
          decode({}, out);
          if (!ended_) body_ended(out);
          continue;
        }
        unread_begin_ = 0;
        unread_end_ = n;
      }
      const std::string_view slice = next_slice();
      unread_begin_ += slice.size();
      decode(slice, out);
    } catch (const Error& e) {
      if (ended_) throw;  // already complete with the partial content
      recover(e);
    }
  }
  return out.size() != before;
}

std::string_view StreamSession::next_slice() const noexcept {
  const std::string_view unread(buffer_.get() + unread_begin_, unread_end_ - unread_begin_);
  // Until something reached the caller, one line at a time: the first delta goes out as soon
  // as its line is decoded, not after every event that came in the same read. Then pieces of
  // a few KiB, cut after a line too, so that no delta waits long for the ones behind it.
  const std::size_t from = delivered_ ? std::min(kSliceBytes, unread.size()) - 1 : 0;
  const std::size_t lf = unread.find('\n', from);
  return lf == std::string_view::npos ? unread : unread.substr(0, lf + 1);
}

void StreamSession::decode(std::string_view bytes, std::vector<StreamEvent>& out) {
  // Decoded straight into `out`: a delta of text with no stop word to hold it back is built
  // once, where the caller reads it. Any other event, and all after it, go through handle().
  const std::size_t first = out.size();
  std::optional<Error> failure;
  try {
    if (bytes.empty()) {
      decoder_->finish(out);
    } else {
      if (!decoded_any_ && undecoded_.size() + bytes.size() <= call_->max_body_bytes()) {
        undecoded_ += bytes;
      }
      decoder_->feed(bytes, out);
    }
  } catch (const Error& e) {
    failure = e;  // after the events decoded before it: they arrived
  } catch (...) {
    // No Error (out of memory, or a plugin breaking its contract): nothing of this read is
    // handed out, as nothing of it was added to the result.
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    throw;
  }
  if (out.size() > first && !decoded_any_) {
    decoded_any_ = true;
    undecoded_ = std::string();
  }
  std::size_t at = first;
  while (at < out.size() && !stop_filter_.active() && is_text(out[at])) add_at(out, at++);
  if (at < out.size()) {
    decoded_.assign(std::make_move_iterator(out.begin() + static_cast<std::ptrdiff_t>(at)),
                    std::make_move_iterator(out.end()));
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(at), out.end());
    for (StreamEvent& event : decoded_) {
      handle(event, out);
      if (ended_) return;
    }
  }
  if (failure) throw_in_response(*failure);
}

void StreamSession::throw_in_response(const Error& failure) const {
  ErrorInfo info = failure.info();
  if (info.http_status == 0) info.http_status = response_->status();
  if (info.request_id.empty()) info.request_id = request_id_from(response_->headers());
  throw Error(std::move(info), failure.partial_content());
}

Error StreamSession::body_error(std::string message) const {
  ErrorInfo info;
  info.kind = ErrorKind::protocol;
  info.http_status = response_->status();
  info.request_id = request_id_from(response_->headers());
  info.message = std::move(message);
  return Error(std::move(info));
}

void StreamSession::body_ended(std::vector<StreamEvent>& out) {
  if (!decoded_any_ && starts_as_event_stream(undecoded_)) {
    // Framed by the connection's end, as a cut chunked body is: the connection's fault, which a
    // retry may mend. A body framed whole is the server's.
    if (response_->ends_with_connection()) {
      throw Error(ErrorKind::network,
                  "the connection closed before the stream's first event was whole");
    }
    throw body_error("the event stream ended before its first event was whole");
  }
  if (!decoded_any_ && !undecoded_.empty()) {
    // Nothing in the body was a stream event: it may be a whole reply, or (with a 2xx
    // status) an error object; the provider reads it as it reads a non-streamed body and
    // throws the classified error when it is one.
    HttpResponse whole{response_->status(), response_->headers(), std::move(undecoded_)};
    ChatResult result = call_->parse(whole);
    std::vector<StreamEvent> events;
    if (!result.reasoning.empty()) events.emplace_back(ReasoningDelta{std::move(result.reasoning)});
    if (!result.content.empty()) events.emplace_back(ContentDelta{std::move(result.content)});
    for (ToolCall& call : result.tool_calls) {
      ToolCallDelta delta;
      delta.index = call.index;
      delta.id = std::move(call.id);
      delta.name = std::move(call.name);
      delta.arguments = std::move(call.arguments);
      events.emplace_back(std::move(delta));
    }
    if (result.usage) events.emplace_back(UsageEvent{*result.usage});
    if (result.finish_reason) {
      events.emplace_back(FinishEvent{*result.finish_reason, std::move(result.finish_reason_raw)});
    }
    events.emplace_back(DoneEvent{});
    for (StreamEvent& event : events) {
      handle(event, out);
      if (ended_) return;
    }
    return;
  }
  if (received_ == 0) {
    if (response_->ends_with_connection()) {
      throw Error(ErrorKind::network, "the connection closed before any of the stream arrived");
    }
    // A body that ended well framed and empty (a 204, a Content-Length of 0): no cut
    // connection, and no stream either.
    throw body_error("the reply's body is empty: no stream event arrived");
  }
  // The body ended without the provider's end marker: complete if it said why it finished
  // (some servers omit [DONE]). Otherwise, ended by the connection's close, it was cut (a
  // retry may mend that); ended where its framing said, the server sent it so.
  if (!finish_) {
    if (response_->ends_with_connection()) {
      throw Error(ErrorKind::network, "the connection closed before the stream completed");
    }
    throw body_error(
        "the stream's body ended where its framing said, without the provider's end marker or a "
        "finish reason");
  }
  complete(false, out);
}

void StreamSession::handle(StreamEvent& event, std::vector<StreamEvent>& out) {
  std::visit(Overloaded{
                 [&](ContentDelta& e) {
                   if (!stop_filter_.active()) {
                     release_content(e.text, out);  // nothing to hold back: no copy
                     return;
                   }
                   std::string released;
                   bool stopped = stop_filter_.push(e.text, released);
                   release_content(released, out);
                   if (stopped) complete(true, out);
                 },
                 [&](ErrorEvent& e) {
                   // What the decoder could not know from the bytes: the response it is in.
                   if (e.error.http_status == 0) e.error.http_status = response_->status();
                   if (e.error.request_id.empty()) {
                     e.error.request_id = request_id_from(response_->headers());
                   }
                   throw Error(std::move(e.error));
                 },
                 [&](DoneEvent&) { complete(false, out); },
                 [&](FinishEvent& e) { finish_ = std::move(e); },
                 [&](auto& other) { emit(std::move(other), out); },
             },
             event);
}

void StreamSession::emit(StreamEvent event, std::vector<StreamEvent>& out) {
  out.push_back(std::move(event));
  add_at(out, out.size() - 1);
}

bool StreamSession::is_text(const StreamEvent& event) noexcept {
  const auto* delta = std::get_if<ContentDelta>(&event);
  return delta != nullptr && !delta->text.empty();
}

void StreamSession::add_at(std::vector<StreamEvent>& out, std::size_t at) {
  if (const auto* delta = std::get_if<ContentDelta>(&out[at]);
      delta != nullptr && !text_reserved_ &&
      builder_.result().content.size() + delta->text.size() > kReserveTextAfter) {
    reserve_text();
  }
  try {
    builder_.add(out[at]);
  } catch (...) {
    // It could not be added to the result: not handed out either, nor what came after it.
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(at), out.end());
    throw;
  }
  if (!delivered_) call_->delivered();
  delivered_ = true;
}

void StreamSession::reserve_text() {
  text_reserved_ = true;
  try {
    builder_.result().content.reserve(std::min(call_->max_stream_bytes(), kMaxTextReserve));
  } catch (const std::exception&) {
    // No address space that large (a ulimit): the text grows the usual way.
  }
}

void StreamSession::warn(std::vector<StreamEvent>& out) {
  warned_ = true;
  for (const std::string& message : call_->warnings()) {
    StreamEvent event = WarningEvent{message};
    builder_.add(event);
    out.push_back(std::move(event));
  }
}

void StreamSession::release_content(std::string& text, std::vector<StreamEvent>& out) {
  if (text.empty()) return;
  // Built where it goes: each move of a short string is a copy.
  std::get<ContentDelta>(out.emplace_back(std::in_place_type<ContentDelta>)).text = std::move(text);
  add_at(out, out.size() - 1);
}

void StreamSession::complete(bool cut_by_stop_word, std::vector<StreamEvent>& out) {
  if (!cut_by_stop_word) {
    std::string rest;
    cut_by_stop_word = stop_filter_.finish(rest);
    release_content(rest, out);
  }
  if (cut_by_stop_word) {
    emit(FinishEvent{FinishReason::stop, "stop"}, out);
  } else if (finish_) {
    emit(std::move(*finish_), out);
  }
  ended_ = true;
  call_->finish(builder_.result());
  if (cut_by_stop_word) {
    response_->abort();  // the rest of the reply is not wanted
  } else {
    response_->finish_quietly(kDrainGrace);
  }
}

void StreamSession::recover(const Error& error) {
  response_->abort();
  const Error failure = call_->received(error);
  if (delivered_) fail(failure);
  try {
    // Nothing reached the caller: the whole reply can still be asked for again.
    response_ = call_->reopen_after(failure);
    decoder_ = call_->new_decoder(*response_);
    stop_filter_ = StopWordFilter(call_->request().params.stop_words);
    finish_.reset();
    unread_begin_ = unread_end_ = 0;
    undecoded_.clear();
    decoded_any_ = false;
    received_ = 0;
  } catch (const Error& final_error) {
    fail(final_error);
  }
}

void StreamSession::fail(const Error& error) {
  ended_ = true;
  response_->abort();
  Error complete = call_->completed(error);
  // Text held back for a possible stop word arrived too: it belongs to the partial content.
  throw Error(complete.info(), builder_.result().content + stop_filter_.pending());
}

}  // namespace llmrt::core
