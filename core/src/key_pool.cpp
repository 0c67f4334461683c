#include "llmrt/core/key_pool.h"

#include <cstdlib>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::string from_env(std::string_view var, std::string_view why) {
  std::string name(var);
  const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    throw Error(ErrorKind::auth, "no API key: " + std::string(why) + " but " +
                                     (name.empty() ? std::string("no variable is known")
                                                   : "$" + name + " is not set"));
  }
  return value;
}

std::string resolve(const std::string& key, std::string_view env_var) {
  if (key == "ENV") return from_env(env_var, "key 'ENV' names the provider's variable");
  if (key.rfind("env:", 0) == 0) {
    return from_env(std::string_view(key).substr(4), "key '" + key + "' names a variable");
  }
  return key;
}

}  // namespace

std::string mask_key(std::string_view key) {
  if (key.size() <= 4) return "…";
  return "…" + std::string(key.substr(key.size() - 4));
}

KeyPool::KeyPool(std::vector<std::string> keys, std::vector<std::string> organizations,
                 std::string_view env_var)
    : organizations_(std::move(organizations)) {
  if (keys.empty()) keys.emplace_back("ENV");
  for (const std::string& k : keys) keys_.push_back(resolve(k, env_var));
}

Credentials KeyPool::acquire() {
  std::size_t n = next_.fetch_add(1, std::memory_order_relaxed);
  Credentials c;
  c.api_key = keys_[n % keys_.size()];
  if (!organizations_.empty()) c.organization = organizations_[n % organizations_.size()];
  return c;
}

}  // namespace llmrt::core
