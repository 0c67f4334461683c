#include "llmrt/core/chat_model.h"

#include "llmrt/core/key_pool.h"
#include "llmrt/core/stop_word_filter.h"
#include "llmrt/core/transport.h"
#include "stream_session.h"

namespace llmrt::core {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

// Plugins know the wire, not which provider name they were loaded under: errors they throw are
// completed here.
template <class F>
auto with_provider(const std::string& provider, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    if (!e.info().provider.empty()) throw;
    ErrorInfo info = e.info();
    info.provider = provider;
    throw Error(std::move(info), e.partial_content());
  }
}

}  // namespace

ChatModel::ChatModel(std::shared_ptr<const Provider> provider, ModelConfig config)
    : provider_(std::move(provider)), config_(std::move(config)) {
  if (!provider_) throw Error(ErrorKind::bad_request, "ChatModel needs a provider");
  ProviderInfo info = provider_->info();
  provider_name_ = info.name;
  transport_ = std::make_shared<Transport>(config_.transport);
  keys_ = with_provider(provider_name_, [&] {
    return std::make_shared<KeyPool>(config_.keys, config_.organizations, info.key_env_var);
  });
}

ChatRequest ChatModel::prepare(const std::vector<Message>& messages,
                               const ParamOverrides& overrides, bool stream) const {
  return with_provider(provider_name_, [&] {
    ChatRequest request;
    request.model = config_.model;
    request.api_base = config_.api_base;
    request.messages = config_.meta_template.apply(messages);
    request.params = overrides.apply(config_.params);
    request.stream = stream;
    request.options = config_.options;
    return request;
  });
}

ChatResult ChatModel::chat(const std::vector<Message>& messages,
                           const ParamOverrides& overrides) const {
  ChatRequest request = prepare(messages, overrides, false);
  return with_provider(provider_name_, [&] {
    HttpRequest http = provider_->build_request(request, keys_->acquire());
    HttpResponse response = transport_->send(http);
    if (!is_success(response.status)) throw Error(provider_->classify_error(response));
    ChatResult result = provider_->parse_response(response);
    // Servers that ignore `stop` still get their reply cut where llmrt promised.
    if (std::size_t at = find_first_stop(result.content, request.params.stop_words);
        at != std::string::npos) {
      result.content.resize(at);
      result.finish_reason = "stop";
    }
    return result;
  });
}

ChatStream ChatModel::stream_chat(const std::vector<Message>& messages,
                                  const ParamOverrides& overrides) const {
  ChatRequest request = prepare(messages, overrides, true);
  return with_provider(provider_name_, [&] {
    HttpRequest http = provider_->build_request(request, keys_->acquire());
    std::unique_ptr<ResponseStream> response = transport_->open(http);
    if (!is_success(response->status())) {
      HttpResponse failed{response->status(), response->headers(),
                          response->read_all(config_.transport.max_body_bytes)};
      throw Error(provider_->classify_error(failed));
    }
    auto session = std::make_unique<StreamSession>(
        provider_name_, std::move(response), provider_->new_stream_decoder(request, config_.limits),
        request.params.stop_words);
    return ChatStream(std::move(session));
  });
}

ChatResult ChatModel::stream_chat(const std::vector<Message>& messages,
                                  const ParamOverrides& overrides,
                                  const EventCallback& on_event) const {
  ChatStream stream = stream_chat(messages, overrides);
  // Drive the session directly: every event, not only content, goes to the callback.
  std::vector<StreamEvent> events;
  while (stream.next_events(events)) {
    for (const StreamEvent& event : events) on_event(event);
    events.clear();
  }
  return stream.result();
}

}  // namespace llmrt::core
