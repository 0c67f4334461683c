#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/gen_params.h"

namespace llmrt::core {

// Per-call changes to generation parameters, as JSON values by key. Known keys
// (max_new_tokens, top_p, temperature, repetition_penalty, top_k, stop_words, seed, json_mode)
// are checked when applied; any other key passes to the provider as an extra.
//
// set() sends the C++ value as its JSON counterpart: a string always goes as a JSON string,
// even when its text looks like JSON. An object, an array of numbers or null goes with
// set_json(), whose text is sent as the JSON it is:
//   ParamOverrides()
//       .set("temperature", 0.2)
//       .set("user", "alice")                                    // "user": "alice"
//       .set_json("response_format", R"({"type": "json_object"})")  // an object, not a string
class ParamOverrides {
 public:
  // `json` is sent as the JSON value it is (object, array, number, …). Throws Error
  // (bad_request) naming the key when `json` is not valid JSON.
  ParamOverrides& set_json(std::string key, std::string json);
  ParamOverrides& set(std::string key, double value);
  ParamOverrides& set(std::string key, long long value);
  ParamOverrides& set(std::string key, int value) {
    return set(std::move(key), static_cast<long long>(value));
  }
  ParamOverrides& set(std::string key, bool value);
  // A JSON string, whatever the text (use set_json for JSON text).
  ParamOverrides& set(std::string key, std::string_view value);
  ParamOverrides& set(std::string key, const char* value) {
    return set(std::move(key), std::string_view(value));
  }
  ParamOverrides& set(std::string key, const std::vector<std::string>& values);

  // The command line's KEY=VALUE: VALUE is taken as JSON when it is valid JSON, else as a
  // string. Throws Error (bad_request) when there is no '=' or the key is empty.
  static ParamOverrides parse_assignments(const std::vector<std::string>& assignments);

  const std::map<std::string, std::string>& values() const noexcept { return values_; }
  bool empty() const noexcept { return values_.empty(); }

  // Overrides applied on `base`. Throws Error (bad_request) naming the key, the expected type
  // and the value given.
  GenParams apply(GenParams base) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace llmrt::core
