// Hostile and quirky servers (issue 12, items 2, 3 and 10): the mock server's raw faults
// against the real plugin over real HTTP on loopback. Each call must end by its deadline with
// its own answer or a clear error; the bounds are generous upper limits on hang-prone calls.
#include <optional>
#include <thread>

#include "llmrt/mock/silent_server.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// How a call ended: its text or its error, and how long it took.
struct Outcome {
  double seconds = 0;
  std::optional<std::string> content;
  std::optional<ErrorKind> kind;
  std::string error;
};

void PrintTo(const Outcome& o, std::ostream* os) {
  *os << o.seconds << " s, ";
  if (o.content) *os << "content \"" << *o.content << "\"";
  if (o.kind) *os << to_string(*o.kind) << ": " << o.error;
}

template <class Call>
Outcome timed(Call&& call) {
  Outcome o;
  auto started = Clock::now();
  try {
    o.content = call();
  } catch (const Error& e) {
    o.kind = e.kind();
    o.error = e.what();
  }
  o.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return o;
}

std::string drain(core::ChatStream stream) {
  std::string text;
  for (const auto& chunk : stream) text += chunk.delta;
  return text;
}

// The issue's --timeout 2 --total-timeout 4, and its bound with a margin for a loaded machine.
constexpr milliseconds kRead{2000};
constexpr milliseconds kTotal{4000};
constexpr double kTotalBound = 6.5;
// How long a fault lasts at most here: a call that outlives its deadline still ends, later.
constexpr milliseconds kFaultLimit{15'000};

class Hostile : public test::EndToEnd {
 protected:
  core::ChatModel bounded(milliseconds read, milliseconds total) const {
    core::ModelConfig c = config();
    c.transport.read_timeout = read;
    c.transport.total_timeout = total;
    return runtime_.model(c);
  }
  Outcome whole(const core::ChatModel& m, const core::ParamOverrides& o = {}) const {
    return timed([&] { return m.chat(hello_, o).content; });
  }
  Outcome streamed(const core::ChatModel& m, const core::ParamOverrides& o = {}) const {
    return timed([&] { return drain(m.stream_chat(hello_, o)); });
  }
  static core::ParamOverrides answer(int i) {
    core::ParamOverrides o;
    o.set_json("mock", R"({"content":"answer )" + std::to_string(i) + R"("})");
    return o;
  }
  static mock::Scenario faulty() {
    mock::Scenario s;
    s.fault_limit = kFaultLimit;
    return s;
  }
  // Ended by the total deadline, as a timeout.
  static void expect_deadline(const Outcome& o) {
    EXPECT_EQ(o.kind, ErrorKind::timeout) << testing::PrintToString(o);
    EXPECT_LT(o.seconds, kTotalBound) << testing::PrintToString(o);
  }
  const std::string full_ = mock::Scenario{}.full_content();
};

// --- Item 2: a connection with unread bytes is never reused ---------------------------------

// Long enough for the stray bytes to be on the client's side of the connection before the next
// call looks at it, yet after the reply was read (so that they are left unread).
constexpr milliseconds kStrayDelay{20};
constexpr milliseconds kBetweenCalls{200};

TEST_F(Hostile, StrayResponseAfterAWholeReplyIsNotTheNextCallsAnswer) {
  mock::Scenario s;
  s.stray_reply = "stray answer";
  s.stray_delay = kStrayDelay;
  server_.set_default(s);
  core::ChatModel m = model();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(m.chat(hello_, answer(i)).content, "answer " + std::to_string(i));
    std::this_thread::sleep_for(kBetweenCalls);
  }
}

TEST_F(Hostile, StrayResponseAfterAStreamedReplyIsNotTheNextCallsAnswer) {
  mock::Scenario s;
  s.stray_reply = "stray answer";
  s.stray_delay = kStrayDelay;
  server_.set_default(s);
  core::ChatModel m = model();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(drain(m.stream_chat(hello_, answer(i))), "answer " + std::to_string(i));
    std::this_thread::sleep_for(kBetweenCalls);
  }
}

