#include "config/model_reader.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "config/health_reader.h"
#include "config/limits_reader.h"
#include "config/price_reader.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/error.h"
#include "tokenizer/encoding_specs.h"

namespace llmrt::core {
namespace {

using Value = ConfigReader::Value;

MetaTemplate read_meta_template(const ConfigReader& r, const Value& v, const std::string& path) {
  // An empty one would know no role at all and refuse every conversation.
  if (!v.IsArray() || v.Empty()) r.fail(path, "an array of at least one role", &v);
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

GenParams read_params(const ConfigReader& r, const Value& v, const std::string& path,
                      const GenParams& base) {
  if (!v.IsObject()) r.fail(path, "an object of generation parameters", &v);
  ParamOverrides overrides;
  for (const auto& p : v.GetObject()) {
    std::string name = p.name.GetString();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    p.value.Accept(w);
    try {
      overrides.set_json(name, buffer.GetString());
    } catch (const Error& e) {
      r.fail(path + "." + name, std::string("a parameter (") + e.info().message + ")");
    }
  }
  try {
    return overrides.apply(base);
  } catch (const Error& e) {
    r.fail(path, std::string("valid parameters (") + e.what() + ")");
  }
}

}  // namespace

ModelConfig read_model(const ConfigReader& r, const Value& v, const std::string& name,
                       const std::string& path) {
  r.object(v, path,
           {"provider", "model", "api_base", "keys", "organizations", "retry", "timeouts", "proxy",
            "ca_file", "meta_template", "defaults", "params", "options", "limits", "encoding",
            "auth_cooldown", "price", "health"});
  ModelConfig c;
  c.name = name;
  r.required(v, "model", path, "the model name");
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
      if (c.keys.empty()) {
        // No key would mean the provider's variable, which the file did not ask for.
        r.fail(at, "at least one key (\"ENV\" for the provider's variable)", &x);
      }
    } else if (key == "organizations") {
      c.organizations = r.strings(x, at, true);  // an object given here may hold a key
    } else if (key == "retry") {
      c.retry.max_retries = static_cast<int>(std::min(r.count(x, at), 100LL));
    } else if (key == "timeouts") {
      r.object(x, at, {"connect", "read", "total"});
      for (const auto& t : x.GetObject()) {
        std::string timeout = t.name.GetString();
        // A connect or read limit of 0 would fail every call; a total of 0 is none.
        auto value = timeout == "total" ? r.seconds(t.value, at + "." + timeout)
                                        : r.positive_seconds(t.value, at + "." + timeout, 31536000);
        if (timeout == "connect") c.transport.connect_timeout = value;
        if (timeout == "read") c.transport.read_timeout = value;
        if (timeout == "total") c.transport.total_timeout = value;
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
      r.check_proxy(c.transport.proxy, at);
    } else if (key == "ca_file") {
      c.transport.ca_file = r.file_path(x, at).string();
    } else if (key == "meta_template") {
      c.meta_template = read_meta_template(r, x, at);
    } else if (key == "defaults") {
      auto preset = parse_param_defaults(r.string(x, at));
      if (!preset) r.fail(at, "a parameter preset (" + known_param_defaults() + ")", &x);
      c.defaults = *preset;
    } else if (key == "params") {
      c.params = read_params(r, x, at, c.params);
    } else if (key == "options") {
      if (!x.IsObject()) r.fail(at, "an object of strings", &x);
      for (const auto& o : x.GetObject()) {
        c.options[o.name.GetString()] = r.string(o.value, at + "." + o.name.GetString());
      }
    } else if (key == "limits") {
      read_limits(r, x, at, c);
    } else if (key == "price") {
      c.price = read_price(r, x, at);
    } else if (key == "health") {
      c.health = read_health(r, x, at);
    }
  }
  return c;
}

}  // namespace llmrt::core
