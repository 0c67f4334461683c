#include "stream_session.h"

#include "llmrt/sdk/overloaded.h"

namespace llmrt::core {
namespace {

// One socket read's worth; Poco's stream buffer hands out at most this much per underflow.
constexpr std::size_t kReadBufferBytes = 64 * 1024;
// How long to wait for the end of the body after the provider said the stream is done.
constexpr std::chrono::milliseconds kDrainGrace{200};

}  // namespace

StreamSession::StreamSession(std::string provider_name, std::unique_ptr<ResponseStream> response,
                             std::unique_ptr<StreamDecoder> decoder,
                             std::vector<std::string> stop_words)
    : provider_name_(std::move(provider_name)),
      response_(std::move(response)),
      decoder_(std::move(decoder)),
      stop_filter_(std::move(stop_words)),
      buffer_(kReadBufferBytes) {}

bool StreamSession::next(std::vector<StreamEvent>& out) {
  const std::size_t before = out.size();
  while (!ended_ && out.size() == before) {
    decoded_.clear();
    try {
      std::size_t n = response_->read_some(buffer_.data(), buffer_.size());
      if (n == 0) {
        decoder_->finish(decoded_);
      } else {
        decoder_->feed(std::string_view(buffer_.data(), n), decoded_);
      }
      for (StreamEvent& event : decoded_) {
        handle(event, out);
        if (ended_) break;
      }
      if (n == 0 && !ended_) {
        // The body ended without the provider's end marker: complete if it said why it
        // finished (some servers omit [DONE]), otherwise the connection was cut.
        if (finish_reason_.empty()) {
          fail({.kind = ErrorKind::network,
                .message = "the connection closed before the stream completed"});
        }
        complete(false, out);
      }
    } catch (const Error& e) {
      if (ended_) throw;  // already carries the partial content
      fail(e.info());
    }
  }
  return out.size() != before;
}

void StreamSession::handle(StreamEvent& event, std::vector<StreamEvent>& out) {
  std::visit(Overloaded{
                 [&](ContentDelta& e) {
                   std::string released;
                   bool stopped = stop_filter_.push(e.text, released);
                   release_content(released, out);
                   if (stopped) complete(true, out);
                 },
                 [&](ErrorEvent& e) { fail(std::move(e.error)); },
                 [&](DoneEvent&) { complete(false, out); },
                 [&](FinishEvent& e) { finish_reason_ = std::move(e.reason); },
                 [&](auto& other) { emit(std::move(other), out); },
             },
             event);
}

void StreamSession::emit(StreamEvent event, std::vector<StreamEvent>& out) {
  builder_.add(event);
  out.push_back(std::move(event));
}

void StreamSession::release_content(std::string& text, std::vector<StreamEvent>& out) {
  if (!text.empty()) emit(ContentDelta{std::move(text)}, out);
}

void StreamSession::complete(bool cut_by_stop_word, std::vector<StreamEvent>& out) {
  if (!cut_by_stop_word) {
    std::string rest;
    cut_by_stop_word = stop_filter_.finish(rest);
    release_content(rest, out);
  }
  std::string reason = cut_by_stop_word ? std::string("stop") : finish_reason_;
  if (!reason.empty()) emit(FinishEvent{std::move(reason)}, out);
  ended_ = true;
  if (cut_by_stop_word) {
    response_->abort();  // the rest of the reply is not wanted
  } else {
    response_->finish_quietly(kDrainGrace);
  }
}

void StreamSession::fail(ErrorInfo info) {
  ended_ = true;
  response_->abort();
  info.provider = provider_name_;
  // Text held back for a possible stop word arrived too: it belongs to the partial content.
  throw Error(std::move(info), builder_.result().content + stop_filter_.pending());
}

}  // namespace llmrt::core
