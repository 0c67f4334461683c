#include "model_options.h"

#include <cmath>
#include <set>

#include "llmrt/core/api_base.h"
#include "llmrt/core/config.h"
#include "llmrt/core/proxy_url.h"
#include "llmrt/sdk/error.h"
#include "number_checks.h"

namespace llmrt::cli {

void ModelOptions::add_to(CLI::App& command) {
  command_ = &command;
  command.add_option("--config", config_file, "Configuration file naming models")
      ->check(CLI::ExistingFile);
  command.add_option("--name", config_name,
                     "The model's name in the configuration file (not needed when it has one)");
  command.add_option("--provider", provider, "Provider plugin name")->capture_default_str();
  command.add_option("--model", model, "Model name as the API knows it (without --config)");
  command.add_option("--api-base", api_base,
                     "API base URL (…/v1 or the full …/chat/completions URL)");
  command
      .add_option("--key", keys,
                  "API key: literal, ENV (the provider's variable) or env:VAR (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--org", organizations, "Organisation, used round-robin (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--retry", retry, "Retries after the first attempt")
      ->check(whole_number(0, kMaxRetries))
      ->capture_default_str();
  command.add_option("--timeout", timeout_seconds, "Connect and read timeout in seconds")
      ->check(positive_seconds());
  command
      .add_option("--total-timeout", total_timeout_seconds,
                  "Longest the whole call may take, retries included, in seconds")
      ->check(positive_seconds());
  command.add_option("--proxy", proxy, "HTTP proxy URL (http://[user:pass@]host:port)");
  command.add_option("--ca-file", ca_file, "PEM file of CAs to trust instead of the system store")
      ->check(CLI::ExistingFile);
  command.add_flag("--json-mode", json_mode, "Ask for a JSON object reply");
  command.add_option("--defaults", defaults,
                     "Parameter preset under the configuration's and --param's: none (send only "
                     "what is set) or lagent (lagent GPTAPI's values)");
  command
      .add_option("--option", options,
                  "Provider switch KEY=VALUE, e.g. mode=compatible for qwen (repeatable)")
      ->allow_extra_args(false);
  command
      .add_option("--param", params,
                  "Generation parameter KEY=VALUE; VALUE is JSON when valid JSON, else a "
                  "string (repeatable)")
      ->allow_extra_args(false);
}

void ModelOptions::add_options_to(core::ModelConfig& config) const {
  for (const std::string& option : options) {
    std::size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorKind::bad_request, "--option '" + option + "' must be KEY=VALUE");
    }
    config.options[option.substr(0, eq)] = option.substr(eq + 1);
  }
}

bool ModelOptions::given(const char* flag) const { return command_->count(flag) > 0; }

namespace {

// The configured models a model or route name reaches (the route's targets, fallbacks and
// `on` models, through nested routes).
void reachable_models(const core::RuntimeConfig& config, const std::string& name,
                      std::set<std::string>& out) {
  if (config.models.count(name) != 0) {
    out.insert(name);
    return;
  }
  auto it = config.routes.find(name);
  if (it == config.routes.end() || !out.insert("route:" + name).second) return;
  for (const auto& target : it->second.targets) reachable_models(config, target.model, out);
  for (const auto& fallback : it->second.fallbacks) reachable_models(config, fallback, out);
  for (const auto& [kind, model] : it->second.on) reachable_models(config, model, out);
}

}  // namespace

std::string resolve_config_name(const core::RuntimeConfig& config, const std::string& file,
                                const std::string& name) {
  if (name.empty()) {
    // One model and no route is the one meant: asking for its name would only be in the way.
    if (config.models.size() == 1 && config.routes.empty()) return config.models.begin()->first;
    throw Error(ErrorKind::bad_request,
                config.models.empty()
                    ? file + ": the file names no models"
                    : "--config " + file + " needs --name NAME: the model or route to use (" +
                          core::known_names(config) + ")");
  }
  if (config.models.count(name) == 0 && config.routes.count(name) == 0) {
    throw Error(ErrorKind::bad_request, file + ": no model or route named '" + name + "' (" +
                                            core::known_names(config) + ")");
  }
  return name;
}

