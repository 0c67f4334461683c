#include <gtest/gtest.h>

#include <cstdlib>

#include "llmrt/core/key_pool.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

TEST(KeyPool, RoundRobinFromTheFirstKeyWithOrganisationsAlongside) {
  KeyPool pool({"k1", "k2", "k3"}, {"o1", "o2"}, "UNUSED_VAR");
  std::vector<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    Credentials c = pool.acquire();
    seen.push_back(c.api_key + "/" + c.organization);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"k1/o1", "k2/o2", "k3/o1", "k1/o2"}));
}

TEST(KeyPool, EnvAndEnvVarResolve) {
  setenv("LLMRT_TEST_PROVIDER_KEY", "from-provider-var", 1);
  setenv("LLMRT_TEST_OTHER_KEY", "from-other-var", 1);
  KeyPool pool({"ENV", "env:LLMRT_TEST_OTHER_KEY"}, {}, "LLMRT_TEST_PROVIDER_KEY");
  EXPECT_EQ(pool.acquire().api_key, "from-provider-var");
  EXPECT_EQ(pool.acquire().api_key, "from-other-var");
  KeyPool implicit({}, {}, "LLMRT_TEST_PROVIDER_KEY");
  EXPECT_EQ(implicit.acquire().api_key, "from-provider-var");
}

TEST(KeyPool, UnsetVariableIsAnAuthErrorNamingIt) {
  unsetenv("LLMRT_TEST_MISSING_KEY");
  try {
    KeyPool pool({"env:LLMRT_TEST_MISSING_KEY"}, {}, "X");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    EXPECT_NE(std::string(e.what()).find("$LLMRT_TEST_MISSING_KEY"), std::string::npos);
  }
}

TEST(KeyPool, MaskShowsOnlyTheLastFour) {
  EXPECT_EQ(mask_key("sk-abcdefgh1234"), "…1234");
  EXPECT_EQ(mask_key("abc"), "…");
}

}  // namespace
}  // namespace llmrt::core
