#include "llmrt/core/config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cmath>
#include <fstream>
#include <set>

#include "llmrt/core/api_base.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"
#include "tokenizer/encoding_specs.h"

namespace llmrt::core {
namespace {

using Value = rapidjson::Value;

std::string json_text(const Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  std::string text(buffer.GetString(), buffer.GetSize());
  return text.size() > 80 ? text.substr(0, 80) + "…" : text;
}

// Reads one JSON value of a known shape; every failure names the file and the JSON path.
class ConfigReader {
 public:
  ConfigReader(std::string source, std::filesystem::path base_dir)
      : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& expected,
                         const Value* got = nullptr) const {
    std::string message = source_ + ": " + path + ": expected " + expected;
    if (got != nullptr) message += ", got " + json_text(*got);
    throw Error(ErrorKind::bad_request, message);
  }

  const Value& object(const Value& v, const std::string& path,
                      std::initializer_list<std::string_view> known) const {
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

  // `secret`: an object or array is not quoted in the error (a key in the wrong shape, such as
  // {"primary": "sk-…"}, is still a key).
  std::string string(const Value& v, const std::string& path, bool secret = false) const {
    if (!v.IsString()) fail(path, "a string", shown(v, secret));
    return {v.GetString(), v.GetStringLength()};
  }

  std::vector<std::string> strings(const Value& v, const std::string& path,
                                   bool secret = false) const {
    if (v.IsString()) return {string(v, path, secret)};
    if (!v.IsArray()) fail(path, "a string or an array of strings", shown(v, secret));
    std::vector<std::string> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      out.push_back(string(v[i], path + "[" + std::to_string(i) + "]", secret));
    }
    return out;
  }

  long long count(const Value& v, const std::string& path) const {
    if (!v.IsInt64() || v.GetInt64() < 0) fail(path, "a non-negative integer", &v);
    return v.GetInt64();
  }

  std::chrono::milliseconds seconds(const Value& v, const std::string& path) const {
    // At most a year: longer is a mistake, and the milliseconds must fit their 64-bit count.
    constexpr double kMaxSeconds = 365.0 * 24 * 3600;
    if (!v.IsNumber() || v.GetDouble() < 0 || v.GetDouble() > kMaxSeconds) {
      fail(path, "a number of seconds from 0 to 31536000 (a year)", &v);
    }
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(v.GetDouble() * 1000)));
  }

  void check_api_base(const std::string& url, const std::string& path) const {
    core::check_api_base(url, source_ + ": " + path);
  }

  std::filesystem::path file_path(const Value& v, const std::string& path) const {
    std::filesystem::path p = string(v, path);
    return p.is_relative() && !base_dir_.empty() ? base_dir_ / p : p;
  }

 private:
  static const Value* shown(const Value& v, bool secret) {
    return secret && (v.IsObject() || v.IsArray()) ? nullptr : &v;
  }

  std::string source_;
  std::filesystem::path base_dir_;
};

MetaTemplate read_meta_template(const ConfigReader& r, const Value& v, const std::string& path) {
  if (!v.IsArray()) r.fail(path, "an array of roles", &v);
  std::vector<RoleSpec> roles;
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    std::string at = path + "[" + std::to_string(i) + "]";
    const Value& role = r.object(v[i], at, {"role", "api_role", "begin", "end", "fallback_role"});
    RoleSpec spec;
    for (const auto& m : role.GetObject()) {
      std::string key = m.name.GetString();
      std::string text = r.string(m.value, at + "." + key);
      if (key == "role") spec.role = text;
      if (key == "api_role") spec.api_role = text;
      if (key == "begin") spec.begin = text;
      if (key == "end") spec.end = text;
      if (key == "fallback_role") spec.fallback_role = text;
    }
    roles.push_back(std::move(spec));
  }
  try {
    return MetaTemplate(std::move(roles));
  } catch (const Error& e) {
    r.fail(path, std::string("a valid meta template (") + e.what() + ")");
  }
}

