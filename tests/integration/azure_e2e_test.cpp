// Azure OpenAI by configuration, end to end: the real openai plugin, real HTTP to the mock
// server's Azure deployment route, which refuses a request without api-version or api-key as
// Azure does and streams Azure's content-filter results.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

constexpr const char* kDeploymentPath = "/openai/deployments/gpt4o-prod";
constexpr const char* kRequestUri =
    "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21";

class Azure : public test::EndToEnd {
 protected:
  core::ModelConfig azure_config() const {
    core::ModelConfig c = config();
    c.model = "gpt-4o";
    c.api_base = server_.base_url() + kDeploymentPath;
    c.keys = {"azure-key-0001"};
    c.options = {{"api_version", "2024-10-21"}};
    return c;
  }
  void expect_azure_request() const {
    mock::RecordedRequest req = server_.last_request();
    EXPECT_EQ(req.uri, kRequestUri);
    ASSERT_NE(find_header(req.headers, "api-key"), nullptr);
    EXPECT_EQ(*find_header(req.headers, "api-key"), "azure-key-0001");
    EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
  }
  static mock::Scenario filtered() {
    mock::Scenario s;
    s.content = "The duel ended when";
    s.finish_reason = "content_filter";
    return s;
  }
};

TEST_F(Azure, StreamsThroughTheFilterResultsToTheDeploymentUrl) {
  core::ChatStream stream = runtime_.model(azure_config()).stream_chat(hello_);
  std::string text;
  for (const auto& chunk : stream) text += chunk.delta;
  EXPECT_EQ(text, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  ASSERT_TRUE(stream.result().usage);
  expect_azure_request();
}

TEST_F(Azure, WholeReply) {
  ChatResult result = runtime_.model(azure_config()).chat(hello_);
  EXPECT_EQ(result.content, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(result), "stop");
  expect_azure_request();
}

TEST_F(Azure, TheDeploymentCanBeAnOptionBesideTheResourceEndpoint) {
  core::ModelConfig c = azure_config();
  c.api_base = server_.base_url();
  c.options["deployment"] = "gpt4o-prod";
  EXPECT_EQ(runtime_.model(c).chat(hello_).content, mock::Scenario{}.full_content());
  expect_azure_request();
}

TEST_F(Azure, ContentFilterFinishKeepsThePartialReply) {
  server_.push(filtered());
  core::ChatStream stream = runtime_.model(azure_config()).stream_chat(hello_);
  std::string text;
  for (const auto& chunk : stream) text += chunk.delta;
  EXPECT_EQ(text, "The duel ended when");
  EXPECT_EQ(finish_reason_name(stream.result()), "content_filter");

  server_.push(filtered());
  ChatResult whole = runtime_.model(azure_config()).chat(hello_);
  EXPECT_EQ(whole.content, "The duel ended when");
  EXPECT_EQ(finish_reason_name(whole), "content_filter");
}

TEST_F(Azure, ContentFilterErrorNamesTheCategoryAndIsNotRetried) {
  core::ModelConfig c = azure_config();
  c.retry.max_retries = 2;
  for (bool stream : {false, true}) {
    server_.clear_requests();
    mock::Scenario refused;
    refused.status = 400;
    refused.error_code = "content_filter";
    server_.push(refused);
    try {
      if (stream) {
        for (const auto& chunk : runtime_.model(c).stream_chat(hello_)) (void)chunk;
      } else {
        runtime_.model(c).chat(hello_);
      }
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::content_filter) << e.what();
      EXPECT_EQ(e.info().http_status, 400);
      EXPECT_NE(std::string(e.what()).find("[filtered: violence (medium)]"), std::string::npos)
          << e.what();
    }
    EXPECT_EQ(server_.requests().size(), 1u);
  }
}

TEST_F(Azure, WithoutApiVersionAzureFindsNoResource) {
  core::ModelConfig c = azure_config();
  c.options.clear();
  c.options["auth"] = "api-key";
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found) << e.what();
    EXPECT_NE(std::string(e.what()).find("Resource not found"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server_.last_request().uri, "/openai/deployments/gpt4o-prod/chat/completions");
}

TEST_F(Azure, ABearerKeyIsRefusedAsAzureRefusesIt) {
  core::ModelConfig c = azure_config();
  c.options["auth"] = "bearer";
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth) << e.what();
    EXPECT_NE(std::string(e.what()).find("Access denied"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("azure-key-0001"), std::string::npos) << e.what();
  }
  EXPECT_EQ(*find_header(server_.last_request().headers, "Authorization"), "Bearer azure-key-0001");
}

}  // namespace
}  // namespace llmrt
