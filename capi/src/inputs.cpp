#include "inputs.h"

#include <optional>
#include <string>

#include "handles.h"
#include "llmrt/core/messages_json.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/snippet.h"

namespace llmrt::c_api {

std::vector<Message> read_messages(const char* messages_json, const std::string& where) {
  return core::parse_messages_json(messages_json, where);
}

core::ParamOverrides read_params(const char* params_json, const std::string& where) {
  core::ParamOverrides overrides;
  if (params_json == nullptr) return overrides;
  std::string error;
  std::optional<json::Document> doc = json::Document::try_parse(params_json, &error);
  if (!doc) throw Error(ErrorKind::bad_request, where + ": " + error);
  json::Value root = doc->root();
  if (!root.is_object()) {
    throw Error(ErrorKind::bad_request,
                where + ": expected a JSON object of parameters, got " + snippet(root.raw(), 80));
  }
  for (const auto& [key, value] : root.members()) {
    try {
      overrides.set_json(std::string(key), std::string(value.raw()));
    } catch (const Error& e) {
      // set_json names the parameter; the caller learns which argument held it.
      throw Error(e.kind(), where + ": " + e.info().message);
    }
  }
  return overrides;
}

core::CallControl read_control(llmrt_cancel* cancel) {
  core::CallControl control;
  if (cancel != nullptr) control.cancel = cancel->token;
  return control;
}

}  // namespace llmrt::c_api
