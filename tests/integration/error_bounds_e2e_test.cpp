// A server's words in an error are bounded: a message of megabytes (a hostile or broken server
// may send one up to max_body_bytes) reaches the caller as its first 4 KiB and a count of the
// rest, after the model's keys were taken out of the whole of it.
#include "support/e2e_fixture.h"

#include <string>

namespace llmrt {
namespace {

using ErrorBoundsEndToEnd = test::EndToEnd;

Error failed_call(const core::ChatModel& model, const std::vector<Message>& messages) {
  try {
    model.chat(messages);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "the call succeeded";
  return Error(ErrorKind::protocol, "");
}

TEST_F(ErrorBoundsEndToEnd, AMessageOfMegabytesIsCutToItsStartAndACount) {
  mock::Scenario s;
  s.status = 500;
  const std::string said = "the server says: " + std::string(5'000'000, 'x');
  s.error_body = R"({"error":{"message":")" + said + R"(","type":"server_error"}})";
  server_.set_default(s);
  const Error e = failed_call(model(), hello_);
  const std::string& message = e.info().message;
  EXPECT_EQ(e.kind(), ErrorKind::server);
  EXPECT_LE(message.size(), 4096u);
  EXPECT_EQ(message.rfind("the server says: xxx", 0), 0u) << message.substr(0, 40);
  const std::size_t kept = message.find("… (");
  ASSERT_NE(kept, std::string::npos);
  EXPECT_EQ(message.substr(kept), "… (" + std::to_string(said.size() - kept) + " bytes more)");
  EXPECT_LT(std::string(e.what()).size(), 5000u);
}

TEST_F(ErrorBoundsEndToEnd, ACodeAndRequestIdOfKilobytesAreCutToo) {
  mock::Scenario s;
  s.status = 400;
  s.error_body = R"({"error":{"message":"no","code":")" + std::string(10'000, 'c') + R"("}})";
  s.headers = {{"x-request-id", "req-" + std::string(6'000, 'r')}};
  server_.set_default(s);
  const Error e = failed_call(model(), hello_);
  EXPECT_LE(e.info().code.size(), 256u);
  EXPECT_EQ(e.info().code.rfind("ccc", 0), 0u);
  EXPECT_LE(e.info().request_id.size(), 256u);
  EXPECT_EQ(e.info().request_id.rfind("req-rrr", 0), 0u);
  EXPECT_EQ(e.info().message, "no");
}

// The key straddles the place of the cut: redacted first, it leaves as its mask; cut first,
// its start would be left for the redactor not to recognise.
TEST_F(ErrorBoundsEndToEnd, AKeyWhereTheCutFallsIsMaskedNotHalved) {
  core::ModelConfig c = config();
  c.keys = {"sk-host-straddling-key-7777"};
  for (std::size_t before : {4040u, 4060u, 4070u, 4080u}) {
    mock::Scenario s;
    s.status = 401;
    s.error_body = R"({"error":{"message":")" + std::string(before, 'a') + c.keys[0] +
                   std::string(10'000, 'z') + R"("}})";
    server_.set_default(s);
    const Error e = failed_call(runtime_.model(c), hello_);
    EXPECT_EQ(e.info().message.find("sk-host"), std::string::npos) << before;
    EXPECT_EQ(std::string(e.what()).find("sk-host"), std::string::npos) << before;
  }
}

}  // namespace
}  // namespace llmrt