TEST_F(Hostile, StrayCrlfAfterAReplyMeansTheNextCallUsesAFreshConnection) {
  mock::Scenario s;
  s.stray_bytes = "\r\n";
  s.stray_delay = kStrayDelay;
  server_.set_default(s);
  core::ChatModel m = model();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(m.chat(hello_, answer(i)).content, "answer " + std::to_string(i));
    std::this_thread::sleep_for(kBetweenCalls);
  }
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].peer, requests[1].peer) << "a connection with unread bytes was reused";
}

class StrayBatch : public Hostile, public ::testing::WithParamInterface<std::size_t> {};

// The stray reply follows each answer at once, in the same send (the mock holds a reply whose
// stray bytes have no delay): the client has it behind its answer, and the connection, given
// back to the pool, must not serve the next item. Each worker's on_item pause (on_item runs one
// at a time) makes the workers take connections others gave back. (No client can see bytes that
// have not arrived yet: a stray sent later than the next request is indistinguishable from the
// answer. The mock used to send it in a second write, which a loaded machine could delay past
// the pause.)
TEST_P(StrayBatch, EveryItemGetsItsOwnAnswer) {
  mock::Scenario s;
  s.stray_reply = "stray answer";
  s.stray_delay = milliseconds(0);
  server_.set_default(s);
  std::vector<core::BatchItem> items;
  for (int i = 0; i < 20; ++i) items.push_back({hello_, answer(i)});
  core::BatchOptions options;
  options.concurrency = GetParam();
  options.on_item = [](std::size_t, const core::BatchOutcome&) {
    std::this_thread::sleep_for(milliseconds(50));
  };
  std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, options);
  ASSERT_EQ(outcomes.size(), 20u);
  std::string wrong;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const core::BatchOutcome& o = outcomes[i];
    std::string got = o.ok() ? o.result->content : std::string("error: ") + o.error->what();
    if (got != "answer " + std::to_string(i)) wrong += "\n  item " + std::to_string(i) + ": " + got;
  }
  EXPECT_TRUE(wrong.empty()) << "items without their own answer:" << wrong;
}

INSTANTIATE_TEST_SUITE_P(Concurrency, StrayBatch, ::testing::Values(1, 2, 4));

TEST_F(Hostile, ServerClosedConnectionIsResentOnceForABigBody) {
  mock::Scenario s;
  s.close_after_reply = true;  // without "Connection: close"
  server_.set_default(s);
  core::ChatModel m = model();  // retry 0: only the transport's own resend can save the call
  EXPECT_EQ(m.chat(hello_).content, full_);
  std::this_thread::sleep_for(kBetweenCalls);  // the close has reached the client
  const std::vector<Message> big{{.role = "user", .content = std::string(64 << 10, 'x')}};
  Outcome o = timed([&] { return m.chat(big).content; });
  EXPECT_EQ(o.content, full_) << testing::PrintToString(o);
  EXPECT_EQ(server_.requests().size(), 2u);
}

// --- Item 3: the total deadline bounds every phase ------------------------------------------

TEST_F(Hostile, SlowHeadersEndAtTheTotalDeadline) {
  mock::Scenario s = faulty();
  s.header_byte_delay = milliseconds(250);
  server_.set_default(s);
  expect_deadline(whole(bounded(kRead, kTotal)));
  expect_deadline(streamed(bounded(kRead, kTotal)));
}

TEST_F(Hostile, EndlessContinueResponsesEndAtTheTotalDeadline) {
  mock::Scenario s = faulty();
  s.interim_responses = -1;
  s.interim_delay = milliseconds(250);
  server_.set_default(s);
  expect_deadline(whole(bounded(kRead, kTotal)));
  expect_deadline(streamed(bounded(kRead, kTotal)));
}

