// The batch's event loop on its own: fibers on one thread, waits on real sockets, helper
// threads for what blocks, and the lock fibers share.
#include "async/fiber_loop.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_listener.h"

namespace llmrt::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A connected pair of stream sockets, closed at the end of the test.
struct SocketPair {
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw std::runtime_error("socketpair");
    a = fds[0];
    b = fds[1];
  }
  ~SocketPair() {
    ::close(a);
    ::close(b);
  }
  int a;
  int b;
};

std::string read_now(int fd) {
  char buffer[64];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

TEST(FiberLoop, FibersTakeTurnsOnTheCallingThread) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  std::vector<std::string> steps;
  std::vector<std::thread::id> threads;
  loop.spawn([&] {
    threads.push_back(std::this_thread::get_id());
    steps.push_back("reader waits");
    EXPECT_TRUE(FiberLoop::current()->wait(pair.a, registration, EPOLLIN, 5s));
    steps.push_back("reader got " + read_now(pair.a));
  });
  loop.spawn([&] {
    threads.push_back(std::this_thread::get_id());
    steps.push_back("writer writes");
    ASSERT_EQ(::send(pair.b, "ping", 4, MSG_NOSIGNAL), 4);
  });
  EXPECT_EQ(FiberLoop::current(), nullptr);
  loop.run();
  EXPECT_EQ(FiberLoop::current(), nullptr);
  EXPECT_EQ(steps, (std::vector<std::string>{"reader waits", "writer writes", "reader got ping"}));
  ASSERT_EQ(threads.size(), 2u);
  EXPECT_EQ(threads[0], std::this_thread::get_id());
  EXPECT_EQ(threads[1], std::this_thread::get_id());
}

TEST(FiberLoop, AWaitEndsAtItsTimeout) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  bool ready = true;
  Clock::duration waited{};
  loop.spawn([&] {
    auto start = Clock::now();
    ready = FiberLoop::current()->wait(pair.a, registration, EPOLLIN, 50ms);
    waited = Clock::now() - start;
  });
  loop.run();
  EXPECT_FALSE(ready);
  EXPECT_GE(waited, 50ms);
}

// A fiber's timer is reused wait after wait (no allocation per request): each wait keeps its
// own time, whether the last one ended with its socket or at its timeout.
TEST(FiberLoop, EachWaitOfAFiberKeepsItsOwnTimeout) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  std::vector<bool> woke;
  Clock::duration short_wait{};
  loop.spawn([&] {
    FiberLoop& l = *FiberLoop::current();
    woke.push_back(l.wait(pair.a, registration, EPOLLIN, 10s));  // the writer's byte
    read_now(pair.a);
    const auto start = Clock::now();
    woke.push_back(l.wait(pair.a, registration, EPOLLIN, 50ms));  // nothing comes
    short_wait = Clock::now() - start;
    ASSERT_EQ(::send(pair.b, "y", 1, MSG_NOSIGNAL), 1);
    woke.push_back(l.wait(pair.a, registration, EPOLLIN, 10s));
  });
  loop.spawn([&] { ASSERT_EQ(::send(pair.b, "x", 1, MSG_NOSIGNAL), 1); });
  loop.run();
  EXPECT_EQ(woke, (std::vector<bool>{true, false, true}));
  EXPECT_GE(short_wait, 50ms);
  EXPECT_LT(short_wait, 5s);  // not the first wait's ten seconds
}

TEST(FiberLoop, ThePeerClosingWakesAReader) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  bool woke = false;
  loop.spawn([&] { woke = FiberLoop::current()->wait(pair.a, registration, EPOLLIN, 5s); });
  loop.spawn([&] { ::shutdown(pair.b, SHUT_WR); });
  loop.run();
  EXPECT_TRUE(woke);
}

// Edge triggered: data that arrives while its reader waits for something else (a helper here)
// is reported once, then no more. The reader's next wait must still return.
TEST(FiberLoop, AnEdgeWhileTheReaderWaitedElsewhereIsNotLost) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  bool second_wait = false;
  std::string got;
  loop.spawn([&] {
    FiberLoop& l = *FiberLoop::current();
    ASSERT_EQ(::send(pair.b, "1", 1, MSG_NOSIGNAL), 1);
    ASSERT_TRUE(l.wait(pair.a, registration, EPOLLIN, 5s));  // registers the socket
    got = read_now(pair.a);
    l.run_blocking([] { std::this_thread::sleep_for(100ms); });
    auto start = Clock::now();
    second_wait = l.wait(pair.a, registration, EPOLLIN, 5s);
    EXPECT_LT(Clock::now() - start, 2s);
    got += read_now(pair.a);
  });
  loop.spawn([&] {
    // Runs while the reader's helper sleeps: the loop sees this edge with no one waiting.
    FiberLoop::current()->run_blocking([] { std::this_thread::sleep_for(20ms); });
    ASSERT_EQ(::send(pair.b, "2", 1, MSG_NOSIGNAL), 1);
  });
  loop.run();
  EXPECT_TRUE(second_wait);
  EXPECT_EQ(got, "12");
}

