// Azure OpenAI through the real openai plugin, by configuration alone: the deployment URL, the
// api-version query parameter, the api-key header, and the content filter's refusals.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& azure_plugin() {
  static auto p = test::load_plugin("openai");
  return *p;
}

ChatRequest azure(std::string api_base, std::map<std::string, std::string> options = {}) {
  ChatRequest r;
  r.model = "gpt-4o";
  r.api_base = std::move(api_base);
  r.options = std::move(options);
  r.messages = {{.role = "user", .content = "hi"}};
  return r;
}

HttpRequest build_azure(const ChatRequest& r) {
  return azure_plugin().build_request(r, {"azure-key-0001", ""});
}

std::string message_of(const ChatRequest& r) {
  try {
    build_azure(r);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "expected an error";
  return {};
}

constexpr const char* kResource = "https://res.openai.azure.com";

TEST(AzureRequest, ApiVersionGoesInTheQueryAndTheKeyInTheApiKeyHeader) {
  HttpRequest http = build_azure(
      azure(std::string(kResource) + "/openai/deployments/prod", {{"api_version", "2024-10-21"}}));
  EXPECT_EQ(http.url, std::string(kResource) +
                          "/openai/deployments/prod/chat/completions?api-version=2024-10-21");
  ASSERT_NE(find_header(http.headers, "api-key"), nullptr);
  EXPECT_EQ(*find_header(http.headers, "api-key"), "azure-key-0001");
  EXPECT_EQ(find_header(http.headers, "Authorization"), nullptr);
}

TEST(AzureRequest, TheDeploymentOptionBuildsTheUrlFromTheResourceEndpoint) {
  HttpRequest http = build_azure(
      azure(std::string(kResource) + "/", {{"deployment", "prod"}, {"api_version", "2024-10-21"}}));
  EXPECT_EQ(http.url, std::string(kResource) +
                          "/openai/deployments/prod/chat/completions?api-version=2024-10-21");
}

TEST(AzureRequest, AnAzureShapedApiBaseAloneMeansTheApiKeyHeader) {
  // The full URL with its query, as the Azure portal shows it: no option needed.
  HttpRequest http = build_azure(azure(
      std::string(kResource) + "/openai/deployments/prod/chat/completions?api-version=2024-02-01"));
  EXPECT_EQ(http.url, std::string(kResource) +
                          "/openai/deployments/prod/chat/completions?api-version=2024-02-01");
  EXPECT_NE(find_header(http.headers, "api-key"), nullptr);
  EXPECT_EQ(find_header(http.headers, "Authorization"), nullptr);
  // The same api-version as an option too is no conflict, and is not sent twice.
  http =
      build_azure(azure(std::string(kResource) + "/openai/deployments/prod?api-version=2024-02-01",
                        {{"api_version", "2024-02-01"}}));
  EXPECT_EQ(http.url, std::string(kResource) +
                          "/openai/deployments/prod/chat/completions?api-version=2024-02-01");
}

TEST(AzureRequest, AuthChoosesTheHeaderWhateverTheUrl) {
  // Entra ID tokens go as a bearer token to the same deployment URLs.
  HttpRequest http = build_azure(azure(std::string(kResource) + "/openai/deployments/prod",
                                       {{"api_version", "2024-10-21"}, {"auth", "bearer"}}));
  EXPECT_EQ(*find_header(http.headers, "Authorization"), "Bearer azure-key-0001");
  EXPECT_EQ(find_header(http.headers, "api-key"), nullptr);
  // And a gateway that wants api-key on an OpenAI-style path.
  http = build_azure(azure("https://gateway.internal/v1", {{"auth", "api-key"}}));
  EXPECT_EQ(http.url, "https://gateway.internal/v1/chat/completions");
  EXPECT_EQ(*find_header(http.headers, "api-key"), "azure-key-0001");
}

TEST(AzureRequest, PlainOpenAiStaysBearer) {
  HttpRequest http = build_azure(azure("https://api.openai.com/v1"));
  EXPECT_EQ(*find_header(http.headers, "Authorization"), "Bearer azure-key-0001");
  EXPECT_EQ(find_header(http.headers, "api-key"), nullptr);
}

TEST(AzureRequest, UnusableValuesAreRefusedNamingTheOption) {
  // Anything that would end the path segment or the query value, or need escaping.
  for (const char* bad : {"", "2024-10-21&x=1", "a/b", "v 1", "v#1", "x%2F"}) {
    EXPECT_NE(message_of(azure(kResource, {{"api_version", bad}})).find("option api_version"),
              std::string::npos)
        << bad;
    EXPECT_NE(message_of(azure(kResource, {{"deployment", bad}})).find("option deployment"),
              std::string::npos)
        << bad;
  }
  EXPECT_NE(message_of(azure(kResource, {{"api_version", std::string(200, 'a')}})).find("1 to 128"),
            std::string::npos);
  EXPECT_NE(message_of(azure(kResource, {{"auth", "Bearer"}})).find("expected api-key or bearer"),
            std::string::npos);
}

TEST(AzureRequest, ContradictionsAreRefused) {
  std::string message = message_of(azure(
      std::string(kResource) + "/openai/deployments/a?api-version=1", {{"api_version", "2"}}));
  EXPECT_NE(message.find("disagree"), std::string::npos) << message;
  message =
      message_of(azure(std::string(kResource) + "/openai/deployments/a", {{"deployment", "b"}}));
  EXPECT_NE(message.find("give the resource endpoint"), std::string::npos) << message;
}

TEST(AzureErrors, ContentFilterRefusalNamesTheFilteredCategories) {
  // Azure's 400 for a prompt its filter refused (recorded: tests/data/openai/azure_*).
  HttpResponse r{400, {}, R"({"error":{"message":"The response was filtered.","type":null,
    "param":"prompt","code":"content_filter","status":400,"innererror":{
    "code":"ResponsibleAIPolicyViolation","content_filter_result":{
    "hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":true,"detected":true},
    "self_harm":{"filtered":true,"severity":"medium"}}}}})"};
  ErrorInfo info = azure_plugin().classify_error(r);
  EXPECT_EQ(info.kind, ErrorKind::content_filter);
  EXPECT_EQ(info.code, "content_filter");
  EXPECT_EQ(info.message,
            "The response was filtered. [filtered: jailbreak (detected), self_harm (medium)]");
}

TEST(AzureErrors, AHostileFilterResultStaysBounded) {
  std::string results;
  for (int i = 0; i < 1000; ++i) {
    results += (i ? "," : "") + std::string("\"c") + std::to_string(i) + std::string(500, 'x') +
               "\":{\"filtered\":true,\"severity\":\"" + std::string(500, 's') + "\"}";
  }
  HttpResponse r{
      400,
      {},
      R"({"error":{"message":"m","code":"content_filter","innererror":{"content_filter_result":{)" +
          results + "}}}}"};
  ErrorInfo info = azure_plugin().classify_error(r);
  EXPECT_EQ(info.kind, ErrorKind::content_filter);
  EXPECT_LT(info.message.size(), 2000u);
  EXPECT_NE(info.message.find(", …]"), std::string::npos);
  // Wrong types are no categories, and no crash.
  r.body =
      R"({"error":{"code":"content_filter","innererror":{"content_filter_result":[1,{"filtered":true}]}}})";
  EXPECT_EQ(azure_plugin().classify_error(r).kind, ErrorKind::content_filter);
  r.body = R"({"error":{"code":"content_filter","innererror":"x"}})";
  EXPECT_EQ(azure_plugin().classify_error(r).kind, ErrorKind::content_filter);
}

}  // namespace
}  // namespace llmrt
