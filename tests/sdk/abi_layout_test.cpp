// The layout fingerprint describes the types as the compiler lays them out, and lists every
// type the plugin boundary carries.
#include "llmrt/sdk/abi_layout.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace llmrt {
namespace {

const llmrt_layout_type* find_type(const char* name) {
  for (std::uint64_t i = 0; i < kSdkLayout.type_count; ++i) {
    if (std::strcmp(kSdkLayout.types[i].name, name) == 0) return &kSdkLayout.types[i];
  }
  return nullptr;
}

TEST(AbiLayout, ListsEveryTypeThatCrossesTheBoundary) {
  for (const char* name :
       {"ChatRequest",  "TextPart",       "ImagePart",     "ContentPart",   "ReasoningBlock",
        "Message",      "ToolSpec",       "ToolChoice",    "GenParams",     "Credentials",
        "HttpRequest",  "HttpResponse",   "ProviderInfo",  "DecoderLimits", "StreamContext",
        "ChatResult",   "ToolCall",       "Usage",         "ErrorInfo",     "Error",
        "ContentDelta", "ReasoningDelta", "ToolCallDelta", "FinishEvent",   "UsageEvent",
        "ErrorEvent",   "DoneEvent",      "WarningEvent",  "StreamEvent"}) {
    EXPECT_NE(find_type(name), nullptr) << name;
  }
}

TEST(AbiLayout, RecordsSizeAlignmentAndEachFieldsOffset) {
  const llmrt_layout_type* error = find_type("ErrorInfo");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->size, sizeof(ErrorInfo));
  EXPECT_EQ(error->align, alignof(ErrorInfo));
  EXPECT_STREQ(error->fields[0].name, "kind");
  const llmrt_layout_field* url = nullptr;
  for (std::uint64_t i = 0; i < error->field_count; ++i) {
    if (std::strcmp(error->fields[i].name, "url") == 0) url = &error->fields[i];
  }
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->offset, offsetof(ErrorInfo, url));
  EXPECT_EQ(url->size, sizeof(std::string));
  EXPECT_EQ(error->fields[error->field_count].name, nullptr);  // the terminator
  const llmrt_layout_type* variant = find_type("StreamEvent");
  ASSERT_NE(variant, nullptr);
  EXPECT_EQ(variant->size, sizeof(StreamEvent));
  EXPECT_EQ(variant->field_count, 0u);
}

}  // namespace
}  // namespace llmrt
