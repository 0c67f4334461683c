#pragma once

#include <iterator>
#include <memory>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/status.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::core {

class StreamSession;

// One step of a streamed reply, as lagent yields it: STREAM_ING with the text so far while text
// arrives, then END once with the whole reply. The views point into the stream and stay valid
// until it advances.
struct StreamChunk {
  ModelStatusCode status = ModelStatusCode::STREAM_ING;
  std::string_view text{};   // the whole reply so far
  std::string_view delta{};  // what this chunk added (empty on END)
};

// A streamed reply, pulled as it arrives:
//   for (const StreamChunk& chunk : model.stream_chat(messages)) std::cout << chunk.delta;
// A failure throws Error from the advancing call; its partial_content() holds all the text
// received before it. Move-only; destroying an unfinished stream closes its connection.
class ChatStream {
 public:
  explicit ChatStream(std::unique_ptr<StreamSession> session);
  ~ChatStream();
  ChatStream(ChatStream&&) noexcept;
  ChatStream& operator=(ChatStream&&) noexcept;

  // The next chunk, or null after END.
  const StreamChunk* next();
  // The next decoded events (content after stop-word cutting, reasoning, tool-call fragments,
  // finish, usage), appended to `out`; false once the stream has ended. Use either this or
  // next() on one stream, not both.
  bool next_events(std::vector<StreamEvent>& out);
  // Cancels the stream from any thread: the call ends with Error kind `cancelled` carrying
  // the text received so far.
  void cancel();
  // Everything received so far: content, reasoning, tool calls, finish reason, usage.
  const ChatResult& result() const noexcept;
  // The result moved out, for a caller done with the stream: a long reply is not copied. The
  // stream holds an empty result afterwards.
  ChatResult take_result() noexcept;

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = StreamChunk;
    using difference_type = std::ptrdiff_t;
    using pointer = const StreamChunk*;
    using reference = const StreamChunk&;

    Iterator() = default;
    explicit Iterator(ChatStream* stream) : stream_(stream), chunk_(stream->next()) {}
    reference operator*() const { return *chunk_; }
    pointer operator->() const { return chunk_; }
    Iterator& operator++() {
      chunk_ = stream_->next();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) {
      return it.chunk_ == nullptr;
    }

   private:
    ChatStream* stream_ = nullptr;
    const StreamChunk* chunk_ = nullptr;
  };

  Iterator begin() { return Iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  std::unique_ptr<StreamSession> session_;
  std::vector<StreamEvent> events_;  // decoded, not yet handed out
  std::size_t events_read_ = 0;
  std::size_t released_ = 0;  // bytes of the reply handed out so far
  StreamChunk chunk_;
  bool ended_ = false;
};

}  // namespace llmrt::core
