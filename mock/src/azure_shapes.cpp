#include "azure_shapes.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <array>

namespace llmrt::mock::azure {
namespace {

constexpr std::array<const char*, 4> kHarmCategories{"hate", "self_harm", "sexual", "violence"};

void category(Writer& w, const char* name, bool filtered, const char* severity) {
  w.Key(name);
  w.StartObject();
  w.Key("filtered");
  w.Bool(filtered);
  w.Key("severity");
  w.String(severity);
  w.EndObject();
}

// The categories of one result object: the four harm categories, and for prompts the
// jailbreak check.
void categories(Writer& w, bool violence_filtered, bool with_jailbreak) {
  w.StartObject();
  for (const char* name : kHarmCategories) {
    const bool filtered = violence_filtered && std::string_view(name) == "violence";
    category(w, name, filtered, filtered ? "medium" : "safe");
  }
  if (with_jailbreak) {
    w.Key("jailbreak");
    w.StartObject();
    w.Key("filtered");
    w.Bool(false);
    w.Key("detected");
    w.Bool(false);
    w.EndObject();
  }
  w.EndObject();
}

bool has_query_parameter(const std::string& uri, const std::string& name) {
  try {
    for (const auto& [key, value] : Poco::URI(uri).getQueryParameters()) {
      if (key == name && !value.empty()) return true;
    }
  } catch (const Poco::Exception&) {
    // A query Poco cannot decode has no usable api-version either.
  }
  return false;
}

std::string message_body(int status, const std::string& message) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  const std::string code = std::to_string(status);
  w.String(code.c_str());
  w.Key("message");
  w.String(message.c_str());
  w.EndObject();
  w.EndObject();
  return b.GetString();
}

}  // namespace

std::optional<Refusal> refusal(const RecordedRequest& request) {
  if (!has_query_parameter(request.uri, "api-version")) {
    return Refusal{404, message_body(404, "Resource not found")};
  }
  const std::string* key = find_header(request.headers, "api-key");
  if (key == nullptr || key->empty()) {
    return Refusal{401, message_body(401,
                                     "Access denied due to invalid subscription key or wrong "
                                     "API endpoint. Make sure to provide a valid key for an "
                                     "active subscription and use a correct regional API "
                                     "endpoint for your resource.")};
  }
  return std::nullopt;
}

std::string error_body(int status, const std::string& code) {
  if (code != "content_filter") {
    return message_body(status, "mock Azure OpenAI error for HTTP " + std::to_string(status));
  }
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  w.String(
      "The response was filtered due to the prompt triggering Azure OpenAI's content "
      "management policy. Please modify your prompt and retry.");
  w.Key("type");
  w.Null();
  w.Key("param");
  w.String("prompt");
  w.Key("code");
  w.String("content_filter");
  w.Key("status");
  w.Int(status);
  w.Key("innererror");
  w.StartObject();
  w.Key("code");
  w.String("ResponsibleAIPolicyViolation");
  w.Key("content_filter_result");
  categories(w, true, true);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return b.GetString();
}

void content_filter_results(Writer& w, bool filtered) {
  w.Key("content_filter_results");
  categories(w, filtered, false);
}

void prompt_filter_results(Writer& w) {
  w.Key("prompt_filter_results");
  w.StartArray();
  w.StartObject();
  w.Key("prompt_index");
  w.Int(0);
  w.Key("content_filter_results");
  categories(w, false, true);
  w.EndObject();
  w.EndArray();
}

std::string prompt_filter_event() {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("choices");
  w.StartArray();
  w.EndArray();
  w.Key("created");
  w.Int(0);
  w.Key("id");
  w.String("");
  w.Key("model");
  w.String("");
  w.Key("object");
  w.String("");
  prompt_filter_results(w);
  w.EndObject();
  return "data: " + std::string(b.GetString(), b.GetSize()) + "\n\n";
}

}  // namespace llmrt::mock::azure