TEST_F(Hostile, TrickledChunkSizesEndAtTheTotalDeadline) {
  mock::Scenario s = faulty();
  s.chunk_size_byte_delay = milliseconds(250);
  server_.set_default(s);
  expect_deadline(whole(bounded(kRead, kTotal)));
  expect_deadline(streamed(bounded(kRead, kTotal)));
}

TEST_F(Hostile, EndlessTrailerEndsAWholeReplyAtTheTotalDeadline) {
  mock::Scenario s = faulty();
  s.trailer_lines = -1;
  s.trailer_delay = milliseconds(250);
  server_.set_default(s);
  expect_deadline(whole(bounded(kRead, kTotal)));
}

// The stream's [DONE] arrived before the trailer: the reply is whole, so it may be returned;
// what may not happen is waiting for the trailer past the deadline.
TEST_F(Hostile, EndlessTrailerAfterDoneDoesNotOutliveTheTotalDeadline) {
  mock::Scenario s = faulty();
  s.trailer_lines = -1;
  s.trailer_delay = milliseconds(250);
  server_.set_default(s);
  Outcome o = streamed(bounded(kRead, kTotal));
  EXPECT_LT(o.seconds, kTotalBound) << testing::PrintToString(o);
  if (o.content) {
    EXPECT_EQ(*o.content, full_);
  } else {
    EXPECT_EQ(o.kind, ErrorKind::timeout) << testing::PrintToString(o);
  }
  RecordProperty("outcome", testing::PrintToString(o));
}

TEST_F(Hostile, SilentTlsHandshakeEndsAtTheTotalDeadline) {
  mock::SilentServer silent;
  core::ModelConfig c = config();
  c.api_base = "https://" + silent.address() + "/v1";
  c.transport.connect_timeout = milliseconds(1000);
  c.transport.read_timeout = milliseconds(3000);
  c.transport.total_timeout = kTotal;
  Outcome o = whole(runtime_.model(c));
  EXPECT_EQ(o.kind, ErrorKind::timeout) << testing::PrintToString(o);
  EXPECT_LT(o.seconds, 5.5) << testing::PrintToString(o);
  EXPECT_GE(silent.accepted(), 1);
}

// After [DONE] the stream is complete: the call returns within the drain grace (200 ms), not
// after the read timeout, whatever the server does with the connection.
TEST_F(Hostile, ConnectionHeldOpenAfterDoneReturnsWithinTheDrainGrace) {
  mock::Scenario s = faulty();
  s.hold_after_body = seconds(30);
  server_.set_default(s);
  Outcome o = streamed(bounded(milliseconds(8000), seconds(60)));
  EXPECT_EQ(o.content, full_) << testing::PrintToString(o);
  EXPECT_LT(o.seconds, 2.0) << testing::PrintToString(o);
}

TEST_F(Hostile, CommentLinesAfterDoneReturnWithinTheDrainGrace) {
  mock::Scenario s = faulty();
  s.hold_after_body = seconds(30);
  s.ping_interval = milliseconds(100);
  server_.set_default(s);
  Outcome with_total = streamed(bounded(milliseconds(8000), seconds(60)));
  EXPECT_EQ(with_total.content, full_) << testing::PrintToString(with_total);
  EXPECT_LT(with_total.seconds, 2.0) << testing::PrintToString(with_total);
  Outcome without_total = streamed(bounded(milliseconds(8000), milliseconds(0)));
  EXPECT_EQ(without_total.content, full_) << testing::PrintToString(without_total);
  EXPECT_LT(without_total.seconds, 2.0) << testing::PrintToString(without_total);
}

// --- Item 10: interim and body-less responses -----------------------------------------------

TEST_F(Hostile, EarlyHintsBeforeTheReplyAreSkipped) {
  mock::Scenario s = faulty();
  s.interim_responses = 1;
  s.interim_status = 103;
  server_.set_default(s);
  Outcome w = whole(bounded(milliseconds(3000), milliseconds(0)));
  EXPECT_EQ(w.content, full_) << testing::PrintToString(w);
  EXPECT_LT(w.seconds, 2.5) << testing::PrintToString(w);
  Outcome st = streamed(bounded(milliseconds(3000), milliseconds(0)));
  EXPECT_EQ(st.content, full_) << testing::PrintToString(st);
  EXPECT_LT(st.seconds, 2.5) << testing::PrintToString(st);
}

