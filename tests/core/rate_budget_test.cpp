// The client-side rate budget, with time given explicitly: nothing here sleeps.
#include "routing/rate_budget.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <thread>

#include "llmrt/core/cancel_token.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

using Clock = RateBudget::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Any time will do; far from the clock's epoch.
const Clock::time_point kT0{std::chrono::hours(1000)};

// A request as a server may have seen it: it arrived at some moment between its admission and
// its settling.
struct Sent {
  Clock::time_point admitted;
  Clock::time_point settled;
  long long tokens;
};

// The most requests and tokens a server counting arrivals over any half-open interval
// [s, s + window) may have seen, whatever the moments of arrival: a request can be in the
// interval when it was admitted before s + window and settled at s or later. The worst interval
// starts at some settling time (moving it later up to the next one only adds requests).
std::pair<long long, long long> most_in_any_window(const std::vector<Sent>& sent,
                                                   Clock::duration window) {
  long long requests = 0;
  long long tokens = 0;
  for (const Sent& start : sent) {
    long long r = 0;
    long long t = 0;
    for (const Sent& other : sent) {
      if (other.settled >= start.settled && other.admitted < start.settled + window) {
        ++r;
        t += other.tokens;
      }
    }
    requests = std::max(requests, r);
    tokens = std::max(tokens, t);
  }
  return {requests, tokens};
}

RateBudget::Permit take(RateBudget& budget, long long tokens, Clock::time_point now) {
  Clock::time_point retry{};
  auto permit = budget.try_acquire(tokens, now, &retry);
  if (!permit) {
    ADD_FAILURE() << "no room for " << tokens << " tokens at +"
                  << std::chrono::duration_cast<milliseconds>(now - kT0).count() << " ms";
    return {};
  }
  return std::move(*permit);
}

bool fits(RateBudget& budget, long long tokens, Clock::time_point now) {
  Clock::time_point retry{};
  auto permit = budget.try_acquire(tokens, now, &retry);
  if (permit) permit->settle(now);  // a probe: counted like any admitted request
  return permit.has_value();
}

TEST(RateBudget, NeverMoreThanTheLimitInAnyWindowOverALongRandomSchedule) {
  const RateBudget::Limits limits{.requests = 12, .tokens = 1500, .window = milliseconds(1000)};
  RateBudget budget(limits);
  std::mt19937 random(16);
  struct InFlight {
    RateBudget::Permit permit;
    Clock::time_point admitted;
    Clock::time_point settles;
    long long tokens;
    bool corrected_early;
  };
  std::deque<InFlight> in_flight;
  std::vector<Sent> sent;
  Clock::time_point now = kT0;
  const Clock::time_point end = kT0 + seconds(600);
  while (now < end) {
    now += milliseconds(std::uniform_int_distribution<int>(0, 40)(random));
    // Settle what is due, some after correcting their tokens down (usage came in lower).
    for (auto it = in_flight.begin(); it != in_flight.end();) {
      if (it->settles > now) {
        ++it;
        continue;
      }
      it->permit.settle(now);
      long long tokens = it->tokens;
      if (!it->corrected_early && random() % 3 == 0) {
        tokens = std::uniform_int_distribution<long long>(0, tokens)(random);
        it->permit.correct(tokens);
      }
      sent.push_back({it->admitted, now, tokens});
      it = in_flight.erase(it);
    }
    for (int attempt = std::uniform_int_distribution<int>(0, 3)(random); attempt > 0; --attempt) {
      long long tokens = std::uniform_int_distribution<long long>(1, 300)(random);
      Clock::time_point retry{};
      auto permit = budget.try_acquire(tokens, now, &retry);
      if (!permit) {
        EXPECT_GT(retry, now);
        continue;
      }
      bool early = random() % 4 == 0;
      if (early) {  // corrected while still on its way
        tokens = std::uniform_int_distribution<long long>(0, tokens)(random);
        permit->correct(tokens);
      }
      Clock::time_point settles =
          now + milliseconds(std::uniform_int_distribution<int>(0, 700)(random));
      in_flight.push_back({std::move(*permit), now, settles, tokens, early});
    }
  }
  const auto [requests, tokens] = most_in_any_window(sent, limits.window);
  EXPECT_LE(requests, limits.requests);
  EXPECT_LE(tokens, limits.tokens);
  // And the budget is used, not merely respected: each request holds its place for its time on
  // the way (350 ms on average) plus a window, so about 12 per 1.35 s get through.
  EXPECT_GT(static_cast<double>(sent.size()), 600 / 1.35 * 12 * 0.8);
  EXPECT_GE(requests, limits.requests - 1);
}

