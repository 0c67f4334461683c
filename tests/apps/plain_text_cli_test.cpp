// `llmrt chat --stream` against a server that streams its reply as text/plain (DB-GPT's model
// servers): the text is printed as it is, and --events shows it as deltas ending in "stop".
#include <gtest/gtest.h>

#include "support/cli_args.h"
#include "support/contains.h"
#include "support/raw_http_server.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::contains;

const std::vector<std::string> kPieces{"plain ", "text ", "reply \xC3", "\xA9t\xC3\xA9"};

TEST(PlainTextCli, StreamPrintsTheTextOfATextPlainReply) {
  test::RawHttpServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n", kPieces);
  test::ProcessResult r =
      test::run_process(test::chat_argv(LLMRT_TEST_CLI, server.base_url(), {"--stream", "hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "plain text reply été\n");  // the line ended by the CLI
}

TEST(PlainTextCli, EventsShowDeltasAndTheEnd) {
  test::RawHttpServer server("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\n",
                             kPieces);
  test::ProcessResult r = test::run_process(
      test::chat_argv(LLMRT_TEST_CLI, server.base_url(), {"--stream", "--events", "hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, R"({"type":"delta","content":"plain "})")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("finish_reason":"stop")")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("content":"plain text reply été")")) << r.out;
}

}  // namespace
}  // namespace llmrt
