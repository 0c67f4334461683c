#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "llmrt/core/call_control.h"
#include "llmrt/core/chat_stream.h"
#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/message.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::core {

struct ModelState;

using EventCallback = std::function<void(const StreamEvent&)>;

// A configured model behind a provider plugin. Messages use internal roles; the meta template
// maps them. Failed attempts are retried as ModelConfig::retry says, rotating keys; a call
// that cannot succeed throws Error. Thread-safe; copies share the transport and the key pool.
class ChatModel {
 public:
  // Throws Error (auth) when no key can be resolved, (bad_request) on a bad configuration.
  ChatModel(std::shared_ptr<const Provider> provider, ModelConfig config);

  // The whole reply at once. Stop words cut the content too (servers that ignore `stop`).
  ChatResult chat(const std::vector<Message>& messages, const ParamOverrides& overrides = {},
                  const CallControl& control = {}) const;

  // The reply as it arrives, pulled chunk by chunk (range-for). Retries happen only before
  // the first chunk; the stream opens (or fails) before this returns.
  ChatStream stream_chat(const std::vector<Message>& messages,
                         const ParamOverrides& overrides = {},
                         const CallControl& control = {}) const;

  // The reply as it arrives, pushed event by event (content deltas after stop-word cutting,
  // reasoning, tool-call fragments, finish, usage); returns the whole result at the end.
  ChatResult stream_chat(const std::vector<Message>& messages, const ParamOverrides& overrides,
                         const EventCallback& on_event, const CallControl& control = {}) const;

  // The request a call would send, as the plugin renders it (for inspection and tests).
  ChatRequest prepare(const std::vector<Message>& messages, const ParamOverrides& overrides,
                      bool stream) const;

  const ModelConfig& config() const noexcept;
  const Provider& provider() const noexcept;

 private:
  std::shared_ptr<const ModelState> state_;
};

}  // namespace llmrt::core
