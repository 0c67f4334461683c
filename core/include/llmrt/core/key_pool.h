#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_request.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {

// "…" and the last four characters: the only form in which a key is ever printed.
std::string mask_key(std::string_view key);

// `text` with every occurrence of `key` replaced by its mask (provider error messages may
// quote the key they rejected). Like everything llmrt prints: a key shorter than 8 characters
// (a placeholder such as "EMPTY") is left alone, and the userinfo of URLs is removed.
std::string scrub_key(std::string text, std::string_view key);

// The API keys (and organisations) of one model, handed out round-robin starting at the first.
// A configured key is literal text, "ENV" (the provider's key variable) or "env:VAR". A key
// that was rate-limited cools down and is skipped until then. A key without quota leaves the
// rotation (lagent's rule); so does a key rejected as invalid, for `auth_cooldown` (zero: like
// a key without quota). reset() brings every key back. Thread-safe.
class KeyPool {
 public:
  using Clock = std::chrono::steady_clock;
  // A 401 is not always the key's fault (a gateway's hiccup, a key rotated meanwhile): after a
  // minute the key is tried again, one failed request a minute for a key that is really dead.
  static constexpr std::chrono::milliseconds kDefaultAuthCooldown{60'000};

  struct Lease {
    std::size_t index = 0;
    Credentials credentials{};
  };

  // Throws Error (auth) naming the variable when a key refers to an unset environment
  // variable, or when no key is given and `env_var` is unset. With no key given and no
  // `env_var` (a provider that needs none), the one key is empty. Throws Error (bad_request)
  // naming the key ("key 2 (from $VAR)") or organisation, never its value, when one holds CR,
  // LF or NUL: it goes into a header.
  KeyPool(std::vector<std::string> keys, std::vector<std::string> organizations,
          std::string_view env_var, std::chrono::milliseconds auth_cooldown = kDefaultAuthCooldown);

  // The next key in rotation that is neither out nor cooling down; when all that are left are
  // cooling down, the one whose cool-down ends first. Throws Error (of the kind that took the
  // last key out) saying how many keys there are and why each is out, when none is left.
  Lease acquire(Clock::time_point now = Clock::now());

  // What a failed attempt says about its key: rate_limited cools it down for `cooldown`;
  // quota_exhausted takes it out, auth takes it out for the pool's auth cool-down. Other kinds
  // say nothing about the key.
  void report(std::size_t index, ErrorKind kind, std::chrono::milliseconds cooldown,
              Clock::time_point now = Clock::now());
  // Every key back in rotation, none cooling down (a host program that fixed its keys or its
  // account, without making a new model).
  void reset();

  // Keys neither out nor cooling down at `now`, other than `except`.
  std::size_t ready_count(Clock::time_point now, std::optional<std::size_t> except = {}) const;
  std::size_t size() const noexcept { return keys_.size(); }
  // The keys as resolved (ENV and env:VAR give the variable's value), for the model's
  // redaction of everything it prints. Never print these.
  std::vector<std::string> secrets() const;
  // "2 keys: …1234 out of quota; …5678 cooling down for 1.5 s" (never the keys themselves).
  std::string describe(Clock::time_point now = Clock::now()) const;

 private:
  struct Key {
    std::string secret{};
    std::optional<ErrorKind> out{};  // quota_exhausted or auth: not used until `out_until`
    Clock::time_point out_until = Clock::time_point::max();
    Clock::time_point cool_until{};
    bool is_out(Clock::time_point now) const { return out && now < out_until; }
  };

  std::string describe_locked(Clock::time_point now) const;

  mutable std::mutex mutex_;
  std::vector<Key> keys_;
  std::vector<std::string> organizations_;
  std::chrono::milliseconds auth_cooldown_;
  std::size_t next_ = 0;
  std::size_t handed_out_ = 0;
};

}  // namespace llmrt::core