core::ModelConfig model_from_config(const std::string& file, const std::string& name,
                                    std::vector<std::filesystem::path>* plugin_paths) {
  core::RuntimeConfig config = core::load_config(file);
  if (plugin_paths != nullptr) *plugin_paths = config.plugin_paths;
  const std::string resolved = resolve_config_name(config, file, name);
  auto it = config.models.find(resolved);
  if (it == config.models.end()) {
    throw Error(ErrorKind::bad_request,
                file + ": '" + resolved + "' is a route; this command needs one of its models");
  }
  return it->second;
}

core::Runtime ModelOptions::runtime(const std::vector<std::string>& global) const {
  std::vector<std::filesystem::path> paths(global.begin(), global.end());
  if (config_file.empty()) {
    if (model.empty()) {
      throw Error(ErrorKind::bad_request, "give --model M (or --config FILE [--name NAME])");
    }
    return core::Runtime(paths);
  }
  core::RuntimeConfig config = core::load_config(config_file);
  resolved_name_ = resolve_config_name(config, config_file, config_name);
  std::set<std::string> reached;
  reachable_models(config, resolved_name_, reached);
  names_route_ = config.routes.count(resolved_name_) != 0;
  if (names_route_) {
    // A route's models differ in these: one value for all of them would be a mistake.
    for (const char* flag : {"--provider", "--model", "--api-base", "--key", "--org"}) {
      if (given(flag)) {
        throw Error(ErrorKind::bad_request, std::string(flag) + " sets one model, and '" +
                                                resolved_name_ +
                                                "' is a route: set it in the configuration file");
      }
    }
  }
  for (const std::string& name : reached) {
    if (auto it = config.models.find(name); it != config.models.end()) apply_flags(it->second);
  }
  return core::Runtime(std::move(config), paths);
}

core::ChatModel ModelOptions::open(const core::Runtime& runtime) const {
  if (config_file.empty()) {
    core::ModelConfig config;
    apply_flags(config);
    return runtime.model(std::move(config));
  }
  return runtime.model(resolved_name_);
}

// Flags on the command line win over the configuration file; without a file they are all.
void ModelOptions::apply_flags(core::ModelConfig& config) const {
  const bool all = config_file.empty();
  auto to_ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  };
  if (all || given("--provider")) config.provider = provider;
  if (all || given("--model")) config.model = model;
  if (given("--api-base")) core::check_given_api_base(api_base, "--api-base");
  if (all || given("--api-base")) config.api_base = api_base;
  if (all || given("--key")) config.keys = keys;
  if (all || given("--org")) config.organizations = organizations;
  if (all || given("--retry")) config.retry.max_retries = retry;
  if (timeout_seconds > 0) {
    config.transport.connect_timeout = to_ms(timeout_seconds);
    config.transport.read_timeout = to_ms(timeout_seconds);
  }
  if (total_timeout_seconds > 0) config.transport.total_timeout = to_ms(total_timeout_seconds);
  if (given("--proxy")) core::check_proxy_url(proxy, "--proxy");
  if (all || given("--proxy")) config.transport.proxy = proxy;
  if (all || given("--ca-file")) config.transport.ca_file = ca_file;
  if (given("--defaults")) {
    auto preset = core::parse_param_defaults(defaults);
    if (!preset) {
      throw Error(ErrorKind::bad_request,
                  "--defaults '" + defaults +
                      "': no such parameter preset (known: " + core::known_param_defaults() + ")");
    }
    config.defaults = *preset;
  }
  add_options_to(config);
}

core::ParamOverrides ModelOptions::overrides() const {
  core::ParamOverrides o = core::ParamOverrides::parse_assignments(params);
  if (json_mode) o.set("json_mode", true);
  return o;
}

}  // namespace llmrt::cli
