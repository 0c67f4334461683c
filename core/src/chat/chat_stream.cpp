#include "llmrt/core/chat_stream.h"

#include "chat/stream_session.h"

namespace llmrt::core {

ChatStream::ChatStream(std::unique_ptr<StreamSession> session) : session_(std::move(session)) {}
ChatStream::~ChatStream() = default;
ChatStream::ChatStream(ChatStream&&) noexcept = default;
ChatStream& ChatStream::operator=(ChatStream&&) noexcept = default;

const StreamChunk* ChatStream::next() {
  while (true) {
    while (events_read_ < events_.size()) {
      const StreamEvent& event = events_[events_read_++];
      if (const auto* delta = std::get_if<ContentDelta>(&event)) {
        // Views into the accumulated reply: no copy of the text so far, per chunk.
        const std::string& content = session_->result().content;
        chunk_.status = ModelStatusCode::STREAM_ING;
        chunk_.delta = std::string_view(content).substr(released_, delta->text.size());
        released_ += delta->text.size();
        chunk_.text = std::string_view(content).substr(0, released_);
        return &chunk_;
      }
    }
    events_.clear();
    events_read_ = 0;
    if (!session_->next(events_)) {
      if (ended_) return nullptr;
      ended_ = true;
      chunk_.status = ModelStatusCode::END;
      chunk_.text = session_->result().content;
      chunk_.delta = {};
      return &chunk_;
    }
  }
}

void ChatStream::cancel() { session_->cancel(); }

bool ChatStream::next_events(std::vector<StreamEvent>& out) { return session_->next(out); }

const ChatResult& ChatStream::result() const noexcept { return session_->result(); }

ChatResult ChatStream::take_result() noexcept { return session_->take_result(); }

}  // namespace llmrt::core