TEST(RateBudget, RequestsLimitOpensWhenTheSettledSlotLeavesTheWindow) {
  RateBudget budget({.requests = 3, .tokens = 0, .window = seconds(1)});
  for (int i = 0; i < 3; ++i) take(budget, 0, kT0).settle(kT0);
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(0, kT0 + milliseconds(999), &retry));
  // Counted at least a window after settling, at most one slot (a sixtieth) longer.
  EXPECT_GE(retry, kT0 + seconds(1));
  EXPECT_LE(retry, kT0 + seconds(1) + milliseconds(17));
  EXPECT_EQ(budget.available_at(0, kT0), retry);
  EXPECT_FALSE(budget.try_acquire(0, retry - std::chrono::nanoseconds(1), nullptr));
  EXPECT_TRUE(budget.try_acquire(0, retry, nullptr));
}

TEST(RateBudget, TokensLimit) {
  RateBudget budget({.requests = 0, .tokens = 1000, .window = seconds(60)});
  RateBudget::Permit first = take(budget, 600, kT0);
  EXPECT_FALSE(budget.try_acquire(500, kT0, nullptr));
  RateBudget::Permit second = take(budget, 400, kT0);
  EXPECT_FALSE(budget.try_acquire(1, kT0, nullptr));
  EXPECT_TRUE(budget.try_acquire(0, kT0, nullptr));  // a request of no tokens costs none
}

TEST(RateBudget, ARequestThatCanNeverFitIsABadRequest) {
  RateBudget budget({.requests = 600, .tokens = 1000, .window = seconds(60)});
  try {
    budget.try_acquire(1001, kT0, nullptr);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("1001 tokens"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rpm 600, tpm 1000"), std::string::npos) << e.what();
  }
  EXPECT_THROW(budget.available_at(1001, kT0), Error);
  EXPECT_TRUE(budget.try_acquire(1000, kT0, nullptr));
}

TEST(RateBudget, BadLimitsAreRefused) {
  EXPECT_THROW(RateBudget({.requests = -1, .tokens = 0, .window = seconds(1)}), Error);
  EXPECT_THROW(RateBudget({.requests = 1, .tokens = 0, .window = milliseconds(0)}), Error);
}

TEST(RateBudget, RequestsInFlightCountUntilTheyHaveSettledAndAWindowPassed) {
  RateBudget budget({.requests = 2, .tokens = 0, .window = seconds(1)});
  RateBudget::Permit a = take(budget, 0, kT0);
  RateBudget::Permit b = take(budget, 0, kT0);
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(0, kT0 + seconds(10), &retry));
  EXPECT_GE(retry, kT0 + seconds(11));  // even settled at once, they count a window on
  a.settle(kT0 + seconds(10));
  EXPECT_FALSE(budget.try_acquire(0, kT0 + seconds(10) + milliseconds(999), nullptr));
  EXPECT_TRUE(budget.try_acquire(0, kT0 + seconds(11) + milliseconds(17), nullptr));
}

TEST(RateBudget, SettlingLaterKeepsTheRequestLonger) {
  RateBudget budget({.requests = 1, .tokens = 0, .window = seconds(1)});
  RateBudget::Permit slow = take(budget, 0, kT0);
  slow.settle(kT0 + seconds(5));
  slow.settle(kT0 + seconds(50));  // a second settle changes nothing
  EXPECT_FALSE(budget.try_acquire(0, kT0 + milliseconds(5500), nullptr));
  EXPECT_FALSE(budget.try_acquire(0, kT0 + milliseconds(5999), nullptr));
  EXPECT_TRUE(budget.try_acquire(0, kT0 + seconds(6) + milliseconds(17), nullptr));
}

TEST(RateBudget, CorrectingInFlightReplacesTheEstimate) {
  RateBudget budget({.requests = 0, .tokens = 1000, .window = seconds(60)});
  RateBudget::Permit big = take(budget, 800, kT0);
  EXPECT_FALSE(budget.try_acquire(300, kT0, nullptr));
  big.correct(100);
  RateBudget::Permit next = take(budget, 300, kT0);
  big.correct(750);  // up again: now 750 + 300
  EXPECT_FALSE(budget.try_acquire(1, kT0, nullptr));
  big.correct(650);
  EXPECT_TRUE(fits(budget, 50, kT0));
}

