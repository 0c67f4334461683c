#include "config/config_reader.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>

#include "llmrt/core/api_base.h"
#include "llmrt/core/price.h"
#include "llmrt/core/proxy_url.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

// At most a year: longer is a mistake, and the milliseconds must fit their 64-bit count.
constexpr double kMaxSeconds = 365.0 * 24 * 3600;

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  std::string text(buffer.GetString(), buffer.GetSize());
  return text.size() > 80 ? text.substr(0, 80) + "…" : text;
}

const rapidjson::Value* shown(const rapidjson::Value& v, bool secret) {
  return secret && (v.IsObject() || v.IsArray()) ? nullptr : &v;
}

std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

}  // namespace

ConfigReader::ConfigReader(std::string source, std::filesystem::path base_dir)
    : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

void ConfigReader::fail(const std::string& path, const std::string& expected,
                        const Value* got) const {
  std::string message = "expected " + expected;
  if (got != nullptr) message += ", got " + json_text(*got);
  error(path, message);
}

void ConfigReader::fail_name(const std::string& path, const std::string& expected,
                             std::string_view name) const {
  Value text(rapidjson::StringRef(name.data(), name.size()));
  fail(path, expected, &text);
}

void ConfigReader::error(const std::string& path, const std::string& message) const {
  throw Error(ErrorKind::bad_request, source_ + ": " + path + ": " + message);
}

const ConfigReader::Value& ConfigReader::object(
    const Value& v, const std::string& path, std::initializer_list<std::string_view> known) const {
  if (!v.IsObject()) fail(path, "an object", &v);
  for (const auto& m : v.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == key;
    if (!ok) {
      std::string names;
      for (std::string_view k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      fail(path + "." + std::string(key), "one of the known keys (" + names + ")");
    }
  }
  return v;
}

const ConfigReader::Value& ConfigReader::required(const Value& object, const char* key,
                                                  const std::string& path,
                                                  const std::string& what) const {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) fail(path + "." + key, what + " (it is missing)");
  return it->value;
}

std::string ConfigReader::string(const Value& v, const std::string& path, bool secret) const {
  if (!v.IsString()) fail(path, "a string", shown(v, secret));
  return {v.GetString(), v.GetStringLength()};
}

std::vector<std::string> ConfigReader::strings(const Value& v, const std::string& path,
                                               bool secret) const {
  if (v.IsString()) return {string(v, path, secret)};
  if (!v.IsArray()) fail(path, "a string or an array of strings", shown(v, secret));
  std::vector<std::string> out;
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    out.push_back(string(v[i], path + "[" + std::to_string(i) + "]", secret));
  }
  return out;
}

long long ConfigReader::count(const Value& v, const std::string& path) const {
  if (!v.IsInt64() || v.GetInt64() < 0) fail(path, "a non-negative integer", &v);
  return v.GetInt64();
}

long long ConfigReader::count(const Value& v, const std::string& path, long long max) const {
  if (!v.IsInt64() || v.GetInt64() < 0 || v.GetInt64() > max) {
    fail(path, "an integer from 0 to " + std::to_string(max), &v);
  }
  return v.GetInt64();
}

double ConfigReader::amount(const Value& v, const std::string& path) const {
  if (!v.IsNumber() || v.GetDouble() < 0 || v.GetDouble() > kMaxPrice) {
    fail(path, "a number from 0 to 1e9", &v);
  }
  return v.GetDouble();
}

std::chrono::milliseconds ConfigReader::seconds(const Value& v, const std::string& path) const {
  if (!v.IsNumber() || v.GetDouble() < 0 || v.GetDouble() > kMaxSeconds) {
    fail(path, "a number of seconds from 0 to 31536000 (a year)", &v);
  }
  return to_milliseconds(v.GetDouble());
}

std::chrono::milliseconds ConfigReader::positive_seconds(const Value& v, const std::string& path,
                                                         double max_seconds) const {
  if (!v.IsNumber() || v.GetDouble() <= 0 || v.GetDouble() > std::min(max_seconds, kMaxSeconds)) {
    fail(path,
         "a number of seconds above 0 and at most " +
             seconds_text(to_milliseconds(std::min(max_seconds, kMaxSeconds))),
         &v);
  }
  return to_milliseconds(v.GetDouble());
}

void ConfigReader::check_api_base(const std::string& url, const std::string& path) const {
  core::check_given_api_base(url, source_ + ": " + path);
}

void ConfigReader::check_proxy(const std::string& url, const std::string& path) const {
  core::check_proxy_url(url, source_ + ": " + path);
}

std::filesystem::path ConfigReader::file_path(const Value& v, const std::string& path) const {
  std::filesystem::path p = string(v, path);
  return p.is_relative() && !base_dir_.empty() ? base_dir_ / p : p;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  const long long ms = duration.count();
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 == 0) return text;
  std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
  while (fraction.back() == '0') fraction.pop_back();
  return text + "." + fraction;
}

}  // namespace llmrt::core
