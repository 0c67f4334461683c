// Client-side rate budgets on a real call path: the estimate from the built-in tokenizer, its
// correction from the reported usage, and the provider's rate-limit headers.
#include <chrono>
#include <thread>

#include "llmrt/core/tokenizer.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class BudgetEstimates : public test::EndToEnd {
 protected:
  core::ParamOverrides output_limit(int tokens) const {
    core::ParamOverrides o;
    o.set("max_new_tokens", tokens);
    return o;
  }
};

TEST_F(BudgetEstimates, TheReportedUsageReplacesTheEstimate) {
  core::ModelConfig c = config();
  // The estimate of each call is its prompt (about 10 tokens) plus its output limit (80); the
  // mock reports about 20 in all. Two estimates do not fit in 120; one estimate and one
  // corrected count do, and a third call must wait for the window to move on.
  c.rate_limits.tpm = 120 * 60;  // 120 in each 1 s window
  c.rate_limits.window = milliseconds(1000);
  core::ChatModel m = runtime_.model(c);
  core::Tokenizer::get("o200k_base");  // the estimate's rank file, loaded before any measurement
  std::vector<Clock::time_point> sent;
  for (int i = 0; i < 3; ++i) {
    sent.push_back(Clock::now());
    ChatResult r = m.chat(hello_, output_limit(80));
    ASSERT_TRUE(r.usage.has_value());
    ASSERT_LT(r.usage->total_tokens, 30);
  }
  // The second call went at once (a wait for the window would take most of a second); the
  // third waited for the first call's tokens to leave the window.
  EXPECT_LT(sent[2] - sent[1], milliseconds(700));
  EXPECT_GE(Clock::now() - sent[0], milliseconds(950));
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(BudgetEstimates, ARequestLargerThanTheWholeBudgetFailsAtOnce) {
  core::ModelConfig c = config();
  c.rate_limits.tpm = 50;
  core::ChatModel m = runtime_.model(c);
  try {
    m.chat(hello_, output_limit(100));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    EXPECT_NE(std::string(e.what()).find("50"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(BudgetEstimates, TheProvidersRemainingCountHoldsTheNextCallUntilItsReset) {
  mock::Scenario last;
  last.headers = {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "700ms"}};
  server_.push(last);
  core::ChatModel m = model();
  m.chat(hello_);
  const auto first = Clock::now();
  m.chat(hello_);
  EXPECT_GE(Clock::now() - first, milliseconds(600));
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(BudgetEstimates, AKeysBudgetHoldsThatKeyOnly) {
  core::ModelConfig c = config();
  c.keys = {"sk-test-key-0001", "sk-test-key-0002"};
  c.rate_limits.key_rpm = 1;
  c.rate_limits.window = milliseconds(60'000);
  core::CallControl control;
  control.cancel = std::make_shared<core::CancelToken>();
  core::ChatModel m = runtime_.model(c);
  m.chat(hello_);  // key 1
  m.chat(hello_);  // key 2
  // A third call waits for a key's minute: cancelling it shows it was held, not sent.
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(300));
    control.cancel->cancel();
  });
  try {
    m.chat(hello_, {}, control);
    ADD_FAILURE() << "expected the call to be held";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
  }
  canceller.join();
  EXPECT_EQ(server_.requests().size(), 2u);
}

}  // namespace
}  // namespace llmrt
