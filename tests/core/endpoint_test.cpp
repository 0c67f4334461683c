// parse_endpoint keeps the URL a thread parsed last: whatever the order of URLs, good and bad,
// each gets its own parts or its own error.
#include <gtest/gtest.h>

#include "http/endpoint.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

TEST(Endpoint, EachUrlGetsItsOwnPartsWhateverCameBefore) {
  for (int round = 0; round < 2; ++round) {
    Endpoint a = parse_endpoint("http://127.0.0.1:8080/v1/chat/completions");
    EXPECT_FALSE(a.https);
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, 8080);
    EXPECT_EQ(a.target, "/v1/chat/completions");
    EXPECT_THROW(parse_endpoint("ftp://127.0.0.1/x"), Error);
    Endpoint b = parse_endpoint("https://[::1]/v1?api-version=1");
    EXPECT_TRUE(b.https);
    EXPECT_EQ(b.host, "::1");
    EXPECT_EQ(b.port, 443);
    EXPECT_EQ(b.target, "/v1?api-version=1");
    EXPECT_EQ(parse_endpoint("https://[::1]/v1?api-version=1").pool_key(), b.pool_key());
    EXPECT_THROW(parse_endpoint("http:///no-host"), Error);
    EXPECT_THROW(parse_endpoint("http:///no-host"), Error);  // a bad URL is never kept
  }
}

// A call keeps the parse it was given while the thread's next calls go elsewhere; calls to the
// same URL in a row share one, with its pool key.
TEST(Endpoint, AKeptParseOutlivesTheThreadsNextUrls) {
  auto first = keyed_endpoint("http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(first->key, "http://127.0.0.1:8080");
  EXPECT_EQ(first->key, first->endpoint.pool_key());
  EXPECT_EQ(keyed_endpoint("http://127.0.0.1:8080/v1/chat/completions"), first);
  auto other = keyed_endpoint("https://[::1]/v1");
  EXPECT_EQ(other->key, "https://::1:443");
  EXPECT_NE(other, first);
  EXPECT_THROW(keyed_endpoint("no scheme"), Error);
  EXPECT_EQ(keyed_endpoint("https://[::1]/v1"), other);  // a bad URL is not kept
  EXPECT_EQ(first->endpoint.target, "/v1/chat/completions");
  EXPECT_EQ(first->endpoint.port, 8080);
}

}  // namespace
}  // namespace llmrt::core
