#include "llmrt/core/key_pool.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "diagnostics/redactor.h"
#include "http/header_check.h"

namespace llmrt::core {
namespace {

std::string from_env(std::string_view var, std::string_view why) {
  std::string name(var);
  const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    // A provider without a key variable (a local server such as Ollama) needs no key.
    throw Error(ErrorKind::auth,
                "no API key: " + std::string(why) + " but " +
                    (name.empty() ? std::string("the provider has none (it needs no key): leave "
                                                "the key out, or give it literally or as env:VAR")
                                  : "$" + name + (value == nullptr ? " is not set" : " is empty")));
  }
  return value;
}

// The provider's key variables (ProviderInfo::key_env_var: names separated by ','), first to last.
std::vector<std::string_view> key_variables(std::string_view list) {
  std::vector<std::string_view> names;
  for (std::size_t start = 0; start <= list.size();) {
    std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

// "$A" or "$A or $B": how messages name the provider's variables.
std::string variables_text(std::string_view list) {
  std::string text;
  for (std::string_view name : key_variables(list)) {
    text += text.empty() ? "$" : " or $";
    text += name;
  }
  return text.empty() ? "$" : text;
}

// The first of the provider's variables that is set and not empty (Gemini's GEMINI_API_KEY, then
// GOOGLE_API_KEY, as Google's SDKs read them).
std::string from_env_list(std::string_view list) {
  const std::vector<std::string_view> names = key_variables(list);
  for (std::string_view name : names) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value != nullptr && *value != '\0') return value;
  }
  if (names.size() <= 1) return from_env(list, "key 'ENV' names the provider's variable");
  std::string message = "no API key: key 'ENV' names the provider's variables but none of ";
  message.append(variables_text(list)).append(" is set");  // appended: GCC 12 -Wrestrict
  throw Error(ErrorKind::auth, message);
}

std::string resolve(const std::string& key, std::string_view env_var) {
  if (key == "ENV") return from_env_list(env_var);
  if (key.rfind("env:", 0) == 0) {
    return from_env(std::string_view(key).substr(4), "key '" + key + "' names a variable");
  }
  return key;
}

// How an error names key `index` without showing it: "key 2", "key 1 (from $OPENAI_API_KEY)".
std::string key_setting(std::size_t index, const std::string& key, std::string_view env_var) {
  std::string name = "key " + std::to_string(index + 1);
  if (key == "ENV") return name + " (from " + variables_text(env_var) + ")";
  if (key.rfind("env:", 0) == 0) return name + " (from $" + key.substr(4) + ")";
  return name;
}

std::string seconds_text(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(d).count());
  return text;
}

}  // namespace

std::string mask_key(std::string_view key) {
  if (key.size() <= 4) return "…";
  return "…" + std::string(key.substr(key.size() - 4));
}

std::string scrub_key(std::string text, std::string_view key) {
  Redactor redactor;
  redactor.add_key(key);
  return redactor.apply(std::move(text));
}

KeyPool::KeyPool(std::vector<std::string> keys, std::vector<std::string> organizations,
                 std::string_view env_var, std::chrono::milliseconds auth_cooldown)
    : organizations_(std::move(organizations)), auth_cooldown_(auth_cooldown) {
  // A provider without a key variable needs no key (a local server): one empty key then.
  if (keys.empty()) keys.emplace_back(env_var.empty() ? "" : "ENV");
  // Keys and organisations go into headers: a line break in one would forge headers of its
  // own. Checked after resolving, as a variable's value is what goes on the wire.
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Usually `--key "$VAR"` with VAR unset: sent as it is, the request would go out with an
    // empty Authorization header and fail far from the mistake.
    if (keys[i].empty() && !env_var.empty()) {
      throw Error(ErrorKind::auth, key_setting(i, keys[i], env_var) +
                                       " is empty: give the key, ENV for " +
                                       variables_text(env_var) +
                                       ", or any text (e.g. EMPTY) for a server that takes none");
    }
    std::string secret = resolve(keys[i], env_var);
    require_safe_header_value(secret, key_setting(i, keys[i], env_var));
    keys_.push_back(Key{.secret = std::move(secret)});
  }
  for (std::size_t i = 0; i < organizations_.size(); ++i) {
    require_safe_header_value(organizations_[i], "organization " + std::to_string(i + 1));
  }
}

std::vector<std::string> KeyPool::secrets() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const Key& k : keys_) out.push_back(k.secret);
  return out;
}

KeyPool::Lease KeyPool::acquire(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::optional<std::size_t> pick;
  std::optional<std::size_t> soonest;  // the cooling key that is ready first
  for (std::size_t step = 0; step < keys_.size(); ++step) {
    std::size_t i = (next_ + step) % keys_.size();
    const Key& k = keys_[i];
    if (k.is_out(now)) continue;
    if (k.cool_until <= now) {
      pick = i;
      break;
    }
    if (!soonest || k.cool_until < keys_[*soonest].cool_until) soonest = i;
  }
  if (!pick) pick = soonest;
  if (!pick) {
    throw Error(*keys_.back().out, "no usable API key left: " + describe_locked(now));
  }
  keys_[*pick].out.reset();  // a rejected key whose cool-down is over is back
  next_ = *pick + 1;
  Lease lease{*pick, {keys_[*pick].secret, {}}};
  if (!organizations_.empty()) {
    lease.credentials.organization = organizations_[handed_out_ % organizations_.size()];
  }
  ++handed_out_;
  return lease;
}

void KeyPool::report(std::size_t index, ErrorKind kind, std::chrono::milliseconds cooldown,
                     Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (index >= keys_.size()) return;
  Key& k = keys_[index];
  if (kind == ErrorKind::quota_exhausted || kind == ErrorKind::auth) {
    k.out = kind;
    k.out_until = kind == ErrorKind::auth && auth_cooldown_.count() > 0 ? now + auth_cooldown_
                                                                        : Clock::time_point::max();
  } else if (kind == ErrorKind::rate_limited) {
    k.cool_until = std::max(k.cool_until, now + cooldown);
  }
}

void KeyPool::reset() {
  std::lock_guard lock(mutex_);
  for (Key& k : keys_) k = Key{.secret = std::move(k.secret)};
}

std::size_t KeyPool::ready_count(Clock::time_point now, std::optional<std::size_t> except) const {
  std::lock_guard lock(mutex_);
  std::size_t ready = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (except && *except == i) continue;
    ready += !keys_[i].is_out(now) && keys_[i].cool_until <= now;
  }
  return ready;
}

std::string KeyPool::describe(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return describe_locked(now);
}

std::string KeyPool::describe_locked(Clock::time_point now) const {
  // A keyless provider (a local server) behind a proxy that wants a key.
  if (keys_.size() == 1 && keys_[0].secret.empty()) {
    return "no key was sent: give one with --key or the configuration's keys";
  }
  std::string text = std::to_string(keys_.size()) + (keys_.size() == 1 ? " key: " : " keys: ");
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const Key& k = keys_[i];
    if (i > 0) text += "; ";
    text += mask_key(k.secret);
    if (k.is_out(now) && k.out == ErrorKind::quota_exhausted) {
      text += " out of quota";
    } else if (k.is_out(now) && k.out == ErrorKind::auth) {
      text += " rejected as invalid";
      if (k.out_until != Clock::time_point::max()) {
        text += ", tried again in " + seconds_text(k.out_until - now);
      }
    } else if (k.cool_until > now) {
      text += " rate-limited, cooling down for " + seconds_text(k.cool_until - now);
    } else {
      text += " ready";
    }
  }
  return text;
}

}  // namespace llmrt::core
