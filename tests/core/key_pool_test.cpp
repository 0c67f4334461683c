#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "llmrt/core/key_pool.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

using std::chrono::milliseconds;
const KeyPool::Clock::time_point kPoolStart{};

std::vector<std::string> keys_in_turn(KeyPool& pool, int n, KeyPool::Clock::time_point now) {
  std::vector<std::string> seen;
  for (int i = 0; i < n; ++i) seen.push_back(pool.acquire(now).credentials.api_key);
  return seen;
}

TEST(KeyPool, RoundRobinFromTheFirstKeyWithOrganisationsAlongside) {
  KeyPool pool({"k1", "k2", "k3"}, {"o1", "o2"}, "UNUSED_VAR");
  std::vector<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    Credentials c = pool.acquire(kPoolStart).credentials;
    seen.push_back(c.api_key + "/" + c.organization);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"k1/o1", "k2/o2", "k3/o1", "k1/o2"}));
}

TEST(KeyPool, EnvAndEnvVarResolve) {
  setenv("LLMRT_TEST_PROVIDER_KEY", "from-provider-var", 1);
  setenv("LLMRT_TEST_OTHER_KEY", "from-other-var", 1);
  KeyPool pool({"ENV", "env:LLMRT_TEST_OTHER_KEY"}, {}, "LLMRT_TEST_PROVIDER_KEY");
  EXPECT_EQ(keys_in_turn(pool, 2, kPoolStart),
            (std::vector<std::string>{"from-provider-var", "from-other-var"}));
  KeyPool implicit({}, {}, "LLMRT_TEST_PROVIDER_KEY");
  EXPECT_EQ(implicit.acquire().credentials.api_key, "from-provider-var");
}

// A provider may name several variables (Gemini: GEMINI_API_KEY, then GOOGLE_API_KEY).
TEST(KeyPool, EnvTriesTheProvidersVariablesInOrder) {
  setenv("LLMRT_TEST_FIRST_KEY", "", 1);  // empty counts as unset
  setenv("LLMRT_TEST_SECOND_KEY", "from-second-var", 1);
  KeyPool second({"ENV"}, {}, "LLMRT_TEST_FIRST_KEY,LLMRT_TEST_SECOND_KEY");
  EXPECT_EQ(second.acquire().credentials.api_key, "from-second-var");
  setenv("LLMRT_TEST_FIRST_KEY", "from-first-var", 1);
  KeyPool first({}, {}, "LLMRT_TEST_FIRST_KEY,LLMRT_TEST_SECOND_KEY");
  EXPECT_EQ(first.acquire().credentials.api_key, "from-first-var");
  unsetenv("LLMRT_TEST_FIRST_KEY");
  unsetenv("LLMRT_TEST_SECOND_KEY");
  try {
    KeyPool none({"ENV"}, {}, "LLMRT_TEST_FIRST_KEY,LLMRT_TEST_SECOND_KEY");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    EXPECT_NE(std::string(e.what()).find("$LLMRT_TEST_FIRST_KEY or $LLMRT_TEST_SECOND_KEY"),
              std::string::npos)
        << e.what();
  }
}

TEST(KeyPool, UnsetVariableIsAnAuthErrorNamingIt) {
  unsetenv("LLMRT_TEST_MISSING_KEY");
  try {
    KeyPool pool({"env:LLMRT_TEST_MISSING_KEY"}, {}, "X");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    EXPECT_NE(std::string(e.what()).find("$LLMRT_TEST_MISSING_KEY is not set"), std::string::npos);
  }
  // Set but empty (`VAR= llmrt chat …`) says so: "not set" sent people looking for the wrong
  // mistake.
  setenv("LLMRT_TEST_MISSING_KEY", "", 1);
  try {
    KeyPool pool({"env:LLMRT_TEST_MISSING_KEY"}, {}, "X");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("$LLMRT_TEST_MISSING_KEY is empty"), std::string::npos)
        << e.what();
  }
  unsetenv("LLMRT_TEST_MISSING_KEY");
}

// A provider without a key variable (Ollama, a local server) needs no key: none configured is
// one empty key (no header is sent); ENV has nothing to name and says so; a proxy in front that
// refuses the call is told apart from a rejected key.
TEST(KeyPool, AKeylessProviderSendsNoKeyAndSaysWhyWhenOneIsWanted) {
  KeyPool keyless({}, {}, "");
  KeyPool::Lease lease = keyless.acquire(kPoolStart);
  EXPECT_EQ(lease.credentials.api_key, "");
  keyless.report(lease.index, ErrorKind::auth, milliseconds(0), kPoolStart);
  try {
    keyless.acquire(kPoolStart);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no key was sent: give one with --key"), std::string::npos)
        << e.what();
  }
  try {
    KeyPool env({"ENV"}, {}, "");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    EXPECT_NE(std::string(e.what()).find("the provider has none (it needs no key)"),
              std::string::npos)
        << e.what();
  }
}

TEST(KeyPool, RateLimitedKeyCoolsDownWhileTheOthersServe) {
  KeyPool pool({"key-aaaa", "key-bbbb"}, {}, "X");
  KeyPool::Lease first = pool.acquire(kPoolStart);
  pool.report(first.index, ErrorKind::rate_limited, milliseconds(1000), kPoolStart);
  EXPECT_EQ(pool.ready_count(kPoolStart), 1u);
  EXPECT_EQ(keys_in_turn(pool, 3, kPoolStart + milliseconds(10)),
            (std::vector<std::string>{"key-bbbb", "key-bbbb", "key-bbbb"}));
  EXPECT_EQ(keys_in_turn(pool, 2, kPoolStart + milliseconds(1000)),
            (std::vector<std::string>{"key-aaaa", "key-bbbb"}));
}