TEST(RateBudget, CorrectingASettledPermitAdjustsItsSlot) {
  RateBudget budget({.requests = 0, .tokens = 1000, .window = seconds(60)});
  RateBudget::Permit done = take(budget, 800, kT0);
  done.settle(kT0 + seconds(1));
  EXPECT_FALSE(budget.try_acquire(300, kT0 + seconds(2), nullptr));
  done.correct(100);
  EXPECT_TRUE(fits(budget, 300, kT0 + seconds(2)));  // 100 + 300
  done.correct(900);                                 // usage came in higher than estimated
  EXPECT_FALSE(budget.try_acquire(1, kT0 + seconds(2), nullptr));
  // Once its slot left the window, a correction has nothing left to change.
  const Clock::time_point later = kT0 + seconds(70);
  EXPECT_TRUE(fits(budget, 600, later));
  done.correct(100'000);
  EXPECT_TRUE(fits(budget, 400, later));
  EXPECT_FALSE(budget.try_acquire(1, later, nullptr));
}

TEST(RateBudget, ServerHeadersTightenUntilTheirReset) {
  RateBudget budget({.requests = 600, .tokens = 0, .window = seconds(60)});
  RateBudget::Permit on_its_way = take(budget, 0, kT0);
  budget.observe({{"X-RateLimit-Remaining-Requests", "3"}, {"x-ratelimit-reset-requests", "1.5s"}},
                 kT0);
  // 3 left, less the one still in flight that the server may not have counted yet.
  EXPECT_TRUE(fits(budget, 0, kT0));
  EXPECT_TRUE(fits(budget, 0, kT0));
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(0, kT0 + seconds(1), &retry));
  EXPECT_EQ(retry, kT0 + milliseconds(1500));
  EXPECT_TRUE(fits(budget, 0, kT0 + milliseconds(1500)));
}

TEST(RateBudget, AServersResetHoursAwayHoldsForTenMinutesAtMost) {
  RateBudget budget({.requests = 0, .tokens = 0, .window = seconds(60)});
  budget.observe({{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "23h"}},
                 kT0);
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(0, kT0, &retry));
  EXPECT_EQ(retry, kT0 + std::chrono::minutes(10));
  EXPECT_TRUE(fits(budget, 0, kT0 + std::chrono::minutes(10)));
}

TEST(RateBudget, ServerTokenHeaders) {
  RateBudget budget({.requests = 0, .tokens = 0, .window = seconds(60)});
  EXPECT_FALSE(budget.limited());
  RateBudget::Permit on_its_way = take(budget, 100, kT0);
  budget.observe({{"x-ratelimit-remaining-tokens", "600"}, {"x-ratelimit-reset-tokens", "6m0s"}},
                 kT0);
  RateBudget::Permit a = take(budget, 400, kT0);  // 600 - 100 in flight
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(200, kT0, &retry));
  EXPECT_EQ(retry, kT0 + std::chrono::minutes(6));
  a.correct(250);  // admitted under this reading: its correction counts against it
  EXPECT_TRUE(fits(budget, 200, kT0));
  EXPECT_TRUE(fits(budget, 100'000, kT0 + std::chrono::minutes(6)));  // no configured limit
}

TEST(RateBudget, ANewerReadingReplacesTheOlder) {
  RateBudget budget({.requests = 0, .tokens = 0, .window = seconds(60)});
  budget.observe({{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "20s"}},
                 kT0);
  EXPECT_FALSE(budget.try_acquire(0, kT0, nullptr));
  budget.observe({{"x-ratelimit-remaining-requests", "1"}, {"x-ratelimit-reset-requests", "5"}},
                 kT0 + seconds(1));
  EXPECT_TRUE(fits(budget, 0, kT0 + seconds(1)));
  Clock::time_point retry{};
  EXPECT_FALSE(budget.try_acquire(0, kT0 + seconds(1), &retry));
  EXPECT_EQ(retry, kT0 + seconds(6));
}

TEST(RateBudget, GarbageHeadersAreIgnored) {
  RateBudget budget({.requests = 0, .tokens = 0, .window = seconds(60)});
  const std::vector<HttpHeaders> garbage{
      {{"x-ratelimit-remaining-requests", "0"}},  // no reset: for how long?
      {{"x-ratelimit-remaining-requests", "none"}, {"x-ratelimit-reset-requests", "1s"}},
      {{"x-ratelimit-remaining-requests", "-1"}, {"x-ratelimit-reset-requests", "1s"}},
      {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "soon"}},
      {{"x-ratelimit-remaining-tokens", "0"}, {"x-ratelimit-reset-tokens", "-5s"}},
      {{"x-ratelimit-remaining-tokens", "99999999999999999999999"},
       {"x-ratelimit-reset-tokens", "1s"}},
      {{"x-ratelimit-remaining-tokens", ""}, {"x-ratelimit-reset-tokens", ""}},
  };
  for (const HttpHeaders& headers : garbage) EXPECT_NO_THROW(budget.observe(headers, kT0));
  EXPECT_FALSE(budget.limited());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(fits(budget, 1'000'000, kT0));
}

