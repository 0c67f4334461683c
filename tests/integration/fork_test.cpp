// A process that forks after llmrt has made calls, over real HTTP from a raw loopback server:
// the child sends on connections of its own (never on the parent's pooled ones, where a reply
// could reach either process), its deadlines hold (the watchdog thread the parent started is
// not in the child), it exits normally, and the parent's connection still serves the parent.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "llmrt/core/runtime.h"
#include "llmrt/sdk/error.h"
#include "support/connection_server.h"
#include "support/fine_reply.h"

namespace {
// Set in the forked child: LeakSanitizer then skips its check at the child's exit. The child
// holds copies of the parent threads' memory (the test server's buffers), which no thread of
// the child can reach: leaks of the copy, not of llmrt.
bool g_forked_child = false;
}  // namespace

// LeakSanitizer's hook, asked at exit (sanitizer/lsan_interface.h); exported, so that the
// sanitizer's runtime finds it.
// NOLINTNEXTLINE(bugprone-reserved-identifier): the name is the sanitizer's
extern "C" __attribute__((visibility("default"), used)) int __lsan_is_turned_off() {
  return g_forked_child ? 1 : 0;
}

namespace llmrt {
namespace {

// What the child reports by its exit status.
enum ChildResult { kFine = 0, kWrongReply = 10, kFirstCallFailed, kNoTimeout, kOtherError, kLate };

int child_calls(const core::ChatModel& model) {
  try {
    if (model.chat({{.role = "user", .content = "hello"}}).content != "fine") return kWrongReply;
  } catch (const Error&) {
    return kFirstCallFailed;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    model.chat({{.role = "user", .content = "stall"}});
    return kNoTimeout;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::timeout) return kOtherError;
  }
  return std::chrono::steady_clock::now() - start > std::chrono::seconds(5) ? kLate : kFine;
}

TEST(Fork, TheChildCallsOnItsOwnConnectionsWithItsDeadlinesAndExits) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ThreadSanitizer ends a child that starts a thread after a threaded fork";
#endif
  std::atomic<int> requests_on_first{0};
  std::atomic<int> connection_count{0};
  test::ConnectionServer server([&](int client) {
    const bool first = connection_count++ == 0;
    for (std::string request; test::read_http_request(client, request);) {
      if (first) ++requests_on_first;
      if (request.find("stall") != std::string::npos) {
        char byte = 0;
        while (::recv(client, &byte, 1, 0) > 0) {  // no answer, until the client gives up
        }
        return;
      }
      test::send_all(client, test::fine_reply());
    }
  });
  core::Runtime runtime{{LLMRT_TEST_PLUGIN_DIR}};
  core::ModelConfig c;
  c.model = "m";
  c.api_base = server.api_base();
  c.keys = {"sk-test-key-0001"};
  c.retry.max_retries = 0;
  c.transport.read_timeout = std::chrono::milliseconds(500);
  core::ChatModel model = runtime.model(c);
  const std::vector<Message> hello{{.role = "user", .content = "hello"}};
  ASSERT_EQ(model.chat(hello).content, "fine");  // a pooled connection, the watchdog started

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    g_forked_child = true;
    std::exit(child_calls(model));  // exit, not _exit: static destructors run
  }

  int status = 0;
  pid_t ended = 0;
  for (int i = 0; i < 300 && (ended = ::waitpid(child, &status, WNOHANG)) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (ended == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    FAIL() << "the child did not end within 15 s";
  }
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), kFine);
  EXPECT_EQ(model.chat(hello).content, "fine");
  EXPECT_EQ(requests_on_first.load(), 2) << "the parent's connection served the child";
  EXPECT_GE(connection_count.load(), 2);
}

}  // namespace
}  // namespace llmrt