// Sixteen interim responses at most are read before the reply (README, "Trust"): the
// sixteenth still is, a seventeenth is refused and named.
TEST_F(Hostile, SixteenInterimResponsesAreReadAndASeventeenthIsRefused) {
  mock::Scenario s = faulty();
  s.interim_responses = 16;
  server_.set_default(s);
  Outcome sixteen = whole(bounded(milliseconds(3000), milliseconds(0)));
  EXPECT_EQ(sixteen.content, full_) << testing::PrintToString(sixteen);
  s.interim_responses = 17;
  server_.set_default(s);
  Outcome seventeen = whole(bounded(milliseconds(3000), milliseconds(0)));
  EXPECT_EQ(seventeen.kind, ErrorKind::protocol) << testing::PrintToString(seventeen);
  EXPECT_NE(seventeen.error.find("more than 16 interim (1xx) responses"), std::string::npos)
      << testing::PrintToString(seventeen);
}

// A 204 has no body (RFC 9110 15.3.5): nothing is to be waited for. It is no chat reply, so
// the call fails at once — with any kind but a timeout.
TEST_F(Hostile, NoContentReplyReturnsAtOnce) {
  mock::Scenario s = faulty();
  s.status = 204;
  server_.set_default(s);
  Outcome w = whole(bounded(milliseconds(8000), milliseconds(0)));
  EXPECT_LT(w.seconds, 3.0) << testing::PrintToString(w);
  EXPECT_EQ(w.kind, ErrorKind::protocol) << testing::PrintToString(w);
  EXPECT_NE(w.error.find("HTTP 204"), std::string::npos) << w.error;
  Outcome st = streamed(bounded(milliseconds(8000), milliseconds(0)));
  EXPECT_LT(st.seconds, 3.0) << testing::PrintToString(st);
  EXPECT_EQ(st.kind, ErrorKind::protocol) << testing::PrintToString(st);
  EXPECT_NE(st.error.find("HTTP 204"), std::string::npos) << st.error;
  EXPECT_NE(st.error.find("the reply's body is empty"), std::string::npos) << st.error;
}

// A server gone quiet mid-body: the error names the limit that ran out, blocking, streamed and
// on a batch's loop.
TEST_F(Hostile, ASilenceMidBodyNamesTheReadTimeout) {
  mock::Scenario s = faulty();
  s.hold_after_body = milliseconds(5000);  // a whole reply: its body is held open after the text
  server_.set_default(s);
  core::ChatModel m = bounded(milliseconds(500), milliseconds(0));
  const std::string expected = "no byte arrived for 500 ms (the read timeout)";
  Outcome w = whole(m);
  EXPECT_EQ(w.kind, ErrorKind::timeout) << testing::PrintToString(w);
  EXPECT_NE(w.error.find("reading the response body from"), std::string::npos) << w.error;
  EXPECT_NE(w.error.find(expected), std::string::npos) << w.error;
  std::vector<core::BatchOutcome> batch =
      m.chat_batch({core::BatchItem{hello_, {}}, core::BatchItem{hello_, {}}}, {.concurrency = 2});
  for (const core::BatchOutcome& o : batch) {
    ASSERT_TRUE(o.error.has_value());
    EXPECT_NE(std::string(o.error->what()).find(expected), std::string::npos) << o.error->what();
  }
  mock::Scenario slow = faulty();
  slow.chunk_delay = milliseconds(5000);
  server_.set_default(slow);
  Outcome st = streamed(m);
  EXPECT_EQ(st.kind, ErrorKind::timeout) << testing::PrintToString(st);
  EXPECT_NE(st.error.find(expected), std::string::npos) << st.error;
}

}  // namespace
}  // namespace llmrt