// A writer woken for room that finds the answer in too (one event, EPOLLIN with EPOLLOUT)
// gets no second edge for the answer: its next wait for it must not wait.
TEST(FiberLoop, AnswerSeenWhileWaitingToWriteIsNotLost) {
  SocketPair pair;
  FiberLoop loop;
  FiberLoop::Registration registration;
  bool readable = false;
  Clock::duration waited{};
  loop.spawn([&] {
    FiberLoop& l = *FiberLoop::current();
    const std::string block(4096, 'x');
    while (::send(pair.a, block.data(), block.size(), MSG_DONTWAIT | MSG_NOSIGNAL) > 0) {
    }
    ASSERT_TRUE(l.wait(pair.a, registration, EPOLLOUT, 5s));
    auto start = Clock::now();
    readable = l.wait(pair.a, registration, EPOLLIN, 5s);
    waited = Clock::now() - start;
    EXPECT_EQ(read_now(pair.a), "answer");
  });
  loop.spawn([&] {
    // The server answers early, then reads the request: both edges reach the waiting writer.
    ASSERT_EQ(::send(pair.b, "answer", 6, MSG_NOSIGNAL), 6);
    char sink[65536];
    while (::recv(pair.b, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
  });
  loop.run();
  EXPECT_TRUE(readable);
  EXPECT_LT(waited, 2s);
}

// Other sockets registered with the loop, all made ready at once: more edges than one
// epoll_wait hands out.
struct BusySockets {
  explicit BusySockets(int count) : registrations(static_cast<std::size_t>(count)) {
    for (int i = 0; i < count; ++i) pairs.push_back(std::make_unique<SocketPair>());
  }
  // Registers every one by a wait its first byte ends.
  void register_all(FiberLoop& loop) {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      ASSERT_EQ(::send(pairs[i]->b, "1", 1, MSG_NOSIGNAL), 1);
      ASSERT_TRUE(loop.wait(pairs[i]->a, registrations[i], EPOLLIN, 5s));
      ASSERT_EQ(read_now(pairs[i]->a), "1");
    }
  }
  void make_ready() {
    for (const auto& pair : pairs) ASSERT_EQ(::send(pair->b, "x", 1, MSG_NOSIGNAL), 1);
  }

  std::vector<std::unique_ptr<SocketPair>> pairs;
  std::vector<FiberLoop::Registration> registrations;
};

// Whether a pooled connection can be found clean from what epoll said, without a system call:
// only when epoll was asked after the mark and reported nothing to read and no end.
class QuietMarks : public ::testing::Test {
 protected:
  // Registers the socket by a wait its first byte ends, and reads that byte.
  void register_and_drain(FiberLoop& loop) {
    ASSERT_EQ(::send(pair_.b, "1", 1, MSG_NOSIGNAL), 1);
    ASSERT_TRUE(loop.wait(pair_.a, registration_, EPOLLIN, 5s));
    ASSERT_EQ(read_now(pair_.a), "1");
  }
  // With the socket registered and `others` too, a mark taken, then every one of `others`
  // made ready: more edges for the next epoll_wait than it hands out.
  FiberLoop::QuietMark mark_then_load(FiberLoop& loop, BusySockets& others) {
    register_and_drain(loop);
    others.register_all(loop);
    loop.next_turn();
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    EXPECT_EQ(mark.loop, loop.id());
    others.make_ready();
    return mark;
  }
  // Runs `body` on a fiber of a loop of its own.
  template <class F>
  void on_loop(F body) {
    FiberLoop loop;
    loop.spawn([&] { body(*FiberLoop::current()); });
    loop.run();
  }

  SocketPair pair_;
  FiberLoop::Registration registration_;
};

TEST_F(QuietMarks, NothingArrivedIsQuietAfterTheNextTurn) {
  on_loop([&](FiberLoop& loop) {
    register_and_drain(loop);
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    EXPECT_EQ(mark.loop, loop.id());
    EXPECT_TRUE(loop.quiet_since(pair_.a, registration_, mark));  // waits for a turn first
    EXPECT_TRUE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

TEST_F(QuietMarks, BytesAfterTheMarkAreNotQuiet) {
  on_loop([&](FiberLoop& loop) {
    register_and_drain(loop);
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    ASSERT_EQ(::send(pair_.b, "stray", 5, MSG_NOSIGNAL), 5);
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
    // Found after a turn already past too.
    FiberLoop::QuietMark later = loop.mark_quiet(pair_.a, registration_);
    EXPECT_EQ(later.loop, 0u) << "an edge nobody took makes no mark";
  });
}

TEST_F(QuietMarks, BytesReportedBeforeTheMarkMakeNoMark) {
  on_loop([&](FiberLoop& loop) {
    register_and_drain(loop);
    ASSERT_EQ(::send(pair_.b, "stray", 5, MSG_NOSIGNAL), 5);
    loop.next_turn();  // epoll reports them; nobody waits
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    EXPECT_EQ(mark.loop, 0u);
    loop.next_turn();
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

TEST_F(QuietMarks, ThePeersEndIsNeverQuiet) {
  on_loop([&](FiberLoop& loop) {
    register_and_drain(loop);
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    ::shutdown(pair_.b, SHUT_WR);
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

// An end reported with the answer wakes the reader; the connection must not be found quiet
// later, though nothing is reported for it after that.
TEST_F(QuietMarks, AnEndThatCameWithTheAnswerIsRemembered) {
  on_loop([&](FiberLoop& loop) {
    ASSERT_EQ(::send(pair_.b, "1", 1, MSG_NOSIGNAL), 1);
    ::shutdown(pair_.b, SHUT_WR);
    ASSERT_TRUE(loop.wait(pair_.a, registration_, EPOLLIN, 5s));
    ASSERT_EQ(read_now(pair_.a), "1");
    FiberLoop::QuietMark mark = loop.mark_quiet(pair_.a, registration_);
    loop.next_turn();
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

TEST_F(QuietMarks, AMarkOfAnotherLoopIsNotQuiet) {
  FiberLoop::QuietMark mark;
  on_loop([&](FiberLoop& loop) {
    register_and_drain(loop);
    mark = loop.mark_quiet(pair_.a, registration_);
    ASSERT_NE(mark.loop, 0u);
  });
  on_loop([&](FiberLoop& loop) {
    EXPECT_EQ(loop.mark_quiet(pair_.a, registration_).loop, 0u) << "not registered here";
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

// epoll_wait hands out at most 64 events: one that returned 64 may have left the pooled
// socket's edge in the kernel, so it ends no turn.
TEST_F(QuietMarks, AWaitThatFilledItsEventsEndsNoTurn) {
  BusySockets others(64);
  on_loop([&](FiberLoop& loop) {
    FiberLoop::QuietMark mark = mark_then_load(loop, others);
    ASSERT_EQ(::send(pair_.b, "stray", 5, MSG_NOSIGNAL), 5);
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark));
  });
}

// Under a load that fills every epoll_wait a turn may never end: after four full waits in a
// row, a fiber waiting for one goes on without it (and its connection is asked directly).
TEST_F(QuietMarks, FullWaitsInARowLetTheTurnWaitersGoOn) {
  BusySockets others(300);  // more than four full waits' worth of ready sockets
  on_loop([&](FiberLoop& loop) {
    FiberLoop::QuietMark mark = mark_then_load(loop, others);
    EXPECT_FALSE(loop.quiet_since(pair_.a, registration_, mark)) << "no turn ended";
  });
}

// A TCP receive stops at urgent data's mark with bytes still behind it: a read that took less
// than it had room for did not empty the socket, and no edge will come for what is left. The
// urgent data came with the answer, before the wait that took it.
TEST(QuietMarksOverTcp, UrgentDataMakesNoMark) {
  std::uint16_t port = 0;
  const int listener = test::listen_on_loopback(port);
  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const int server = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(server, 0);
  FiberLoop::Registration registration;
  FiberLoop loop;
  loop.spawn([&] {
    FiberLoop& l = *FiberLoop::current();
    ASSERT_EQ(::send(server, "answer", 6, MSG_NOSIGNAL), 6);
    ASSERT_EQ(::send(server, "!", 1, MSG_OOB | MSG_NOSIGNAL), 1);
    ASSERT_EQ(::send(server, "stray", 5, MSG_NOSIGNAL), 5);
    ASSERT_TRUE(l.wait(client, registration, EPOLLIN, 5s));
    EXPECT_EQ(read_now(client), "answer") << "the receive stops at the urgent mark";
    FiberLoop::QuietMark mark = l.mark_quiet(client, registration);
    EXPECT_EQ(mark.loop, 0u);
    l.next_turn();
    EXPECT_FALSE(l.quiet_since(client, registration, mark));
    pollfd p{.fd = client, .events = POLLIN, .revents = 0};
    EXPECT_EQ(::poll(&p, 1, 0), 1) << "the stray is still there";
  });
  loop.run();
  ::close(server);
  ::close(client);
  ::close(listener);
}

// The exceptions a thread is handling are per fiber: a fiber that waits inside a catch block
// still handles its own when it resumes, though another's catch block began and ended meanwhile.
TEST(FiberLoop, EachFiberHandlesItsOwnException) {
  FiberLoop loop;
  std::vector<std::string> rethrown;
  for (int i = 0; i < 2; ++i) {
    loop.spawn([&, i] {
      try {
        throw std::runtime_error("fiber " + std::to_string(i));
      } catch (const std::runtime_error&) {
        // Fiber 0 catches first and is done first: its exception is not the innermost one
        // being handled on the thread any more (fiber 1's is) when it resumes.
        const auto nap = i == 0 ? 10ms : 100ms;
        FiberLoop::current()->run_blocking([nap] { std::this_thread::sleep_for(nap); });
        try {
          throw;
        } catch (const std::runtime_error& again) {
          rethrown.push_back(again.what());
        }
      }
      EXPECT_EQ(std::uncaught_exceptions(), 0);
    });
  }
  loop.run();
  EXPECT_EQ(rethrown, (std::vector<std::string>{"fiber 0", "fiber 1"}));
}

TEST(FiberLoop, WorkOffTheLoopRunsOnAHelperAndHandsBackItsResult) {
  FiberLoop loop;
  std::thread::id helper;
  int value = 0;
  std::string error;
  loop.spawn([&] {
    value = off_the_loop([&] {
      helper = std::this_thread::get_id();
      EXPECT_EQ(FiberLoop::current(), nullptr);  // blocking calls there block
      return 42;
    });
    try {
      off_the_loop([]() -> int { throw std::runtime_error("refused"); });
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
  });
  loop.run();
  EXPECT_EQ(value, 42);
  EXPECT_NE(helper, std::this_thread::get_id());
  EXPECT_EQ(error, "refused");
  // Not on a fiber: on the calling thread.
  EXPECT_EQ(off_the_loop([] { return std::this_thread::get_id(); }), std::this_thread::get_id());
}

TEST(FiberLoop, ALongWaitOnAHelperHoldsUpNoOtherFiber) {
  FiberLoop loop;
  std::vector<std::string> order;
  loop.spawn([&] {
    FiberLoop::current()->run_blocking([] { std::this_thread::sleep_for(300ms); });
    order.push_back("slow");
  });
  for (int i = 0; i < 3; ++i) {
    loop.spawn([&, i] {
      // Each takes a helper of its own (none waits behind the slow one's).
      FiberLoop::current()->run_blocking([] { std::this_thread::sleep_for(10ms); });
      order.push_back("quick " + std::to_string(i));
    });
  }
  auto start = Clock::now();
  loop.run();
  EXPECT_LT(Clock::now() - start, 3s);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order.back(), "slow");
}

TEST(FiberLoop, AFiberMutexHandsOverInTurn) {
  FiberLoop loop;
  FiberMutex mutex;
  std::vector<std::string> events;
  for (int i = 0; i < 3; ++i) {
    loop.spawn([&, i] {
      std::lock_guard lock(mutex);
      events.push_back("in " + std::to_string(i));
      // The holder waits (the others run meanwhile and find the lock taken).
      FiberLoop::current()->run_blocking([] { std::this_thread::sleep_for(10ms); });
      events.push_back("out " + std::to_string(i));
    });
  }
  loop.run();
  EXPECT_EQ(events, (std::vector<std::string>{"in 0", "out 0", "in 1", "out 1", "in 2", "out 2"}));
}

TEST(FiberLoop, AnExceptionFromAFiberReachesRun) {
  FiberLoop loop;
  bool other_ran = false;
  loop.spawn([] { throw std::runtime_error("from a fiber"); });
  loop.spawn([&] { other_ran = true; });
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_TRUE(other_ran);
}

}  // namespace
}  // namespace llmrt::core