TEST(RateBudget, LimitedByConfigurationOrByTheServer) {
  EXPECT_TRUE(RateBudget({.requests = 1, .tokens = 0, .window = seconds(1)}).limited());
  EXPECT_TRUE(RateBudget({.requests = 0, .tokens = 1, .window = seconds(1)}).limited());
  RateBudget budget({.requests = 0, .tokens = 0, .window = seconds(60)});
  EXPECT_FALSE(budget.limited());
  budget.observe({{"x-ratelimit-remaining-requests", "10"}, {"x-ratelimit-reset-requests", "1h"}},
                 Clock::now());
  EXPECT_TRUE(budget.limited());
}

TEST(RateBudget, PermitsMoveSettleOnceAndMayOutliveTheBudget) {
  auto budget = std::make_unique<RateBudget>(
      RateBudget::Limits{.requests = 2, .tokens = 0, .window = seconds(60)});
  RateBudget::Permit a = take(*budget, 0, kT0);
  RateBudget::Permit moved = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_TRUE(moved);
  RateBudget::Permit b = take(*budget, 0, kT0);
  EXPECT_FALSE(budget->try_acquire(0, kT0, nullptr));
  budget.reset();
  moved.correct(5);
  moved.settle(kT0);
  b = RateBudget::Permit();  // settles b
}

TEST(RateBudget, AFullPermitMovedOverAnotherSettlesThatOnceAndEmptiesItsSource) {
  // What a call's retry does with its key's permit.
  RateBudget budget(RateBudget::Limits{.requests = 2, .tokens = 0, .window = seconds(60)});
  RateBudget::Permit a = take(budget, 0, kT0);
  {
    RateBudget::Permit b = take(budget, 0, kT0);
    a = std::move(b);  // a's own settles now; b's goes on in a
    EXPECT_FALSE(b);   // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    EXPECT_TRUE(a);
  }  // b settles nothing
  a.settle(kT0);
  // Once both have left the window, exactly the limit is admitted again: a request counted
  // out twice would make room for a third.
  const Clock::time_point later = kT0 + seconds(180);
  auto first = budget.try_acquire(0, later, nullptr);
  auto second = budget.try_acquire(0, later, nullptr);
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
  EXPECT_FALSE(budget.try_acquire(0, later, nullptr));
}

TEST(RateBudget, AcquireFailsAtOnceWhenNoRoomComesBeforeTheDeadline) {
  RateBudget budget({.requests = 600, .tokens = 0, .window = seconds(60)});
  std::vector<RateBudget::Permit> held;
  CancelToken cancel;
  for (int i = 0; i < 600; ++i) held.push_back(budget.acquire(0, cancel, std::nullopt));
  try {
    budget.acquire(0, cancel, Clock::now() + seconds(30));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find(
                  "the rate budget (rpm 600) has no room before the call's deadline"),
              std::string::npos)
        << e.what();
  }
}

TEST(RateBudget, AcquireIsCancelledFromAnotherThread) {
  RateBudget budget({.requests = 1, .tokens = 0, .window = seconds(60)});
  CancelToken cancel;
  RateBudget::Permit held = budget.acquire(0, cancel, std::nullopt);
  std::optional<ErrorKind> failed;
  std::thread waiter([&] {
    try {
      budget.acquire(0, cancel, std::nullopt);
    } catch (const Error& e) {
      failed = e.kind();
    }
  });
  cancel.cancel();
  waiter.join();
  EXPECT_EQ(failed, ErrorKind::cancelled);
}

}  // namespace
}  // namespace llmrt::core
