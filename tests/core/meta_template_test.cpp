#include <gtest/gtest.h>

#include "llmrt/core/meta_template.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::vector<std::pair<std::string, std::string>> roles_and_contents(
    const std::vector<Message>& messages) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Message& m : messages) out.emplace_back(m.role, m.content);
  return out;
}

TEST(MetaTemplate, DefaultMapsEnvironmentToSystem) {
  auto out = MetaTemplate::default_template().apply({{.role = "system", .content = "s"},
                                                     {.role = "user", .content = "u"},
                                                     {.role = "assistant", .content = "a"},
                                                     {.role = "environment", .content = "e"}});
  EXPECT_EQ(roles_and_contents(out),
            (std::vector<std::pair<std::string, std::string>>{
                {"system", "s"}, {"user", "u"}, {"assistant", "a"}, {"system", "e"}}));
}

TEST(MetaTemplate, DefaultKnowsOpenAisDeveloperAndToolRoles) {
  auto out = MetaTemplate::default_template().apply(
      {{.role = "developer", .content = "d"},
       {.role = "user", .content = "u"},
       {.role = "assistant", .tool_calls = {{.id = "1", .name = "f", .arguments = "{}"}}},
       {.role = "tool", .content = "r1", .tool_call_id = "1"},
       {.role = "tool", .content = "r2", .tool_call_id = "2"}});
  EXPECT_EQ(
      roles_and_contents(out),
      (std::vector<std::pair<std::string, std::string>>{
          {"developer", "d"}, {"user", "u"}, {"assistant", ""}, {"tool", "r1"}, {"tool", "r2"}}));
  EXPECT_EQ(out[3].tool_call_id, "1");
  EXPECT_EQ(out[2].tool_calls.size(), 1u);
}

TEST(MetaTemplate, MergesConsecutiveMessagesOnTheSameApiRole) {
  auto out = MetaTemplate::default_template().apply({{.role = "system", .content = "rules"},
                                                     {.role = "environment", .content = "obs"},
                                                     {.role = "user", .content = "q1"},
                                                     {.role = "user", .content = "q2"}});
  EXPECT_EQ(roles_and_contents(out), (std::vector<std::pair<std::string, std::string>>{
                                         {"system", "rules\nobs"}, {"user", "q1\nq2"}}));
}

TEST(MetaTemplate, DoesNotMergeToolMessages) {
  auto out = MetaTemplate(std::vector<RoleSpec>{{.role = "tool", .api_role = "tool"}})
                 .apply({{.role = "tool", .content = "a", .tool_call_id = "1"},
                         {.role = "tool", .content = "b", .tool_call_id = "2"}});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].tool_call_id, "2");
}

TEST(MetaTemplate, WrapsContentWithBeginAndEnd) {
  MetaTemplate t(
      std::vector<RoleSpec>{{.role = "user", .api_role = "user", .begin = "<u>", .end = "</u>"}});
  EXPECT_EQ(t.apply({{.role = "user", .content = "hi"}})[0].content, "<u>hi</u>");
}

TEST(MetaTemplate, MergedMessagesEachKeepTheirOwnRolesWrapping) {
  MetaTemplate t(std::vector<RoleSpec>{
      {.role = "user", .api_role = "user", .begin = "<u>", .end = "</u>"},
      {.role = "environment", .api_role = "user", .begin = "<e>"},
  });
  auto out = t.apply({{.role = "user", .content = "a"},
                      {.role = "environment", .content = "b"},
                      {.role = "user", .content = "c"}});
  EXPECT_EQ(
      roles_and_contents(out),
      (std::vector<std::pair<std::string, std::string>>{{"user", "<u>a</u>\n<e>b\n<u>c</u>"}}));
}

TEST(MetaTemplate, FallbackChainsResolve) {
  MetaTemplate t({{.role = "user", .api_role = "user", .begin = "[", .end = "]"},
                  {.role = "plugin", .begin = "<p>", .fallback_role = "user"},
                  {.role = "observer", .fallback_role = "plugin"}});
  auto out = t.apply({{.role = "plugin", .content = "x"}});
  EXPECT_EQ(out[0].role, "user");
  EXPECT_EQ(out[0].content, "<p>x]");
  out = t.apply({{.role = "observer", .content = "y"}});
  EXPECT_EQ(out[0].content, "<p>y]");
}

TEST(MetaTemplate, UnknownRoleErrorNamesRolePositionAndKnownRoles) {
  try {
    MetaTemplate::default_template().apply(
        {{.role = "user", .content = "a"}, {.role = "robot", .content = "b"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(what.find("message 1"), std::string::npos) << what;
    EXPECT_NE(what.find("'robot'"), std::string::npos) << what;
    EXPECT_NE(what.find("system, user, assistant, environment"), std::string::npos) << what;
  }
}

TEST(MetaTemplate, RejectsBadDefinitions) {
  EXPECT_THROW(MetaTemplate({{.role = "a", .api_role = "x"}, {.role = "a", .api_role = "y"}}),
               Error);
  EXPECT_THROW(MetaTemplate(std::vector<RoleSpec>{{.role = "a"}}), Error);
  EXPECT_THROW(MetaTemplate(std::vector<RoleSpec>{{.role = "a", .fallback_role = "nope"}}), Error);
  EXPECT_THROW(
      MetaTemplate({{.role = "a", .fallback_role = "b"}, {.role = "b", .fallback_role = "a"}}),
      Error);
}

}  // namespace
}  // namespace llmrt::core
