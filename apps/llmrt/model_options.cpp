#include "model_options.h"

#include <cmath>

#include "llmrt/sdk/error.h"

namespace llmrt::cli {

void ModelOptions::add_to(CLI::App& command) {
  command.add_option("--provider", provider, "Provider plugin name")->capture_default_str();
  command.add_option("--model", model, "Model name as the API knows it")->required();
  command.add_option("--api-base", api_base,
                     "API base URL (…/v1 or the full …/chat/completions URL)");
  command
      .add_option("--key", keys,
                  "API key: literal, ENV (the provider's variable) or env:VAR (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--org", organizations, "Organisation, used round-robin (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--retry", retry, "Retries after the first attempt")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command.add_option("--timeout", timeout_seconds, "Connect and read timeout in seconds")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--total-timeout", total_timeout_seconds,
                  "Longest the whole call may take, retries included, in seconds")
      ->check(CLI::PositiveNumber);
  command.add_option("--proxy", proxy, "HTTP proxy URL (http://[user:pass@]host:port)");
  command.add_option("--ca-file", ca_file, "PEM file of CAs to trust instead of the system store")
      ->check(CLI::ExistingFile);
  command.add_flag("--json-mode", json_mode, "Ask for a JSON object reply");
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

core::ModelConfig ModelOptions::to_config() const {
  core::ModelConfig config;
  config.provider = provider;
  config.model = model;
  config.api_base = api_base;
  config.keys = keys;
  config.organizations = organizations;
  auto to_ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  };
  config.retry.max_retries = retry;
  if (timeout_seconds > 0) {
    config.transport.connect_timeout = to_ms(timeout_seconds);
    config.transport.read_timeout = to_ms(timeout_seconds);
  }
  if (total_timeout_seconds > 0) config.transport.total_timeout = to_ms(total_timeout_seconds);
  config.transport.proxy = proxy;
  config.transport.ca_file = ca_file;
  add_options_to(config);
  return config;
}

core::ParamOverrides ModelOptions::overrides() const {
  core::ParamOverrides o = core::ParamOverrides::parse_assignments(params);
  if (json_mode) o.set("json_mode", true);
  return o;
}

}  // namespace llmrt::cli
