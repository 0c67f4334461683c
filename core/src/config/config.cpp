#include "llmrt/core/config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <string_view>

#include "config/config_reader.h"
#include "config/model_reader.h"
#include "config/route_check.h"
#include "config/route_reader.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"

namespace llmrt::core {

std::string known_names(const RuntimeConfig& config) {
  std::string models;
  for (const auto& [name, m] : config.models) models += (models.empty() ? "" : ", ") + name;
  std::string routes;
  for (const auto& [name, r] : config.routes) routes += (routes.empty() ? "" : ", ") + name;
  return "models: " + (models.empty() ? std::string("none") : models) +
         (routes.empty() ? std::string() : "; routes: " + routes);
}

namespace {

// A member name given twice in one object: JSON parsers keep the first or the last, so one of
// the two models (or settings) would be dropped without a word. Nesting is bounded above.
void refuse_repeated_names(const ConfigReader& r, const rapidjson::Value& v,
                           const std::string& path) {
  if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      refuse_repeated_names(r, v[i], path + "[" + std::to_string(i) + "]");
    }
    return;
  }
  if (!v.IsObject()) return;
  std::set<std::string_view> seen;
  for (const auto& m : v.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!seen.insert(name).second) {
      r.fail_name(path, "each name once (one of the two would be dropped)", name);
    }
    refuse_repeated_names(r, m.value, path + "." + std::string(name));
  }
}

// The JSON text as a document, or Error (bad_request) naming `source` and the line and column.
void parse_document(const ConfigReader& r, std::string_view json, std::string_view source,
                    rapidjson::Document& doc) {
  // RapidJSON's parser recurses once per level: refuse deeper nesting before it starts.
  if (auto at = find_excess_nesting(json)) {
    TextPosition p = text_position(json, *at);
    throw Error(ErrorKind::bad_request, std::string(source) + ": line " + std::to_string(p.line) +
                                            ", column " + std::to_string(p.column) +
                                            ": JSON nested deeper than " +
                                            std::to_string(kMaxJsonDepth) + " levels");
  }
  // Every string UTF-8: a model name or an API base of other bytes would go out as U+FFFD.
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    // Line and column, as an editor shows them: a byte offset is hard to find by hand.
    TextPosition p = text_position(json, doc.GetErrorOffset());
    r.fail("line " + std::to_string(p.line) + ", column " + std::to_string(p.column),
           std::string("valid JSON (") + rapidjson::GetParseError_En(doc.GetParseError()) + ")");
  }
  refuse_repeated_names(r, doc, "$");
}

}  // namespace

ModelConfig parse_model_config(std::string_view json, std::string_view source,
                               const std::filesystem::path& base_dir) {
  ConfigReader r(std::string(source), base_dir);
  rapidjson::Document doc;
  parse_document(r, json, source, doc);
  return read_model(r, doc, "", "$");
}

RuntimeConfig parse_config(std::string_view json, std::string_view source,
                           const std::filesystem::path& base_dir) {
  ConfigReader r(std::string(source), base_dir);
  rapidjson::Document doc;
  parse_document(r, json, source, doc);
  r.object(doc, "$", {"plugin_paths", "models", "routes"});
  RuntimeConfig config;
  config.source = std::string(source);
  if (doc.HasMember("plugin_paths")) {
    const rapidjson::Value& paths = doc["plugin_paths"];
    std::vector<std::string> list = r.strings(paths, "$.plugin_paths");
    for (std::size_t i = 0; i < list.size(); ++i) {
      config.plugin_paths.push_back(r.file_path(
          paths.IsArray() ? paths[static_cast<rapidjson::SizeType>(i)] : paths, "$.plugin_paths"));
    }
  }
  if (!doc.HasMember("models")) r.fail("$.models", "an object of named models (it is missing)");
  const rapidjson::Value& models = doc["models"];
  if (!models.IsObject()) r.fail("$.models", "an object of named models", &models);
  for (const auto& m : models.GetObject()) {
    std::string name = m.name.GetString();
    config.models.emplace(name, read_model(r, m.value, name, "$.models." + name));
  }
  if (doc.HasMember("routes")) {
    const rapidjson::Value& routes = doc["routes"];
    if (!routes.IsObject()) r.fail("$.routes", "an object of named routes", &routes);
    for (const auto& m : routes.GetObject()) {
      std::string name = m.name.GetString();
      config.routes.emplace(name, read_route(r, m.value, "$.routes." + name));
    }
    check_routes(r, config);
  }
  return config;
}

RuntimeConfig load_config(const std::filesystem::path& file) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::bad_request,
                file.string() + ": cannot read the file (" +
                    (error ? error.message() : std::string("no such file or directory")) + ")");
  }
  // A directory reads as nothing, a FIFO blocks until someone writes, /dev/zero never ends.
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::bad_request, file.string() + ": not a regular file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::bad_request,
                file.string() + ": cannot read the file (" + std::strerror(errno) + ")");
  }
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
