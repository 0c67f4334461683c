// Replies a server sent in a content coding llmrt never asked for, over real HTTP from a raw
// loopback server, through the OpenAI plugin, on a blocking call and on a batch's event loop:
// gzip and deflate are read (whole, in pieces, streamed as they arrive); a coding llmrt cannot
// read, and data that is not in its coding, are named; the body limit holds for decoded bytes.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/runtime.h"
#include "llmrt/sdk/error.h"
#include "support/chat_either_way.h"
#include "support/connection_server.h"
#include "support/zlib_coding.h"

namespace llmrt {
namespace {

using test::compress;
using test::gzip;

constexpr std::string_view kBody =
    R"({"choices":[{"index":0,"message":{"role":"assistant","content":"fine"},)"
    R"("finish_reason":"stop"}]})";

std::string chunked(const std::vector<std::string>& pieces) {
  std::ostringstream out;
  for (const std::string& piece : pieces)
    out << std::hex << piece.size() << "\r\n" << piece << "\r\n";
  out << "0\r\n\r\n";
  return out.str();
}

// A reply's head with `fields` (each ending in CRLF) and a Content-Length for `body`, then it.
std::string reply(std::string_view status, std::string_view fields, std::string_view body) {
  return "HTTP/1.1 " + std::string(status) + "\r\n" + std::string(fields) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string gzip_reply(std::string_view body = kBody) {
  return reply("200 OK", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
               gzip(body));
}

// Answers every request with the same bytes, in the given writes, keeping the connection; each
// write after the first waits for `release()` when `hold` is set.
class CodingServer {
 public:
  explicit CodingServer(std::vector<std::string> writes, bool hold = false)
      : writes_(std::move(writes)), hold_(hold) {}
  explicit CodingServer(std::string bytes)
      : CodingServer(std::vector<std::string>{std::move(bytes)}) {}
  std::string api_base() const { return server_.api_base(); }
  std::size_t connections() const { return server_.connections(); }
  // Whether a held write went out only because nobody released it in time.
  bool held_too_long() const { return held_too_long_.load(); }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  void serve(int client) {
    std::string request;
    while (test::read_http_request(client, request)) {
      for (std::size_t i = 0; i < writes_.size(); ++i) {
        if (i > 0 && hold_) {
          std::unique_lock lock(mutex_);
          // Bounded: a client that never reads the first write fails its test, not the suite.
          if (!changed_.wait_for(lock, std::chrono::seconds(10), [this] { return released_; })) {
            held_too_long_ = true;
          }
        }
        test::send_all(client, writes_[i]);
      }
    }
  }

  std::vector<std::string> writes_;
  bool hold_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  std::atomic<bool> held_too_long_{false};
  test::ConnectionServer server_{[this](int client) { serve(client); }};  // last: stops first
};

core::ModelConfig config_for(const CodingServer& server) {
  return test::scripted_server_config(server.api_base());
}

class ContentCoding : public ::testing::TestWithParam<bool> {
 protected:
  core::ChatModel model(const CodingServer& server, std::size_t max_body_bytes = 0) const {
    core::ModelConfig c = config_for(server);
    if (max_body_bytes != 0) c.transport.max_body_bytes = max_body_bytes;
    return runtime_.model(c);
  }
  std::string chat(const core::ChatModel& m) const {
    return test::chat_either_way(m, hello_, GetParam());
  }
  // The error of a chat that must fail.
  Error chat_error(const core::ChatModel& m) const {
    try {
      chat(m);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "the chat succeeded";
    return Error(ErrorKind::protocol, "none");
  }

  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

INSTANTIATE_TEST_SUITE_P(BlockingAndOnTheLoop, ContentCoding, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batch" : "Blocking"; });

// Read whole, the body's end is where the coded data ends, and the connection is kept.
TEST_P(ContentCoding, AGzipReplyIsReadAndItsConnectionKept) {
  CodingServer server(gzip_reply());
  core::ChatModel m = model(server);
  EXPECT_EQ(chat(m), "fine");
  const std::size_t after_first = server.connections();
  EXPECT_EQ(chat(m), "fine");
  EXPECT_EQ(server.connections(), after_first);
}

// One byte a chunk (so no read holds a whole gzip header), the HTTP/1.0 name, and the body in
// two gzip members one after another.
TEST_P(ContentCoding, AGzipReplyInManyPiecesAndTwoMembersIsRead) {
  const std::string coded = gzip(kBody.substr(0, 40)) + gzip(kBody.substr(40));
  std::vector<std::string> bytes;
  for (char c : coded) bytes.emplace_back(1, c);
  CodingServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Content-Encoding: X-GZIP\r\nTransfer-Encoding: chunked\r\n\r\n" +
      chunked(bytes));
  EXPECT_EQ(chat(model(server)), "fine");
}

// `deflate` is the zlib format; raw deflate data under that name is read too.
TEST_P(ContentCoding, ADeflateReplyIsReadWithOrWithoutItsZlibHeader) {
  for (int bits : {test::kZlibBits, test::kRawDeflateBits}) {
    CodingServer server(reply("200 OK", "Content-Encoding: deflate\r\n", compress(kBody, bits)));
    EXPECT_EQ(chat(model(server)), "fine") << "window bits " << bits;
  }
}

// `identity` anywhere in the list, and an empty body under a coding, are nothing to decode.
TEST_P(ContentCoding, IdentityIsNoCoding) {
  CodingServer server(reply(
      "200 OK", "Content-Encoding: identity\r\nContent-Encoding: gzip, identity\r\n", gzip(kBody)));
  EXPECT_EQ(chat(model(server)), "fine");
}

// An error reply's body is decoded like any other: its message reaches the caller, and its
// status still decides the kind.
TEST_P(ContentCoding, AGzipErrorReplyShowsTheServersMessage) {
  CodingServer server(reply(
      "429 Too Many Requests", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
      gzip(R"({"error":{"message":"slow down, coded","type":"requests","code":"rate_limit"}})")));
  const Error e = chat_error(model(server));
  EXPECT_EQ(e.kind(), ErrorKind::rate_limited) << e.what();
  EXPECT_NE(std::string(e.what()).find("slow down, coded"), std::string::npos) << e.what();
}

TEST_P(ContentCoding, ACodingLlmrtCannotReadIsNamed) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"br", "'br'"}, {"gzip, gzip", "'gzip', 'gzip'"}, {"zstd", "'zstd'"}};
  for (const auto& [coding, named] : cases) {
    CodingServer server(
        reply("200 OK", "Content-Encoding: " + std::string(coding) + "\r\n", kBody));
    const Error e = chat_error(model(server));
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << what;
    EXPECT_EQ(e.info().http_status, 200) << what;
    EXPECT_NE(what.find("the reply is in content coding " + std::string(named)), std::string::npos)
        << what;
    EXPECT_NE(what.find("which llmrt cannot read"), std::string::npos) << what;
  }
}

// The status of an error reply says what went wrong whatever coding its body is in.
TEST_P(ContentCoding, AnErrorReplyInACodingLlmrtCannotReadKeepsItsStatus) {
  CodingServer server(reply("503 Service Unavailable", "Content-Encoding: br\r\n", "\x8b\x02\x80"));
  const Error e = chat_error(model(server));
  EXPECT_EQ(e.kind(), ErrorKind::server) << e.what();
  EXPECT_EQ(e.info().http_status, 503) << e.what();
}

TEST_P(ContentCoding, DataNotInItsCodingIsAProtocolErrorThatSaysSo) {
  const std::string coded = gzip(kBody);
  struct Case {
    std::string body;
    std::string_view expected;
  };
  const std::vector<Case> cases = {
      {kBody.data(), "is not valid gzip data (Content-Encoding): incorrect header check"},
      {coded.substr(0, coded.size() / 2),
       "is not valid gzip data (Content-Encoding): the body ended inside it"},
      {coded + "junk", "is not valid gzip data (Content-Encoding): incorrect header check"},
  };
  for (const Case& c : cases) {
    CodingServer server(reply("200 OK", "Content-Encoding: gzip\r\n", c.body));
    const Error e = chat_error(model(server));
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_EQ(e.info().http_status, 200) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
  }
}

// NULs or a line end after the coded data: padding, not a fault of the reply.
TEST_P(ContentCoding, PaddingAfterTheCodedDataIsPassedOver) {
  for (std::string_view padding : {std::string_view("\r\n"), std::string_view("\0\0\0\0", 4)}) {
    CodingServer server(
        reply("200 OK", "Content-Encoding: gzip\r\n", gzip(kBody) + std::string(padding)));
    EXPECT_EQ(chat(model(server)), "fine");
  }
}

// Endless empty gzip members decode to nothing, so no body limit would stop them: a MiB of them
// does. On a batch's loop, the call that reads them holds up the others no longer than that.
TEST_P(ContentCoding, CodedDataThatDecodesToNothingEndsAfterAMiB) {
  const std::string member = gzip("");
  std::string members;
  while (members.size() < (std::size_t{3} << 20)) members += member;
  CodingServer server(
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
      chunked({members}));
  const Error e = chat_error(model(server));
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_NE(std::string(e.what()).find("MiB longer than what it decodes to"), std::string::npos)
      << e.what();
}

// An error reply whose body is not in the coding its head names: the status still tells what
// went wrong (a 429 is a rate limit, retried and cooled down as one).
TEST_P(ContentCoding, AnErrorReplyWhoseBodyIsNotInItsCodingKeepsItsStatus) {
  CodingServer server(reply("429 Too Many Requests", "Content-Encoding: gzip\r\n", "not gzip"));
  const Error e = chat_error(model(server));
  EXPECT_EQ(e.kind(), ErrorKind::rate_limited) << e.what();
  EXPECT_EQ(e.info().http_status, 429) << e.what();
}

// No body, nothing to decode: a 204, a Content-Length of 0 or a redirect under a coding llmrt
// cannot read fails for what it is, not for the coding.
TEST_P(ContentCoding, AReplyWithNothingToDecodeFailsForWhatItIs) {
  struct Case {
    std::string bytes;
    int status;
  };
  const std::vector<Case> cases = {
      {"HTTP/1.1 204 No Content\r\nContent-Encoding: br\r\n\r\n", 204},
      {reply("200 OK", "Content-Encoding: br\r\n", ""), 200},
      {reply("302 Found", "Location: /elsewhere\r\nContent-Encoding: br\r\n", "\x8b\x02"), 302},
  };
  for (const Case& c : cases) {
    CodingServer server(c.bytes);
    const Error e = chat_error(model(server));
    EXPECT_EQ(e.info().http_status, c.status) << e.what();
    EXPECT_EQ(std::string(e.what()).find("content coding"), std::string::npos) << e.what();
  }
}

// A few kilobytes that decode to 64 MiB stop at the body limit, counted in decoded bytes.
TEST_P(ContentCoding, TheBodyLimitCountsDecodedBytes) {
  const std::string coded = gzip(std::string(std::size_t{64} << 20, ' '));
  ASSERT_LT(coded.size(), std::size_t{1} << 20);  // under the limit as it comes
  CodingServer server(reply("200 OK", "Content-Encoding: gzip\r\n", coded));
  const Error e = chat_error(model(server, std::size_t{1} << 20));
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_NE(std::string(e.what()).find("exceeds the limit of 1048576 bytes"), std::string::npos)
      << e.what();
}

constexpr std::string_view kFirstEvent =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first \"}}]}\n\n";
constexpr std::string_view kLastEvents =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"second\"},"
    "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

class ContentCodingStream : public ::testing::Test {
 protected:
  // A stream whose coded data breaks after its first event: the error says so, and the event's
  // text is handed over.
  void expect_broken_after_first_event(const std::string& reply_bytes);
  core::ChatStream stream(const core::ModelConfig& config) const {
    return runtime_.model(config).stream_chat({{.role = "user", .content = "hi"}});
  }
  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
};

std::string stream_head() {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
         "Transfer-Encoding: chunked\r\n\r\n";
}

// A streamed reply's first event, flushed by the server, reaches the caller before the rest of
// the body is sent: decoding does not wait for the body's end.
TEST_F(ContentCodingStream, AGzipStreamArrivesAsItIsSent) {
  const std::string events = std::string(kFirstEvent) + std::string(kLastEvents);
  const std::string coded = compress(events, test::kGzipBits, {kFirstEvent.size()});
  // The first flush ends with an empty stored block: 00 00 ff ff.
  const std::size_t first_part = coded.find(std::string("\x00\x00\xff\xff", 4)) + 4;
  ASSERT_NE(first_part, std::string::npos + 4);
  std::ostringstream size;
  size << std::hex << first_part << "\r\n";
  std::ostringstream rest;
  rest << "\r\n"
       << std::hex << coded.size() - first_part << "\r\n"
       << coded.substr(first_part) << "\r\n0\r\n\r\n";
  CodingServer server({stream_head() + size.str() + coded.substr(0, first_part), rest.str()},
                      /*hold=*/true);
  std::string text;
  for (const core::StreamChunk& chunk : stream(config_for(server))) {
    if (text.empty()) {
      EXPECT_EQ(chunk.delta, "first ");
      server.release();  // the rest is sent only now
    }
    text += chunk.delta;
  }
  EXPECT_EQ(text, "first second");
  EXPECT_FALSE(server.held_too_long()) << "the first event waited for the rest of the body";
}

// A stream whose coded data breaks after its first event: the error says so, and the text that
// arrived is handed over.
TEST_F(ContentCodingStream, ABrokenGzipStreamHandsOverWhatArrived) {
  const std::string coded = compress(kFirstEvent, test::kGzipBits, {kFirstEvent.size()});
  const std::size_t first_part = coded.find(std::string("\x00\x00\xff\xff", 4)) + 4;
  // The fault in a read of its own, and in the read that brought the event.
  for (const std::vector<std::string>& pieces :
       {std::vector<std::string>{coded.substr(0, first_part), "\xff\xff\xff"},
        std::vector<std::string>{coded.substr(0, first_part) + "\xff\xff\xff"}}) {
    expect_broken_after_first_event(stream_head() + chunked(pieces));
  }
}

void ContentCodingStream::expect_broken_after_first_event(const std::string& reply_bytes) {
  CodingServer server(reply_bytes);
  try {
    for (const core::StreamChunk& chunk : stream(config_for(server))) {
      EXPECT_EQ(chunk.delta, "first ");
    }
    FAIL() << "the stream succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_NE(std::string(e.what()).find("is not valid gzip data"), std::string::npos) << e.what();
    EXPECT_EQ(e.partial_content(), "first ");
  }
}

// The streamed-body limit counts decoded bytes too: 16 MiB of SSE comments in a few kilobytes.
TEST_F(ContentCodingStream, TheStreamLimitCountsDecodedBytes) {
  std::string comments;
  while (comments.size() < (std::size_t{16} << 20)) comments += ": keep-alive\n";
  CodingServer server(stream_head() + chunked({gzip(comments)}));
  core::ModelConfig c = config_for(server);
  c.transport.max_stream_bytes = std::size_t{1} << 20;
  try {
    for (const core::StreamChunk& chunk : stream(c)) ADD_FAILURE() << chunk.delta;
    FAIL() << "the stream succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("max_stream_bytes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace llmrt
