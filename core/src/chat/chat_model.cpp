#include "llmrt/core/chat_model.h"

#include <algorithm>
#include <cstdlib>

#include "chat/call.h"
#include "chat/model_state.h"
#include "chat/stream_session.h"
#include "chat/utf8_check.h"
#include "http/header_check.h"
#include "llmrt/core/api_base.h"
#include "llmrt/core/chat_token_count.h"

namespace llmrt::core {
namespace {

// Errors found before any request names the provider they concern.
template <class F>
auto naming_provider(const std::string& provider, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    if (!e.info().provider.empty()) throw;
    ErrorInfo info = e.info();
    info.provider = provider;
    throw Error(std::move(info), e.partial_content());
  }
}

// Settings that end up in a request's head (the provider renders options such as "project" as
// headers; the api_base's host is the Host header; the proxy's, CONNECT's) are refused with a
// line break or NUL in them, before anything can be sent. Keys and organisations are checked
// by the key pool, once resolved.
void check_head_settings(const ModelConfig& config) {
  require_safe_header_value(config.api_base, "api_base");
  check_api_base(config.api_base, "api_base");
  require_safe_header_value(config.transport.proxy, "proxy");
  for (const auto& [name, value] : config.options) {
    require_safe_header_value(name, "an option name");
    require_safe_header_value(value, "option " + name);
  }
}

// No api_base configured: the plugin's base URL variable (OPENAI_BASE_URL, …) when set, as the
// provider's own SDKs read it; else the plugin's default, which the plugin applies itself.
void take_api_base_from_environment(ModelConfig& config, const ProviderInfo& info) {
  if (!config.api_base.empty() || info.base_url_env_var.empty()) return;
  const char* value = std::getenv(info.base_url_env_var.c_str());
  if (value == nullptr || *value == '\0') return;
  check_api_base(value, "$" + info.base_url_env_var);
  config.api_base = value;
}

// A provider switch the plugin does not read would be dropped without a word (a typo such as
// "mdoe" for "mode"): refuse it, naming the ones it reads.
void check_options(const ModelConfig& config, const ProviderInfo& info) {
  for (const auto& [name, value] : config.options) {
    if (std::find(info.options.begin(), info.options.end(), name) != info.options.end()) continue;
    std::string known;
    for (const std::string& option : info.options) known += (known.empty() ? "" : ", ") + option;
    throw Error(ErrorKind::bad_request,
                "unknown option '" + name + "' for provider " + info.name +
                    " (its options: " + (known.empty() ? std::string("none") : known) + ")");
  }
}

std::shared_ptr<const Redactor> redactor_for(const KeyPool& keys, const ModelConfig& config) {
  auto redactor = std::make_shared<Redactor>();
  for (const std::string& key : keys.secrets()) redactor->add_key(key);
  redactor->add_url(config.api_base);
  redactor->add_url(config.transport.proxy);
  if (config.transport.proxy_from_environment) {
    for (const char* name : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}) {
      if (const char* url = std::getenv(name)) redactor->add_url(url);
    }
  }
  return redactor;
}

}  // namespace

ChatModel::ChatModel(std::shared_ptr<const Provider> provider, ModelConfig config) {
  if (!provider) throw Error(ErrorKind::bad_request, "ChatModel needs a provider");
  auto state = std::make_shared<ModelState>();
  ProviderInfo info = provider->info();
  state->provider = std::move(provider);
  state->provider_name = info.name;
  state->config = std::move(config);
  take_api_base_from_environment(state->config, info);
  naming_provider(info.name, [&] {
    check_head_settings(state->config);
    check_options(state->config, info);
  });
  state->transport = std::make_shared<Transport>(state->config.transport);
  state->keys = naming_provider(info.name, [&] {
    return std::make_shared<KeyPool>(state->config.keys, state->config.organizations,
                                     info.key_env_var, state->config.auth_cooldown);
  });
  state->redactor = redactor_for(*state->keys, state->config);
  redact_log_lines_with(state->redactor);
  state_ = std::move(state);
}

void ChatModel::reset_keys() const { state_->keys->reset(); }

const ModelConfig& ChatModel::config() const noexcept { return state_->config; }
const Provider& ChatModel::provider() const noexcept { return *state_->provider; }

std::shared_ptr<const Tokenizer> ChatModel::tokenizer() const {
  const ModelConfig& config = state_->config;
  return Tokenizer::get(config.encoding.empty() ? encoding_for_model(config.model)
                                                : config.encoding);
}

std::vector<TokenId> ChatModel::tokenize(std::string_view text, SpecialTokens special) const {
  return tokenizer()->encode(text, special);
}

std::size_t ChatModel::count_tokens(const std::vector<Message>& messages) const {
  return count_chat_tokens(*tokenizer(), state_->config.meta_template.apply(messages),
                           chat_framing_for_model(state_->config.model));
}

ChatRequest ChatModel::prepare(const std::vector<Message>& messages,
                               const ParamOverrides& overrides, bool stream) const {
  return naming_provider(state_->provider_name, [&] {
    check_messages_utf8(messages);  // every call passes here before anything is rendered
    ChatRequest request;
    request.model = state_->config.model;
    request.api_base = state_->config.api_base;
    request.messages = state_->config.meta_template.apply(messages);
    // The preset, then the model's parameters, then the call's (a null there unsets).
    request.params = overrides.apply(
        with_defaults(state_->config.params, preset_params(state_->config.defaults)));
    request.stream = stream;
    request.options = state_->config.options;
    return request;
  });
}

ChatResult ChatModel::chat(const std::vector<Message>& messages, const ParamOverrides& overrides,
                           const CallControl& control) const {
  Call call(state_, prepare(messages, overrides, false), control);
  return call.run_whole();
}

ChatStream ChatModel::stream_chat(const std::vector<Message>& messages,
                                  const ParamOverrides& overrides,
                                  const CallControl& control) const {
  auto call = std::make_unique<Call>(state_, prepare(messages, overrides, true), control);
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
  return stream.result();
}

}  // namespace llmrt::core
