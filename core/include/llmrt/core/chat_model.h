#pragma once

#include <functional>
#include <future>
#include <memory>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/call_control.h"
#include "llmrt/core/chat_stream.h"
#include "llmrt/core/metrics.h"
#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/core/stream_handle.h"
#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/message.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::core {

struct RouteNode;
class Runtime;

using EventCallback = std::function<void(const StreamEvent&)>;

// A configured model behind a provider plugin, or a route over several (Runtime::model(name)).
// Messages use internal roles; the meta template maps them. Failed attempts are retried as
// ModelConfig::retry says, rotating keys; a call that cannot succeed throws Error. Thread-safe;
// copies share the transport and the key pool.
class ChatModel {
 public:
  // Throws Error (auth) when no key can be resolved, (bad_request) on a bad configuration.
  ChatModel(std::shared_ptr<const Provider> provider, ModelConfig config);

  // The whole reply at once. Stop words cut the content too (servers that ignore `stop`).
  ChatResult chat(const std::vector<Message>& messages, const ParamOverrides& overrides = {},
                  const CallControl& control = {}) const;

  // The reply as it arrives, pulled chunk by chunk (range-for). Retries happen only before
  // the first chunk; the stream opens (or fails) before this returns.
  ChatStream stream_chat(const std::vector<Message>& messages, const ParamOverrides& overrides = {},
                         const CallControl& control = {}) const;

  // The reply as it arrives, pushed event by event (content deltas after stop-word cutting,
  // reasoning, tool-call fragments, finish, usage); returns the whole result at the end.
  ChatResult stream_chat(const std::vector<Message>& messages, const ParamOverrides& overrides,
                         const EventCallback& on_event, const CallControl& control = {}) const;

  // Many conversations on a bounded pool of threads sharing this model's connections and
  // keys. The outcomes are in input order; each item has its own result or error, and one
  // failure never loses another's result. Throws only what BatchOptions::on_item threw (see
  // there), after every item has finished.
  std::vector<BatchOutcome> chat_batch(const std::vector<BatchItem>& items,
                                       const BatchOptions& options = {}) const;

  // chat() on its own thread. Throws std::system_error when no thread can be started.
  std::future<ChatResult> chat_async(std::vector<Message> messages, ParamOverrides overrides = {},
                                     CallControl control = {}) const;

  // The callback form of stream_chat() on its own thread; `on_event` is called there. The
  // handle cancels the stream or waits for its result; dropping it cancels a running stream.
  // Throws std::system_error when no thread can be started.
  [[nodiscard]] StreamHandle stream_chat_async(std::vector<Message> messages,
                                               ParamOverrides overrides, EventCallback on_event,
                                               CallControl control = {}) const;

  // The model's tokenizer: ModelConfig::encoding, else the encoding tiktoken uses for the model
  // name. Throws Error (bad_request) when neither names one llmrt ships, (not_found) when its
  // rank file is missing.
  std::shared_ptr<const Tokenizer> tokenizer() const;
  // The text's token ids (lagent's GPTAPI.tokenize).
  std::vector<TokenId> tokenize(std::string_view text,
                                SpecialTokens special = SpecialTokens::reject) const;
  // The prompt tokens a chat call with these messages costs, as OpenAI counts them: the meta
  // template maps the roles as chat() would, then each message's framing is added (see
  // chat_token_count.h). Tool definitions are not part of a message and are not counted.
  std::size_t count_tokens(const std::vector<Message>& messages) const;

  // The request a call would send, as the plugin renders it (for inspection and tests).
  ChatRequest prepare(const std::vector<Message>& messages, const ParamOverrides& overrides,
                      bool stream) const;

  // Every key of the model (and its copies) back in rotation: those rejected as invalid or out
  // of quota, and those cooling down after a rate limit. For a host program that fixed what
  // was wrong (a key, an account) and wants to go on without making a new model.
  void reset_keys() const;

  // The counters of every deployment behind this model (one, or a route's targets and
  // fallbacks), shared with every other model of the same Runtime that uses them.
  MetricsSnapshot metrics() const;

  // The model's configuration; behind a route, its first target's.
  const ModelConfig& config() const noexcept;
  const Provider& provider() const noexcept;
  // Its name in the configuration (the route's, behind a route); else the API model name.
  const std::string& name() const noexcept;

 private:
  friend class Runtime;
  explicit ChatModel(std::shared_ptr<const RouteNode> node);

  std::shared_ptr<const RouteNode> node_;
};

}  // namespace llmrt::core
