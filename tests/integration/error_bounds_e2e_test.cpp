// A server's words in an error are bounded: a message of megabytes (a hostile or broken server
// may send one up to max_body_bytes) reaches the caller as its first 4 KiB and a count of the
// rest, after the model's keys were taken out of the whole of it; what llmrt adds to the
// message after that (the keys' state) is kept whole.
#include <string>

#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using ErrorBoundsEndToEnd = test::EndToEnd;

// Drained when `stream`: the error ends the stream.
Error failed_call(const core::ChatModel& model, const std::vector<Message>& messages,
                  bool stream = false) {
  try {
    if (!stream) {
      model.chat(messages);
    } else {
      for (const core::StreamChunk& chunk : model.stream_chat(messages)) (void)chunk;
    }
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "the call succeeded";
  return Error(ErrorKind::protocol, "");
}

// `message` is `said` cut and the note of the cut; then nothing, or what starts with `after`.
void expect_cut(const std::string& message, const std::string& said, const std::string& after,
                const std::string& where) {
  const std::size_t kept = message.find("… (");
  ASSERT_NE(kept, std::string::npos) << where << ": " << message.substr(0, 80);
  EXPECT_LE(kept, 4096u) << where;
  EXPECT_GT(kept, 4000u) << where;
  EXPECT_EQ(message.substr(0, kept), said.substr(0, kept)) << where;
  const std::string note = "… (" + std::to_string(said.size() - kept) + " bytes more)";
  if (after.empty()) {
    EXPECT_EQ(message.substr(kept), note) << where;
  } else {
    EXPECT_EQ(message.substr(kept, note.size() + after.size()), note + after) << where;
  }
}

// The server's answer to every call: `status` with an OpenAI error of `message` and `type`.
mock::Scenario error_reply(int status, const std::string& message, const std::string& type) {
  mock::Scenario s;
  s.status = status;
  s.error_body = R"({"error":{"message":")" + message + R"(","type":")" + type + R"("}})";
  return s;
}

TEST_F(ErrorBoundsEndToEnd, AMessageOfMegabytesIsCutToItsStartAndACount) {
  const std::string said = "the server says: " + std::string(5'000'000, 'x');
  server_.set_default(error_reply(500, said, "server_error"));
  for (bool stream : {false, true}) {
    const Error e = failed_call(model(), hello_, stream);
    EXPECT_EQ(e.kind(), ErrorKind::server);
    EXPECT_LE(e.info().message.size(), 4096u);
    expect_cut(e.info().message, said, "", stream ? "streamed" : "whole");
    EXPECT_LT(std::string(e.what()).size(), 5000u);
  }
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

// The keys' state that a rejected key adds comes after the cut, not cut away by a second one
// (the error passes several completions on its way out).
TEST_F(ErrorBoundsEndToEnd, WhatLlmrtAddsAfterTheCutIsKept) {
  const std::string said = "bad key " + std::string(5'000'000, 'k');
  server_.set_default(error_reply(401, said, "invalid_api_key"));
  for (bool stream : {false, true}) {
    const Error e = failed_call(model(), hello_, stream);
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    expect_cut(e.info().message, said, " (1 key: …0001 rejected as invalid",
               stream ? "streamed" : "whole");
  }
}

// An error event in a stream that already delivered text: cut the same, the text kept.
TEST_F(ErrorBoundsEndToEnd, AnErrorEventInTheStreamIsCutToo) {
  mock::Scenario s;
  const std::string said = "overloaded " + std::string(1'000'000, 'o');
  s.stream_error = R"({"message":")" + said + R"(","type":"server_error"})";
  server_.set_default(s);
  const Error e = failed_call(model(), hello_, true);
  EXPECT_EQ(e.kind(), ErrorKind::server) << e.what();
  expect_cut(e.info().message, said, "", "in the stream");
  EXPECT_EQ(e.partial_content(), s.full_content());
}

// The key straddles the place of the cut (byte 4074 of a 14 KB message): redacted first, the
// kept text ends in 'a's and then its mask, or part of the mask; cut first, the start of the
// key would be left where the redactor would not recognise it.
TEST_F(ErrorBoundsEndToEnd, AKeyWhereTheCutFallsIsMaskedNotHalved) {
  core::ModelConfig c = config();
  c.keys = {"sk-host-straddling-key-7777"};
  const core::ChatModel m = runtime_.model(c);
  for (std::size_t before = 4040; before <= 4080; before += 2) {
    server_.set_default(error_reply(
        400, std::string(before, 'a') + c.keys[0] + std::string(10'000, 'z'), "invalid_request"));
    const Error e = failed_call(m, hello_);
    const std::string& message = e.info().message;
    const std::size_t past_the_as = message.find_first_not_of('a');
    ASSERT_NE(past_the_as, std::string::npos) << before;
    // The mask, whole or cut, or the cut's note: "…" either way, never "s".
    EXPECT_EQ(message.compare(past_the_as, 3, "…"), 0) << before << ": " << message.substr(4000);
    EXPECT_EQ(message.find("sk-"), std::string::npos) << before;
  }
}

// Redacting costs the length of the message, not its square: a server that fills its 16 MB of
// error with the key it was sent, or with URLs, is answered at once (a replace in place for
// each key took about ten minutes of CPU here, an erase for each URL an hour; ctest's timeout
// fails this test then).
TEST_F(ErrorBoundsEndToEnd, AMessageFullOfKeysOrUrlsIsRedactedInOnePass) {
  core::ModelConfig c = config();
  c.keys = {"sk-12345"};
  const core::ChatModel m = runtime_.model(c);
  for (const std::string unit : {"sk-12345", "x://aaaaaaa ", "x://u:p@h "}) {
    std::string said;
    while (said.size() + unit.size() < 16'000'000) said += unit;
    server_.set_default(error_reply(400, said, "invalid_request"));
    const Error e = failed_call(m, hello_);
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    EXPECT_LE(e.info().message.size(), 4096u);
    EXPECT_EQ(e.info().message.find("sk-"), std::string::npos) << unit;
    EXPECT_EQ(e.info().message.find("u:p@"), std::string::npos) << unit;
  }
}

}  // namespace
}  // namespace llmrt
