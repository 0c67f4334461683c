#include "llmrt/sdk/error_table.h"

#include <gtest/gtest.h>

namespace llmrt {
namespace {

using K = ErrorKind;

constexpr ErrorRule kRules[] = {
    {.code = "insufficient_quota", .kind = K::quota_exhausted},
    {.code = "Throttling*", .kind = K::rate_limited},
    {.status = 400, .message = "context length", .kind = K::context_length},
    {.status = 500, .status_max = 599, .code = "50002", .kind = K::server, .retryable = false},
    {.type = "overloaded_error", .kind = K::server, .retryable = true},
    {.status = kNoErrorStatus, .type = "invalid_request_error", .kind = K::bad_request},
};
constexpr ErrorTable kTable{kRules};

ErrorInfo classified(const ErrorFields& fields, const ErrorTable& table = kTable) {
  ErrorInfo info;
  classify(table, fields, info);
  return info;
}

TEST(ErrorTable, ExactCodeWinsOverTheStatus) {
  EXPECT_EQ(classified({.status = 429, .code = "insufficient_quota"}).kind, K::quota_exhausted);
  EXPECT_EQ(classified({.status = 429, .code = "insufficient_quota_x"}).kind, K::rate_limited);
}

TEST(ErrorTable, APatternEndingInAStarIsAPrefix) {
  EXPECT_EQ(classified({.status = 400, .code = "Throttling.User"}).kind, K::rate_limited);
  EXPECT_EQ(classified({.status = 400, .code = "Throttling"}).kind, K::rate_limited);
  EXPECT_EQ(classified({.status = 400, .code = "NoThrottling"}).kind, K::bad_request);
}

TEST(ErrorTable, MessageWordsMatchIgnoringCaseAndOnlyWithTheirStatus) {
  EXPECT_EQ(
      classified({.status = 400, .message = "This model's maximum Context Length is 8192"}).kind,
      K::context_length);
  EXPECT_EQ(classified({.status = 401, .message = "context length"}).kind, K::auth);
  EXPECT_EQ(classified({.status = 400, .message = "context"}).kind, K::bad_request);
}

TEST(ErrorTable, StatusRangeAndRetryable) {
  ErrorInfo oom = classified({.status = 503, .code = "50002"});
  EXPECT_EQ(oom.kind, K::server);
  EXPECT_EQ(oom.retryable, false);
  EXPECT_EQ(classified({.status = 400, .code = "50002"}).retryable, std::nullopt);
  EXPECT_EQ(classified({.status = 529, .type = "overloaded_error"}).retryable, true);
}

TEST(ErrorTable, TypeRulesWithoutErrorStatusStandBehindAStatus) {
  EXPECT_EQ(classified({.status = 401, .type = "invalid_request_error"}).kind, K::auth);
  EXPECT_EQ(classified({.status = 0, .type = "invalid_request_error"}).kind, K::bad_request);
  EXPECT_EQ(classified({.status = 200, .type = "invalid_request_error"}).kind, K::bad_request);
}

TEST(ErrorTable, FallbackIsTheStatusThenServerInAStreamProtocolUnder2xx) {
  EXPECT_EQ(classified({.status = 404, .code = "nope"}).kind, K::not_found);
  EXPECT_EQ(classified({.status = 0, .code = "nope"}).kind, K::server);
  EXPECT_EQ(classified({.status = 200, .code = "nope"}).kind, K::protocol);
  ErrorInfo info;
  classify(kTable, {.status = 200}, info, K::bad_request);
  EXPECT_EQ(info.kind, K::bad_request);
}

TEST(ErrorTable, FirstMatchWinsAcrossContinuedTables) {
  constexpr ErrorRule kMine[] = {{.code = "insufficient_quota", .kind = K::auth}};
  const ErrorTable mine{kMine, &kTable};
  EXPECT_EQ(classified({.status = 429, .code = "insufficient_quota"}, mine).kind, K::auth);
  EXPECT_EQ(classified({.status = 429, .code = "Throttling.X"}, mine).kind, K::rate_limited);
  EXPECT_EQ(find_error_rule(mine, {.status = 418}), nullptr);
}

TEST(ErrorTable, ReadsTheUsualErrorBodies) {
  HttpResponse openai{429,
                      {{"X-Request-Id", "req_1"}},
                      R"({"error":{"message":"You exceeded your quota","type":"insufficient_quota",
                          "param":null,"code":"insufficient_quota"}})"};
  ErrorInfo info = error_from_response(openai, kTable);
  EXPECT_EQ(info.kind, K::quota_exhausted);
  EXPECT_EQ(info.http_status, 429);
  EXPECT_EQ(info.code, "insufficient_quota");
  EXPECT_EQ(info.message, "You exceeded your quota");
  EXPECT_EQ(info.request_id, "req_1");

  // Anthropic: the type is the code, the id header is request-id.
  info = error_from_response(
      {529,
       {{"request-id", "req_2"}},
       R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"},
      kTable);
  EXPECT_EQ(info.code, "overloaded_error");
  EXPECT_EQ(info.retryable, true);
  EXPECT_EQ(info.request_id, "req_2");

  // DashScope native: top level, its own request id.
  info = error_from_response(
      {400, {}, R"({"code":"Throttling.RateQuota","message":"Requests rate limit exceeded",
                   "request_id":"ds-1"})"},
      kTable);
  EXPECT_EQ(info.kind, K::rate_limited);
  EXPECT_EQ(info.code, "Throttling.RateQuota");
  EXPECT_EQ(info.request_id, "ds-1");

  // {"error": "text"}, a number as the code, an HTML page, nothing.
  info = error_from_response({503, {}, R"({"error":"upstream gone"})"}, kTable);
  EXPECT_EQ(info.message, "upstream gone");
  EXPECT_EQ(info.kind, K::server);
  info = error_from_response({500, {}, R"({"error":{"message":"OOM","code":50002}})"}, kTable);
  EXPECT_EQ(info.code, "50002");
  EXPECT_EQ(info.retryable, false);
  info = error_from_response({502, {}, "<html>\n<body>Bad   Gateway</body></html>"}, kTable);
  EXPECT_EQ(info.message, "<html> <body>Bad Gateway</body></html>");
  EXPECT_EQ(info.kind, K::server);
  info = error_from_response({429, {}, ""}, kTable);
  EXPECT_EQ(info.message, "HTTP 429");
  EXPECT_EQ(info.kind, K::rate_limited);
}

TEST(ErrorTable, AnErrorObjectsOwnStatusCountsUnderA2xx) {
  std::optional<json::Document> doc = json::Document::try_parse(
      R"({"object":"error","message":"too many","type":"BadRequestError","status_code":429})");
  ASSERT_TRUE(doc);
  EXPECT_EQ(error_from_json(doc->root(), kTable).kind, K::rate_limited);
  doc = json::Document::try_parse(R"({"message":"no such model","code":404})");
  EXPECT_EQ(error_from_json(doc->root(), kTable, 200).kind, K::not_found);
  // A real error status is not overridden by the object's.
  doc = json::Document::try_parse(R"({"message":"x","status_code":429})");
  EXPECT_EQ(error_from_json(doc->root(), kTable, 500).kind, K::server);
}

}  // namespace
}  // namespace llmrt
