#include <gtest/gtest.h>

#include "llmrt/sdk/http.h"

namespace llmrt {
namespace {

TEST(ResolveEndpoint, AddsThePathOnceWhereverTheBaseEnds) {
  EXPECT_EQ(resolve_endpoint("http://127.0.0.1:8080/v1", "chat/completions"),
            "http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(resolve_endpoint("http://127.0.0.1:8080/v1///", "chat/completions"),
            "http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(resolve_endpoint("http://127.0.0.1:8080/v1/chat/completions", "chat/completions"),
            "http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(resolve_endpoint("http://h", "messages"), "http://h/messages");
  EXPECT_EQ(resolve_endpoint("", "messages"), "/messages");
}

// A fragment is never sent (RFC 9112 §3.2): dropped, so that a query a plugin appends (Gemini's
// alt=sse) is not put after it, where it would be lost with it.
TEST(ResolveEndpoint, AQueryStaysAtTheEndAndAFragmentIsDropped) {
  EXPECT_EQ(
      resolve_endpoint("https://r.example/openai/deployments/d?api-version=1", "chat/completions"),
      "https://r.example/openai/deployments/d/chat/completions?api-version=1");
  EXPECT_EQ(resolve_endpoint("https://r.example/v1/?a=1#f", "chat/completions"),
            "https://r.example/v1/chat/completions?a=1");
  EXPECT_EQ(resolve_endpoint("https://r.example/v1#f?x", "chat/completions"),
            "https://r.example/v1/chat/completions");
  EXPECT_EQ(resolve_endpoint("https://r.example/v1/chat/completions?x", "chat/completions"),
            "https://r.example/v1/chat/completions?x");
}

}  // namespace
}  // namespace llmrt
