// A phase's limit is named in its error whichever timer goes off first: the socket's own timeout
// of the same length, or the watchdog's alarm, which may run a tick late or be held up.
#include "http/connection_watch.h"

#include <Poco/Exception.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "http/watchdog.h"

namespace llmrt::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(ConnectionWatch, APassedLimitIsNamedBeforeItsAlarmGoesOff) {
  // The watchdog's thread is held in another alarm's action: this watch's alarm cannot go off.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> holding{false};
  const std::uint64_t hold = Watchdog::instance().arm(Clock::now(), [&holding, released] {
    holding = true;
    released.wait();
  });
  while (!holding) std::this_thread::sleep_for(1ms);

  RequestContext context;
  ConnectionWatch watch(context);
  watch.enter("waiting for the response headers from ", "http://127.0.0.1:9", 5ms,
              "the read timeout");
  std::this_thread::sleep_for(30ms);
  // Nothing has failed yet: the check before a read lets it go on (and reads no clock for it).
  EXPECT_NO_THROW(watch.check());
  const Error passed = watch.explain(Poco::TimeoutException("Timeout"));
  // Before its limit a phase's failure is told as it is.
  ConnectionWatch fresh(context);
  fresh.enter("waiting for the response headers from ", "http://127.0.0.1:9", 10s,
              "the read timeout");
  const Error early = fresh.explain(Poco::TimeoutException("Timeout"));
  watch.stop();
  fresh.stop();
  release.set_value();
  Watchdog::instance().disarm(hold);

  EXPECT_EQ(passed.kind(), ErrorKind::timeout);
  EXPECT_NE(std::string(passed.what()).find("took longer than the read timeout (5 ms)"),
            std::string::npos)
      << passed.what();
  EXPECT_EQ(std::string(early.what()).find("the read timeout"), std::string::npos) << early.what();
  EXPECT_NE(std::string(early.what()).find("waiting for the response headers"), std::string::npos)
      << early.what();
}

// A phase with no limit of its own leaves none behind from the phase before it. (The first
// limit is long enough that the second phase begins before it, however slow the build: with
// 1 ms, a sanitizer build sometimes saw it go off first, rightly.)
TEST(ConnectionWatch, APhaseWithoutALimitForgetsTheLastOne) {
  RequestContext context;
  ConnectionWatch watch(context);
  watch.enter("sending the request to ", "http://127.0.0.1:9", 200ms, "the read timeout");
  watch.enter("reading the response body from ", "http://127.0.0.1:9", std::nullopt);
  std::this_thread::sleep_for(300ms);  // past the first limit and a watchdog tick
  EXPECT_NO_THROW(watch.check());
  const Error e = watch.explain(Poco::TimeoutException("Timeout"));
  EXPECT_EQ(std::string(e.what()).find("the read timeout"), std::string::npos) << e.what();
  watch.stop();
}

// A limit is named for the step of its phase that was running when it went off (a phase's
// later steps rename it), and one that went off just as the next phase began for its own phase
// and value, not for the phase that met the shut socket.
TEST(ConnectionWatch, ALimitThatWentOffIsNamedForItsOwnPhaseByItsLastStep) {
  for (bool next_phase_begun : {false, true}) {
    RequestContext context;
    ConnectionWatch watch(context);
    watch.enter("sending the request to ", "http://127.0.0.1:9", 1ms, "the read timeout");
    watch.rename("waiting for the response headers from ", "http://127.0.0.1:9");
    std::this_thread::sleep_for(100ms);  // the alarm goes off (a watchdog tick late at most)
    if (next_phase_begun) {
      watch.enter("reading the response body from ", "http://127.0.0.1:9", std::nullopt);
    }
    try {
      watch.check();
      ADD_FAILURE() << "the limit that went off was forgotten";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "timeout: waiting for the response headers from http://127.0.0.1:9 took longer "
                "than the read timeout (1 ms)")
          << next_phase_begun;
    }
    watch.stop();
  }
}

}  // namespace
}  // namespace llmrt::core