ModelConfig read_model(const ConfigReader& r, const Value& v, const std::string& path) {
  r.object(v, path,
           {"provider", "model", "api_base", "keys", "organizations", "retry", "timeouts", "proxy",
            "ca_file", "meta_template", "defaults", "params", "options", "limits", "encoding",
            "auth_cooldown"});
  ModelConfig c;
  if (!v.HasMember("model")) r.fail(path + ".model", "the model name (it is missing)");
  for (const auto& m : v.GetObject()) {
    std::string key = m.name.GetString();
    std::string at = path + "." + key;
    const Value& x = m.value;
    if (key == "provider") {
      c.provider = r.string(x, at);
    } else if (key == "model") {
      c.model = r.string(x, at);
    } else if (key == "api_base") {
      c.api_base = r.string(x, at, true);
      r.check_api_base(c.api_base, at);
    } else if (key == "keys") {
      c.keys = r.strings(x, at, true);
    } else if (key == "organizations") {
      c.organizations = r.strings(x, at);
    } else if (key == "retry") {
      c.retry.max_retries = static_cast<int>(std::min(r.count(x, at), 100LL));
    } else if (key == "timeouts") {
      r.object(x, at, {"connect", "read", "total"});
      for (const auto& t : x.GetObject()) {
        std::string name = t.name.GetString();
        auto value = r.seconds(t.value, at + "." + name);
        if (name == "connect") c.transport.connect_timeout = value;
        if (name == "read") c.transport.read_timeout = value;
        if (name == "total") c.transport.total_timeout = value;
      }
    } else if (key == "auth_cooldown") {
      c.auth_cooldown = r.seconds(x, at);
    } else if (key == "encoding") {
      c.encoding = r.string(x, at);
      if (tokenizer::find_encoding_spec(c.encoding) == nullptr) {
        r.fail(at, "an encoding llmrt ships (cl100k_base or o200k_base)", &x);
      }
    } else if (key == "proxy") {
      c.transport.proxy = r.string(x, at, true);
    } else if (key == "ca_file") {
      c.transport.ca_file = r.file_path(x, at).string();
    } else if (key == "meta_template") {
      c.meta_template = read_meta_template(r, x, at);
    } else if (key == "defaults") {
      auto preset = parse_param_defaults(r.string(x, at));
      if (!preset) r.fail(at, "a parameter preset (" + known_param_defaults() + ")", &x);
      c.defaults = *preset;
    } else if (key == "params") {
      if (!x.IsObject()) r.fail(at, "an object of generation parameters", &x);
      ParamOverrides overrides;
      for (const auto& p : x.GetObject()) {
        std::string name = p.name.GetString();
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        p.value.Accept(w);
        try {
          overrides.set_json(name, buffer.GetString());
        } catch (const Error& e) {
          r.fail(at + "." + name, std::string("a parameter (") + e.info().message + ")");
        }
      }
      try {
        c.params = overrides.apply(c.params);
      } catch (const Error& e) {
        r.fail(at, std::string("valid parameters (") + e.what() + ")");
      }
    } else if (key == "options") {
      if (!x.IsObject()) r.fail(at, "an object of strings", &x);
      for (const auto& o : x.GetObject()) {
        c.options[o.name.GetString()] = r.string(o.value, at + "." + o.name.GetString());
      }
    } else if (key == "limits") {
      r.object(x, at, {"max_event_bytes", "max_body_bytes", "max_stream_bytes"});
      for (const auto& l : x.GetObject()) {
        std::string name = l.name.GetString();
        auto value = static_cast<std::size_t>(r.count(l.value, at + "." + name));
        if (name == "max_event_bytes") c.limits.max_event_bytes = value;
        if (name == "max_body_bytes") c.transport.max_body_bytes = value;
        if (name == "max_stream_bytes") c.transport.max_stream_bytes = value;
      }
    }
  }
  return c;
}

}  // namespace

RuntimeConfig parse_config(std::string_view json, std::string_view source,
                           const std::filesystem::path& base_dir) {
  ConfigReader r(std::string(source), base_dir);
  // RapidJSON's parser recurses once per level: refuse deeper nesting before it starts.
  if (auto at = find_excess_nesting(json)) {
    TextPosition p = text_position(json, *at);
    throw Error(ErrorKind::bad_request, std::string(source) + ": line " + std::to_string(p.line) +
                                            ", column " + std::to_string(p.column) +
                                            ": JSON nested deeper than " +
                                            std::to_string(kMaxJsonDepth) + " levels");
  }
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    // Line and column, as an editor shows them: a byte offset is hard to find by hand.
    TextPosition p = text_position(json, doc.GetErrorOffset());
    r.fail("line " + std::to_string(p.line) + ", column " + std::to_string(p.column),
           std::string("valid JSON (") + rapidjson::GetParseError_En(doc.GetParseError()) + ")");
  }
  r.object(doc, "$", {"plugin_paths", "models"});
  RuntimeConfig config;
  if (doc.HasMember("plugin_paths")) {
    const Value& paths = doc["plugin_paths"];
    std::vector<std::string> list = r.strings(paths, "$.plugin_paths");
    for (std::size_t i = 0; i < list.size(); ++i) {
      config.plugin_paths.push_back(r.file_path(
          paths.IsArray() ? paths[static_cast<rapidjson::SizeType>(i)] : paths, "$.plugin_paths"));
    }
  }
  if (!doc.HasMember("models")) r.fail("$.models", "an object of named models (it is missing)");
  const Value& models = doc["models"];
  if (!models.IsObject()) r.fail("$.models", "an object of named models", &models);
  for (const auto& m : models.GetObject()) {
    std::string name = m.name.GetString();
    config.models.emplace(name, read_model(r, m.value, "$.models." + name));
  }
  return config;
}

RuntimeConfig load_config(const std::filesystem::path& file) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::bad_request, file.string() + ": cannot read the file");
  }
  // A directory reads as nothing, a FIFO blocks until someone writes, /dev/zero never ends.
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::bad_request, file.string() + ": not a regular file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::bad_request, file.string() + ": cannot read the file");
  // Read in pieces, not by the size the file claims: it may grow while it is read.
  std::string text;
  std::array<char, std::size_t{16} << 10> piece;
  while (in.read(piece.data(), piece.size()) || in.gcount() > 0) {
    text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      throw Error(ErrorKind::bad_request, file.string() + ": larger than " +
                                              std::to_string(kMaxConfigBytes >> 20) + " MiB");
    }
  }
  if (in.bad()) throw Error(ErrorKind::bad_request, file.string() + ": cannot read the file");
  return parse_config(text, file.string(), file.parent_path());
}

}  // namespace llmrt::core