TEST(KeyPool, WhenAllCoolTheFirstReadyIsHandedOut) {
  KeyPool pool({"key-aaaa", "key-bbbb"}, {}, "X");
  pool.report(0, ErrorKind::rate_limited, milliseconds(3000), kPoolStart);
  pool.report(1, ErrorKind::rate_limited, milliseconds(1000), kPoolStart);
  EXPECT_EQ(pool.ready_count(kPoolStart), 0u);
  EXPECT_EQ(pool.acquire(kPoolStart).credentials.api_key, "key-bbbb");
}

TEST(KeyPool, KeysWithoutQuotaOrInvalidLeaveForGoodWithoutAnAuthCooldown) {
  KeyPool pool({"key-aaaa", "key-bbbb", "key-cccc"}, {}, "X", milliseconds(0));
  pool.report(0, ErrorKind::quota_exhausted, milliseconds(0), kPoolStart);
  pool.report(2, ErrorKind::auth, milliseconds(0), kPoolStart);
  pool.report(1, ErrorKind::server, milliseconds(0), kPoolStart);  // says nothing about the key
  EXPECT_EQ(keys_in_turn(pool, 3, kPoolStart + std::chrono::hours(1)),
            (std::vector<std::string>{"key-bbbb", "key-bbbb", "key-bbbb"}));
  pool.report(1, ErrorKind::auth, milliseconds(0), kPoolStart);
  try {
    pool.acquire(kPoolStart);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("3 keys"), std::string::npos) << what;
    EXPECT_NE(what.find("…aaaa out of quota"), std::string::npos) << what;
    EXPECT_NE(what.find("…bbbb rejected as invalid"), std::string::npos) << what;
    EXPECT_NE(what.find("…cccc rejected as invalid"), std::string::npos) << what;
    EXPECT_EQ(what.find("key-"), std::string::npos) << "a key leaked: " << what;
  }
}

TEST(KeyPool, AnInvalidKeyIsTriedAgainAfterTheAuthCooldown) {
  KeyPool pool({"key-aaaa", "key-bbbb"}, {}, "X");  // the default: 60 s
  pool.report(0, ErrorKind::auth, milliseconds(0), kPoolStart);
  pool.report(1, ErrorKind::quota_exhausted, milliseconds(0), kPoolStart);
  EXPECT_EQ(pool.describe(kPoolStart + milliseconds(500)),
            "2 keys: …aaaa rejected as invalid, tried again in 59.5 s; …bbbb out of quota");
  EXPECT_THROW(pool.acquire(kPoolStart + milliseconds(59'999)), Error);
  EXPECT_EQ(pool.ready_count(kPoolStart + milliseconds(60'000)), 1u);
  EXPECT_EQ(keys_in_turn(pool, 2, kPoolStart + milliseconds(60'000)),
            (std::vector<std::string>{"key-aaaa", "key-aaaa"}));
}

TEST(KeyPool, ResetBringsEveryKeyBack) {
  KeyPool pool({"key-aaaa", "key-bbbb", "key-cccc"}, {}, "X", milliseconds(0));
  pool.report(0, ErrorKind::auth, milliseconds(0), kPoolStart);
  pool.report(1, ErrorKind::quota_exhausted, milliseconds(0), kPoolStart);
  pool.report(2, ErrorKind::rate_limited, milliseconds(5000), kPoolStart);
  pool.reset();
  EXPECT_EQ(pool.ready_count(kPoolStart), 3u);
  EXPECT_EQ(pool.describe(kPoolStart), "3 keys: …aaaa ready; …bbbb ready; …cccc ready");
}

TEST(KeyPool, DescribeSaysHowLongAKeyCools) {
  KeyPool pool({"key-aaaa"}, {}, "X");
  pool.report(0, ErrorKind::rate_limited, milliseconds(1500), kPoolStart);
  EXPECT_EQ(pool.describe(kPoolStart), "1 key: …aaaa rate-limited, cooling down for 1.5 s");
}

TEST(KeyPool, ConcurrentAcquireSpreadsOverAllKeys) {
  KeyPool pool({"k1", "k2", "k3", "k4"}, {}, "X");
  std::vector<std::thread> threads;
  std::vector<std::vector<std::size_t>> picks(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) picks[t].push_back(pool.acquire().index);
    });
  }
  for (auto& th : threads) th.join();
  std::vector<int> counts(4, 0);
  for (const auto& p : picks) {
    for (std::size_t i : p) ++counts[i];
  }
  EXPECT_EQ(counts, (std::vector<int>{1000, 1000, 1000, 1000}));
}

TEST(KeyPool, MaskAndScrubShowOnlyTheLastFour) {
  EXPECT_EQ(mask_key("sk-abcdefgh1234"), "…1234");
  EXPECT_EQ(mask_key("abc"), "…");
  EXPECT_EQ(
      scrub_key("Incorrect API key provided: sk-abcdefgh1234. sk-abcdefgh1234!", "sk-abcdefgh1234"),
      "Incorrect API key provided: …1234. …1234!");
}

}  // namespace
}  // namespace llmrt::core
