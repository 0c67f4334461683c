#include "llmrt/sdk/string_map.h"

#include <gtest/gtest.h>

#include <string>

namespace llmrt {
namespace {

TEST(FindEntry, FindsAKeyByItsWholeNameInAFewEntries) {
  const std::map<std::string, std::string> options{{"api_version", "2024-10-21"},
                                                   {"deployment", "gpt4"}};
  ASSERT_NE(find_entry(options, "deployment"), nullptr);
  EXPECT_EQ(*find_entry(options, "deployment"), "gpt4");
  EXPECT_EQ(find_entry(options, "deploy"), nullptr);  // a prefix is no match
  EXPECT_EQ(find_entry(options, "deployments"), nullptr);
  EXPECT_EQ(find_entry(options, "Deployment"), nullptr);
  EXPECT_EQ(find_entry(options, ""), nullptr);
  EXPECT_EQ(find_entry({}, "deployment"), nullptr);
  EXPECT_TRUE(has_entry(options, "api_version"));
  EXPECT_FALSE(has_entry(options, "api"));
}

TEST(FindEntry, FindsEveryKeyOfABigMap) {
  // Past the few entries a scan reads, the map is searched: the same answers.
  std::map<std::string, std::string> extras;
  for (int i = 0; i < 100; ++i) extras.emplace("key" + std::to_string(i), std::to_string(i));
  for (int i = 0; i < 100; ++i) {
    const std::string* value = find_entry(extras, "key" + std::to_string(i));
    ASSERT_NE(value, nullptr) << i;
    EXPECT_EQ(*value, std::to_string(i));
  }
  EXPECT_EQ(find_entry(extras, "key100"), nullptr);
  EXPECT_EQ(find_entry(extras, std::string_view("key1\0", 5)), nullptr);  // a NUL is a byte
}

}  // namespace
}  // namespace llmrt
