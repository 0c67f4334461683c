// What a newcomer's own pass over the command line found beyond issue 13's list: each mistake
// gets a message that says what to do, and nothing is reported that did not go wrong.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/contains.h"
#include "support/loopback_listener.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;

namespace fs = std::filesystem;
using test::run_process;

class NewcomerCli : public ::testing::Test {
 protected:
  mock::MockServer server_;
  test::TempDir temp_{"llmrt-newcomer"};
  const std::string dir_ = temp_.path();
};

// `--key "$OPENAI_API_KEY"` with the variable unset used to send an empty bearer token.
TEST_F(NewcomerCli, AnEmptyKeyIsRefusedBeforeAnythingIsSent) {
  std::vector<std::string> argv = test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {"hi"});
  auto key = std::find(argv.begin(), argv.end(), "k");
  ASSERT_NE(key, argv.end());
  *key = "";
  test::ProcessResult r = run_process(argv);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "key 1 is empty")) << r.err;
  EXPECT_TRUE(contains(r.err, "ENV for $OPENAI_API_KEY")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// --plugin naming a file the default search finds too: one plugin, no "duplicate" of itself.
TEST_F(NewcomerCli, APluginNamedTwiceIsLoadedOnceWithoutAWord) {
  const std::string plugin = std::string(LLMRT_TEST_PLUGIN_DIR) + "/libllmrt_openai.so";
  test::ProcessResult r = run_process(
      {LLMRT_TEST_CLI, "--plugin", plugin, "--plugin", LLMRT_TEST_PLUGIN_DIR, "plugins"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "duplicate")) << r.err;
  EXPECT_TRUE(contains(r.out, "openai")) << r.out;
}

// Boost.DLL's wording ended in an unrelated errno text ("Bad file descriptor").
TEST_F(NewcomerCli, AFileThatIsNoLibrarySaysWhyInDlopensWords) {
  const std::string fake = dir_ + "/libfake.so";
  std::ofstream(fake) << "x\n";
  test::ProcessResult r = run_process({LLMRT_TEST_CLI, "--plugin", fake, "plugins"});
  EXPECT_TRUE(contains(r.err, fake + ": cannot be loaded: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "file too short")) << r.err;
  EXPECT_FALSE(contains(r.err, "Bad file descriptor")) << r.err;
  EXPECT_FALSE(contains(r.err, "boost::dll")) << r.err;
}

// chat and batch said nothing of a --plugin file that did not load: a provider expected from it
// was then only "not found".
TEST_F(NewcomerCli, APluginThatDoesNotLoadIsReportedByChatAndBatch) {
  const std::string fake = dir_ + "/libfake.so";
  std::ofstream(fake) << "x\n";
  test::ProcessResult chat =
      run_process(test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {"--plugin", fake, "hi"}));
  EXPECT_EQ(chat.exit_code, 0) << chat.err;  // the other plugins still serve the call
  EXPECT_TRUE(contains(chat.err, "llmrt: skipped plugin (not_a_library): " + fake)) << chat.err;

  const std::string input = dir_ + "/in.jsonl";
  std::ofstream(input) << R"({"custom_id":"a","messages":[{"role":"user","content":"hi"}]})"
                       << "\n";
  std::vector<std::string> batch = test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {});
  batch[1] = "batch";
  batch.insert(batch.end(), {"--plugin", fake, "--input", input, "--output", dir_ + "/out"});
  test::ProcessResult r = run_process(batch);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "llmrt: skipped plugin (not_a_library): " + fake)) << r.err;
}

TEST_F(NewcomerCli, PluginsListTheOptionsEachReads) {
  test::ProcessResult table = run_process({LLMRT_TEST_CLI, "plugins"});
  EXPECT_TRUE(contains(table.out, "OPTIONS")) << table.out;
  EXPECT_TRUE(contains(table.out, "mode,max_tokens_cap")) << table.out;
  test::ProcessResult json = run_process({LLMRT_TEST_CLI, "plugins", "--json"});
  EXPECT_TRUE(contains(json.out, R"("options": [)")) << json.out;
  EXPECT_TRUE(contains(json.out, R"("project")")) << json.out;
}

// A JSON mistake in --messages is found by line and column, as in a config file.
TEST_F(NewcomerCli, AMessagesSyntaxErrorGivesLineAndColumn) {
  const std::string file = dir_ + "/m.json";
  std::ofstream(file) << "[\n  {\"role\": \"user\", \"content\": \"hi\"},\n  {\"role\": }\n]\n";
  test::ProcessResult r =
      run_process(test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {"--messages", file}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file + ": line 3, column 12: invalid JSON")) << r.err;
  EXPECT_FALSE(contains(r.err, "offset")) << r.err;
}

// A server on 127.0.0.1 that answers whatever comes first with a plain HTTP 400 and then holds
// the connection until the client closes it (a closing server could reset the connection before
// the client reads the reply, and the client would see a reset instead).
class PlainHttpServer {
 public:
  PlainHttpServer() {
    listener_ = test::listen_on_loopback(port_, 4);
    thread_ = std::thread([this] { serve(); });
  }
  ~PlainHttpServer() {
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listener_);
  }
  PlainHttpServer(const PlainHttpServer&) = delete;
  PlainHttpServer& operator=(const PlainHttpServer&) = delete;

  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/v1"; }

 private:
  void serve() const {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    char buffer[4096];
    if (::recv(client, buffer, sizeof buffer, 0) > 0) {
      static constexpr char kReply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
      (void)::send(client, kReply, sizeof kReply - 1, MSG_NOSIGNAL);
      while (::recv(client, buffer, sizeof buffer, 0) > 0) {
      }
    }
    ::close(client);
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// https:// for a server that speaks plain HTTP (a local model server): say so, not only
// OpenSSL's "wrong version number".
TEST_F(NewcomerCli, HttpsToAPlainHttpServerSuggestsHttp) {
  PlainHttpServer plain;
  test::ProcessResult r = run_process({LLMRT_TEST_CLI, "chat", "--model", "m", "--api-base",
                                       plain.base_url(), "--key", "k", "--retry", "0", "hi"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "wrong version number")) << r.err;
  EXPECT_TRUE(contains(r.err, "does the API base need http://?")) << r.err;
}

// Decoded text on a terminal ends its line (the shell prompt is not glued to it); a pipe gets
// the exact bytes.
TEST_F(NewcomerCli, DecodeEndsTheLineOnATerminalOnly) {
  const std::vector<std::string> decode{LLMRT_TEST_CLI, "tokenize", "--model",
                                        "gpt-4o",       "--decode", "24912 2375"};
  test::ProcessResult piped = run_process(decode);
  EXPECT_EQ(piped.out, "hello world");
  std::string command;
  for (const std::string& arg : decode) command += "'" + arg + "' ";
  // script(1) (util-linux, in every Debian) runs the command on a pseudo-terminal and copies what
  // it wrote.
  test::ProcessResult tty = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  EXPECT_EQ(tty.exit_code, 0) << tty.err;
  EXPECT_EQ(tty.out, "hello world\r\n");
}

}  // namespace
}  // namespace llmrt
