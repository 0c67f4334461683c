#include "llmrt/core/chat_model.h"

#include "chat/model_state.h"
#include "chat/stream_session.h"
#include "llmrt/core/chat_token_count.h"
#include "routing/routed_call.h"

namespace llmrt::core {
namespace {

std::shared_ptr<const RouteNode> leaf(std::shared_ptr<const ModelState> deployment) {
  auto node = std::make_shared<RouteNode>();
  node->name = deployment->name;
  node->deployment = std::move(deployment);
  node->seal();
  return node;
}

// Renders the call's request for whichever deployment the route picks. A plain model renders
// it at once (and refuses bad messages before any wait); a route keeps copies of the messages,
// since a stream's next deployment is picked after stream_chat() has returned.
RoutedCall::Prepare preparer(const RouteNode& node, const std::vector<Message>& messages,
                             const ParamOverrides& overrides, bool stream) {
  if (node.is_leaf()) {
    auto request = std::make_shared<const ChatRequest>(
        prepare_request(*node.deployment, messages, overrides, stream));
    return {.fixed = std::move(request)};
  }
  return {.per_deployment = [messages, overrides, stream](const ModelState& deployment) {
    return std::make_shared<const ChatRequest>(
        prepare_request(deployment, messages, overrides, stream));
  }};
}

}  // namespace

ChatModel::ChatModel(std::shared_ptr<const Provider> provider, ModelConfig config)
    : node_(leaf(make_model_state(std::move(provider), std::move(config)))) {}

ChatModel::ChatModel(std::shared_ptr<const RouteNode> node) : node_(std::move(node)) {}

void ChatModel::reset_keys() const {
  for (const ModelState* deployment : node_->deployments()) {
    deployment->keys->reset();
    deployment->live->health.reset();
  }
}

const ModelConfig& ChatModel::config() const noexcept { return node_->primary().config; }
const Provider& ChatModel::provider() const noexcept { return *node_->primary().provider; }
const std::string& ChatModel::name() const noexcept { return node_->name; }

MetricsSnapshot ChatModel::metrics() const {
  MetricsSnapshot snapshot;
  const auto now = std::chrono::steady_clock::now();
  for (const ModelState* deployment : node_->deployments()) {
    const DeploymentLive& live = *deployment->live;
    snapshot.deployments.push_back(
        live.metrics.snapshot(live.load.in_flight(), live.health.cooling_until(now).has_value()));
  }
  return snapshot;
}

std::shared_ptr<const Tokenizer> ChatModel::tokenizer() const {
  const ModelConfig& config = this->config();
  return Tokenizer::get(config.encoding.empty() ? encoding_for_model(config.model)
                                                : config.encoding);
}

std::vector<TokenId> ChatModel::tokenize(std::string_view text, SpecialTokens special) const {
  return tokenizer()->encode(text, special);
}

std::size_t ChatModel::count_tokens(const std::vector<Message>& messages) const {
  return count_chat_tokens(*tokenizer(), config().meta_template.apply(messages),
                           chat_framing_for_model(config().model));
}

ChatRequest ChatModel::prepare(const std::vector<Message>& messages,
                               const ParamOverrides& overrides, bool stream) const {
  return prepare_request(node_->primary(), messages, overrides, stream);
}

ChatResult ChatModel::chat(const std::vector<Message>& messages, const ParamOverrides& overrides,
                           const CallControl& control) const {
  RoutedCall call(node_, preparer(*node_, messages, overrides, false), control, false);
  return call.run_whole();
}

ChatStream ChatModel::stream_chat(const std::vector<Message>& messages,
                                  const ParamOverrides& overrides,
                                  const CallControl& control) const {
  auto call = std::make_unique<RoutedCall>(node_, preparer(*node_, messages, overrides, true),
                                           control, true);
  return ChatStream(std::make_unique<StreamSession>(std::move(call)));
}

ChatResult ChatModel::stream_chat(const std::vector<Message>& messages,
                                  const ParamOverrides& overrides, const EventCallback& on_event,
                                  const CallControl& control) const {
  ChatStream stream = stream_chat(messages, overrides, control);
  // Drive the session directly: every event, not only content, goes to the callback.
  std::vector<StreamEvent> events;
  while (stream.next_events(events)) {
    for (const StreamEvent& event : events) on_event(event);
    events.clear();
  }
  return stream.take_result();
}

}  // namespace llmrt::core
