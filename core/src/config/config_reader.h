#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::core {

// Reads JSON values of a known shape from one configuration; every failure is an Error
// (bad_request) naming the file and the JSON path: "llmrt.json: $.models.a.retry: expected a
// non-negative integer, got \"two\"".
class ConfigReader {
 public:
  using Value = rapidjson::Value;

  ConfigReader(std::string source, std::filesystem::path base_dir);

  // "SOURCE: PATH: expected EXPECTED[, got JSON]", the JSON shortened to 80 bytes.
  [[noreturn]] void fail(const std::string& path, const std::string& expected,
                         const Value* got = nullptr) const;
  // The same with a name the file gave (quoted as JSON) in place of a value.
  [[noreturn]] void fail_name(const std::string& path, const std::string& expected,
                              std::string_view name) const;
  // "SOURCE: PATH: MESSAGE", for what is wrong with values that are each well-formed.
  [[noreturn]] void error(const std::string& path, const std::string& message) const;

  // `v` when it is an object whose keys are all in `known`.
  const Value& object(const Value& v, const std::string& path,
                      std::initializer_list<std::string_view> known) const;
  // The member `key` of an object; its absence is an error: "expected WHAT (it is missing)".
  const Value& required(const Value& object, const char* key, const std::string& path,
                        const std::string& what) const;

  // `secret`: an object or array is not quoted in the error (a key in the wrong shape, such as
  // {"primary": "sk-…"}, is still a key).
  std::string string(const Value& v, const std::string& path, bool secret = false) const;
  std::vector<std::string> strings(const Value& v, const std::string& path,
                                   bool secret = false) const;
  long long count(const Value& v, const std::string& path) const;
  // A count from 0 to `max`: for values that become an int, or whose size is itself a mistake.
  long long count(const Value& v, const std::string& path, long long max) const;
  // A price: a number from 0 to kMaxPrice.
  double amount(const Value& v, const std::string& path) const;
  // From 0 to a year.
  std::chrono::milliseconds seconds(const Value& v, const std::string& path) const;
  // Above 0 and at most `max_seconds` (a window of time: an empty one measures nothing).
  std::chrono::milliseconds positive_seconds(const Value& v, const std::string& path,
                                             double max_seconds) const;

  void check_api_base(const std::string& url, const std::string& path) const;
  void check_proxy(const std::string& url, const std::string& path) const;
  // Relative to the configuration's folder.
  std::filesystem::path file_path(const Value& v, const std::string& path) const;

 private:
  std::string source_;
  std::filesystem::path base_dir_;
};

// The milliseconds of a duration as seconds, as a file writes them: "90", "1.5", "0.25".
std::string seconds_text(std::chrono::milliseconds duration);

}  // namespace llmrt::core
