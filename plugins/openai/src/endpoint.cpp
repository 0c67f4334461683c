#include "endpoint.h"

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/snippet.h"
#include "llmrt/sdk/string_map.h"

namespace llmrt::plugins::openai {
namespace {

constexpr std::string_view kDeployments = "/openai/deployments/";
constexpr std::size_t kMaxValueBytes = 128;

const std::string* option(const ChatRequest& request, std::string_view name) {
  return find_entry(request.options, name);
}

// A value that goes into the URL as it is: no character that would end a path segment or a
// query value, or need escaping. Azure's deployment names and API versions are of this kind.
void check_url_safe(const char* name, std::string_view value) {
  bool ok = !value.empty() && value.size() <= kMaxValueBytes;
  for (char c : value) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    ok = ok && (alnum || c == '-' || c == '_' || c == '.');
  }
  if (!ok) {
    throw Error(ErrorKind::bad_request,
                std::string("option ") + name + " '" + snippet(value, 60) +
                    "': expected 1 to 128 letters, digits, '-', '_' or '.'");
  }
}

// The value of `name` in the query of `url` ("" when absent or empty), and whether it is there.
bool query_value(std::string_view url, std::string_view name, std::string_view& value) {
  std::size_t at = url.find('?');
  if (at == std::string_view::npos) return false;
  std::string_view rest = url.substr(at + 1, url.find('#', at) - at - 1);
  while (!rest.empty()) {
    std::string_view pair = rest.substr(0, rest.find('&'));
    rest.remove_prefix(std::min(pair.size() + 1, rest.size()));
    if (pair.substr(0, pair.find('=')) != name) continue;
    value = pair.find('=') == std::string_view::npos ? "" : pair.substr(pair.find('=') + 1);
    return true;
  }
  return false;
}

std::string with_deployment(std::string_view base, const std::string& deployment) {
  if (base.find(kDeployments) != std::string_view::npos) {
    throw Error(ErrorKind::bad_request,
                "option deployment '" + deployment + "' with an api base that names one ('" +
                    snippet(base, 120) + "'): give the resource endpoint as the api base");
  }
  std::size_t query_at = base.find_first_of("?#");
  std::string_view query = query_at == std::string_view::npos ? "" : base.substr(query_at);
  base = base.substr(0, query_at);
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  std::string url(base);
  ((url += kDeployments) += deployment) += query;
  return url;
}

void add_api_version(std::string& url, const std::string& version) {
  std::string_view given;
  if (query_value(url, "api-version", given)) {
    if (given == version) return;
    throw Error(ErrorKind::bad_request, "option api_version '" + version +
                                            "' and the api base's api-version '" +
                                            snippet(given, 60) + "' disagree: give one");
  }
  // Before a fragment, should an api base carry one.
  std::size_t end = std::min(url.find('#'), url.size());
  std::string param = url.find('?') < end ? "&" : "?";
  (param += "api-version=") += version;
  url.insert(end, param);
}

bool api_key_auth(const ChatRequest& request, const std::string& url) {
  if (const std::string* auth = option(request, "auth")) {
    if (*auth == "api-key") return true;
    if (*auth == "bearer") return false;
    throw Error(ErrorKind::bad_request,
                "option auth '" + snippet(*auth, 60) + "': expected api-key or bearer");
  }
  std::string_view version;
  return option(request, "api_version") != nullptr || option(request, "deployment") != nullptr ||
         query_value(url, "api-version", version) ||
         std::string_view(url).substr(0, url.find('?')).find(kDeployments) !=
             std::string_view::npos;  // a view: a string's substr is a copy
}

}  // namespace

Endpoint endpoint_for(const ChatRequest& request, std::string_view default_api_base) {
  std::string_view base = request.api_base.empty() ? default_api_base : request.api_base;
  std::string with_name;  // the base with the deployment's path, when an option names one
  if (const std::string* deployment = option(request, "deployment")) {
    check_url_safe("deployment", *deployment);
    with_name = with_deployment(base, *deployment);
    base = with_name;
  }
  Endpoint endpoint{.url = resolve_endpoint(base, "chat/completions")};
  if (const std::string* version = option(request, "api_version")) {
    check_url_safe("api_version", *version);
    add_api_version(endpoint.url, *version);
  }
  endpoint.api_key_header = api_key_auth(request, endpoint.url);
  return endpoint;
}

void use_api_key_header(HttpRequest& http, std::string_view key) {
  for (auto& [name, value] : http.headers) {
    if (name == "Authorization") {
      name = "api-key";
      value = key;
    }
  }
}

}  // namespace llmrt::plugins::openai
