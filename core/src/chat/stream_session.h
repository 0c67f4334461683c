#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmrt/core/stop_word_filter.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/provider.h"
#include "routing/routed_call.h"

namespace llmrt::core {

// One streamed reply in flight: pulls bytes from the response, decodes them with the plugin's
// decoder, cuts stop words, and keeps the result so far. A failure before anything reached the
// caller goes back to the call's retry policy (and its route); any later failure is thrown as Error
// carrying the provider name and all text received until then.
class StreamSession {
 public:
  explicit StreamSession(std::unique_ptr<RoutedCall> call);

  // Reads until at least one event is ready and appends the events to `out`. Returns false,
  // appending nothing, once the stream has ended.
  bool next(std::vector<StreamEvent>& out);

  const ChatResult& result() const noexcept { return builder_.result(); }
  ChatResult take_result() noexcept { return std::move(builder_.result()); }
  void cancel() { call_->cancel_token().cancel(); }

 private:
  // The next piece of the unread part of the buffer to decode.
  std::string_view next_slice() const noexcept;
  // Feeds the decoder (empty: the body ended) and handles every event it decoded, those before
  // a failure (an Error) included; then throws that failure. Any other exception leaves `out`
  // as it was.
  void decode(std::string_view bytes, std::vector<StreamEvent>& out);
  // The body ended without the provider's end marker.
  void body_ended(std::vector<StreamEvent>& out);
  // A body, whole by its framing, that is no complete stream: the server's fault, with its
  // status.
  Error body_error(std::string message) const;
  // Throws a decoder's failure with what it could not know from the bytes (a line over its
  // limit, a malformed event): the response it is in. Apart from decode(), whose stack frame
  // every stream's thread has: its locals there cost 5,000 threads a page each (20 MB).
  [[noreturn, gnu::cold, gnu::noinline]] void throw_in_response(const Error& failure) const;
  void handle(StreamEvent& event, std::vector<StreamEvent>& out);
  void emit(StreamEvent event, std::vector<StreamEvent>& out);
  // A delta of text, which needs no more than adding to the result when no stop word is set.
  static bool is_text(const StreamEvent& event) noexcept;
  // Adds out[at] to the result; takes it and all after it back if that fails.
  void add_at(std::vector<StreamEvent>& out, std::size_t at);
  // Address space for a long reply's whole text, asked for once as it grows past a MiB.
  void reserve_text();
  // The request's warnings, first of all events; they do not count as delivered.
  void warn(std::vector<StreamEvent>& out);
  void release_content(std::string& text, std::vector<StreamEvent>& out);
  void complete(bool cut_by_stop_word, std::vector<StreamEvent>& out);
  // Retries when nothing has reached the caller yet and the policy allows; throws otherwise.
  void recover(const Error& error);
  [[noreturn]] void fail(const Error& error);

  std::unique_ptr<RoutedCall> call_;
  std::unique_ptr<ResponseStream> response_;
  std::unique_ptr<StreamDecoder> decoder_;
  StopWordFilter stop_filter_;
  ChatResultBuilder builder_;
  std::vector<StreamEvent> decoded_;  // the first event handle() takes, and all after it
  std::unique_ptr<char[]> buffer_;    // not zero-filled: a thousand idle streams cost no pages
  std::size_t unread_begin_ = 0;      // buffer_[unread_begin_, unread_end_) is read, not decoded
  std::size_t unread_end_ = 0;
  // The provider's, emitted when the held-back text is out.
  std::optional<FinishEvent> finish_;
  // The body as received while nothing was decoded from it: a server that answers a stream
  // request with a whole JSON reply or error body gets it read as one.
  std::string undecoded_;
  bool decoded_any_ = false;
  std::size_t received_ = 0;  // body bytes of this attempt, against max_stream_bytes
  bool delivered_ = false;    // something reached the caller: no more retries
  bool ended_ = false;
  bool warned_ = false;         // the plugin's warnings were handed out
  bool text_reserved_ = false;  // the long reply's address space was asked for
};

}  // namespace llmrt::core
