// A response head's field names are checked as they come off the socket, over real HTTP from a
// raw loopback server: a name with a blank in it is refused and named, blanks in a value are not;
// a line or a head beyond its limit is refused, whether it came in one read or several.
#include <gtest/gtest.h>

#include "llmrt/core/runtime.h"
#include "llmrt/sdk/error.h"
#include "support/raw_http_server.h"

namespace llmrt {
namespace {

constexpr const char* kReply =
    R"({"choices":[{"index":0,"message":{"role":"assistant","content":"fine"},)"
    R"("finish_reason":"stop"}]})";

class ResponseHead : public ::testing::Test {
 protected:
  core::ChatModel model(const test::RawHttpServer& server) const {
    core::ModelConfig c;
    c.model = "m";
    c.api_base = server.base_url() + "/v1";
    c.keys = {"sk-test-key-0001"};
    c.retry.max_retries = 0;
    return runtime_.model(c);
  }

  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

TEST_F(ResponseHead, BlanksInAValueAreKept) {
  test::RawHttpServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Note: a b\t c\r\n", {kReply});
  EXPECT_EQ(model(server).chat(hello_).content, "fine");
}

// The message of the protocol error a chat fails with; `expected` names the case when it does
// not fail.
std::string protocol_error(const core::ChatModel& model, const std::vector<Message>& messages,
                           const std::string& expected) {
  try {
    model.chat(messages);
    ADD_FAILURE() << expected << ": expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    return e.what();
  }
  return {};
}

// A head with `field` among its lines is refused as a protocol error whose message has `shown`.
void expect_refused(const core::ChatModel& model, const std::vector<Message>& messages,
                    const std::string& field, const std::string& shown) {
  const std::string what = protocol_error(model, messages, field);
  EXPECT_NE(what.find("a header line without a field name"), std::string::npos) << what;
  EXPECT_NE(what.find(shown), std::string::npos) << what;
}

std::string head_with(const std::string& fields) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + fields;
}

TEST_F(ResponseHead, AFieldNameWithABlankIsRefusedAndShown) {
  for (const char* field : {"Bad Name: x", "Bad\tName: x", "Name : x"}) {
    test::RawHttpServer server(head_with(std::string(field) + "\r\n"), {kReply});
    expect_refused(model(server), hello_, field, "Name");
  }
}

TEST_F(ResponseHead, ALineWithoutAFieldNameIsRefusedAndShown) {
  for (const char* field : {"NoColon", ":v", ": v"}) {
    test::RawHttpServer server(head_with(std::string(field) + "\r\n"), {kReply});
    expect_refused(model(server), hello_, field, "'" + std::string(field) + "'");
  }
}

// The limit counts the lines' bytes without their line ends, however the reads cut them: a head
// of 65,488 such bytes in 105 lines (65,698 with their CRLFs) is taken whole.
TEST_F(ResponseHead, AHeadJustWithinItsLimitIsTaken) {
  std::string fields;
  for (int i = 0; i < 100; ++i) {
    std::string line = "X-Field-" + std::to_string(100 + i) + ": ";
    fields += line + std::string(654 - line.size(), 'c') + "\r\n";
  }
  test::RawHttpServer server(head_with(fields), {kReply});
  EXPECT_EQ(model(server).chat(hello_).content, "fine");
}

TEST_F(ResponseHead, ALineOrAHeadBeyondItsLimitIsRefused) {
  const std::string long_line = "X-Long: " + std::string(9000, 'a') + "\r\n";
  std::string many_lines;
  for (int i = 0; i < 100; ++i)
    many_lines += "X-Field-" + std::to_string(i) + ": " + std::string(700, 'b') + "\r\n";
  for (const auto& [fields, expected] :
       {std::pair{long_line, "a header line longer than 8 KiB"},
        std::pair{many_lines, "a response head larger than 64 KiB"}}) {
    test::RawHttpServer server(head_with(fields), {kReply});
    const std::string what = protocol_error(model(server), hello_, expected);
    EXPECT_NE(what.find(expected), std::string::npos) << what;
  }
}

// A transfer coding llmrt cannot undo is refused by name (the server below adds its own
// "Transfer-Encoding: chunked" after the head's fields), not read as the reply's bytes or
// passed as plain; `identity`, an old name for none, is let through.
TEST_F(ResponseHead, ATransferCodingOtherThanChunkedIsRefusedByName) {
  for (const char* coding : {"gzip", "x-made-up"}) {
    test::RawHttpServer server(head_with("Transfer-Encoding: " + std::string(coding) + "\r\n"),
                               {kReply});
    const std::string what = protocol_error(model(server), hello_, coding);
    EXPECT_NE(what.find("a Transfer-Encoding llmrt cannot read: '" + std::string(coding) +
                        "' (only chunked is)"),
              std::string::npos)
        << what;
  }
  test::RawHttpServer identity(head_with("Transfer-Encoding: identity\r\n"), {kReply});
  EXPECT_EQ(model(identity).chat(hello_).content, "fine");
}

}  // namespace
}  // namespace llmrt
