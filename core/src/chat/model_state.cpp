#include "chat/model_state.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "chat/utf8_check.h"
#include "http/endpoint.h"
#include "http/header_check.h"
#include "http/proxy_selection.h"
#include "llmrt/core/api_base.h"
#include "llmrt/core/log.h"
#include "llmrt/core/price.h"
#include "llmrt/core/proxy_url.h"
#include "llmrt/core/tools_json.h"

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

// A connect or read limit of 0 (or less) would fail every call, and the failure would be put
// down to whichever limit was running when the socket was shut.
void check_timeouts(const TransportOptions& transport) {
  for (auto [limit, name] : {std::pair{transport.connect_timeout, "transport.connect_timeout"},
                             std::pair{transport.read_timeout, "transport.read_timeout"}}) {
    if (limit.count() <= 0) {
      throw Error(ErrorKind::bad_request, std::string(name) + " must be above 0 ms, got " +
                                              std::to_string(limit.count()) + " ms");
    }
  }
}

// Settings that end up in a request's head (the provider renders options such as "project" as
// headers; the api_base's host is the Host header; the proxy's, CONNECT's) are refused with a
// line break or NUL in them, before anything can be sent. Keys and organisations are checked
// by the key pool, once resolved.
void check_head_settings(const ModelConfig& config) {
  require_safe_header_value(config.model, "model");  // a path or a header of some providers'
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

// A parameter or option the plugin refuses (max_tokens where it takes max_new_tokens, a cap that
// is no number, an auth scheme it does not know) would fail every call that does not clear it:
// found now, by rendering one short request with the model's first key, never sent. Only a
// refusal is the settings' fault; anything else the render throws is left for the calls to
// meet. Returns the URL the request went to ("" when the render failed otherwise).
std::string check_renders(const ModelState& state) {
  ChatRequest request;
  request.model = state.config.model;
  request.api_base = state.config.api_base;
  request.messages = {{.role = "user", .content = "hi"}};
  request.params = state.params;
  // The cap on max_new_tokens is read only when a call sets it.
  if (!request.params.max_new_tokens) request.params.max_new_tokens = 16;
  request.options = state.config.options;
  const std::vector<std::string> keys = state.keys->secrets();
  try {
    return state.provider->build_request(request, Credentials{keys.empty() ? "" : keys.front(), ""})
        .url;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::bad_request) throw;
  } catch (...) {
    // A plugin failing otherwise fails the same way in a call, where it is reported.
  }
  return {};
}

// The proxy from the environment a call to `url` would go through, checked as a configured one
// is (transport.proxy), naming the variable: a bad one would fail every call. Calls read the
// environment again, each for itself.
void check_environment_proxy(const std::string& url, const TransportOptions& transport) {
  if (url.empty() || !transport.proxy.empty() || !transport.proxy_from_environment) return;
  std::optional<Endpoint> endpoint;
  try {
    endpoint = parse_endpoint(url);
  } catch (const Error&) {
    return;  // a URL no call could use: the call says so
  }
  std::string from;
  const std::string proxy = select_proxy(
      *endpoint, "", true, [](const char* name) { return std::getenv(name); }, &from);
  check_proxy_url(proxy, from);
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

// A configured rate is per minute (README, "limits"); the budget holds it over its window: the
// window's share, in whole units rounded down so it never admits more than the rate, and at least
// one when set (the configuration refuses a share below one; this keeps a C++ caller's budget
// from turning into no limit at all).
long long per_window(long long per_minute, std::chrono::milliseconds window) {
  if (per_minute <= 0) return 0;
  const double share =
      static_cast<double>(per_minute) * static_cast<double>(window.count()) / 60'000.0;
  return std::max(1LL, static_cast<long long>(std::floor(share + 1e-9)));
}

RateBudget::Limits budget_limits(long long per_minute_requests, long long per_minute_tokens,
                                 std::chrono::milliseconds window) {
  return {.requests = per_window(per_minute_requests, window),
          .tokens = per_window(per_minute_tokens, window),
          .window = window};
}

}  // namespace

DeploymentLive::DeploymentLive(const ModelConfig& config, const std::string& name,
                               const std::string& provider, std::size_t keys)
    : health(config.health),
      budget(
          budget_limits(config.rate_limits.rpm, config.rate_limits.tpm, config.rate_limits.window)),
      metrics(name, provider) {
  key_budgets.reserve(keys);
  for (std::size_t i = 0; i < keys; ++i) {
    key_budgets.push_back(std::make_unique<RateBudget>(budget_limits(
        config.rate_limits.key_rpm, config.rate_limits.key_tpm, config.rate_limits.window)));
  }
}

std::shared_ptr<ModelState> make_model_state(std::shared_ptr<const Provider> provider,
                                             ModelConfig config) {
  if (!provider) throw Error(ErrorKind::bad_request, "ChatModel needs a provider");
  auto state = std::make_shared<ModelState>();
  ProviderInfo info = provider->info();
  state->provider = std::move(provider);
  state->provider_name = info.name;
  state->config = std::move(config);
  state->name = state->config.name.empty() ? state->config.model : state->config.name;
  take_api_base_from_environment(state->config, info);
  state->params = with_defaults(state->config.params, preset_params(state->config.defaults));
  naming_provider(info.name, [&] {
    check_head_settings(state->config);
    check_timeouts(state->config.transport);
    // One that cannot be parsed would fail every call, each time as a lookup of its text (one
    // from the environment is read per call).
    check_proxy_url(state->config.transport.proxy, "transport.proxy");
    check_options(state->config, info);
    if (state->config.price) check_price(*state->config.price);
  });
  state->transport = std::make_shared<Transport>(state->config.transport);
  state->keys = naming_provider(info.name, [&] {
    return std::make_shared<KeyPool>(state->config.keys, state->config.organizations,
                                     info.key_env_var, state->config.auth_cooldown);
  });
  naming_provider(info.name,
                  [&] { check_environment_proxy(check_renders(*state), state->config.transport); });
  state->redactor = redactor_for(*state->keys, state->config);
  redact_log_lines_with(state->redactor);
  state->live = std::make_unique<DeploymentLive>(state->config, state->name, state->provider_name,
                                                 state->keys->size());
  return state;
}

ChatRequest prepare_request(const ModelState& model, const std::vector<Message>& messages,
                            const ParamOverrides& overrides, bool stream) {
  return naming_provider(model.provider_name, [&] {
    check_messages_utf8(messages);  // every call passes here before anything is rendered
    ChatRequest request;
    request.model = model.config.model;
    request.api_base = model.config.api_base;
    request.messages = model.config.meta_template.apply(messages);
    // The preset, then the model's parameters (both in model.params), then the call's (a null
    // there unsets).
    request.params = overrides.apply(model.params);
    check_tool_choice(request.params);
    request.stream = stream;
    request.options = model.config.options;
    return request;
  });
}

}  // namespace llmrt::core
