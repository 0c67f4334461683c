// A batch's loop finds a pooled connection clean from what its epoll said, without a system
// call of its own (FiberLoop::quiet_since): bytes a server sends after a reply must still keep
// the connection from serving the next item, however and whenever they come. Real plugin, real
// HTTP on loopback.
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/connection_server.h"
#include "support/e2e_fixture.h"

namespace llmrt::loop_pool_check_test {
namespace {

using std::chrono::milliseconds;

using test::send_all;

// A whole chat completion reply of exactly `total` bytes (the body padded with blanks, which
// JSON allows after the value), saying `content`.
std::string reply_of_size(std::size_t total, const std::string& content) {
  const std::string json =
      R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":)"
      R"({"role":"assistant","content":")" +
      content + R"("},"finish_reason":"stop"}]})";
  std::size_t body = total;
  std::string head;
  for (int i = 0; i < 3; ++i) {  // the length's digits are part of the head
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body) + "\r\n\r\n";
    body = total - head.size();
  }
  return head + json + std::string(body - json.size(), ' ');
}

// How a stray reply follows an answer so that no edge of its own comes for it.
enum class Stray {
  // In the same send, behind an answer that fills the client's read buffer to the byte: the
  // read that ends the answer leaves the stray in the socket.
  behind_a_full_read,
  // Behind one byte of TCP urgent data, at whose mark the client's receive stops; for item 1,
  // whose answer comes 50 ms late, so that all of it is in before the client's loop looks.
  behind_urgent_data,
};

// A keep-alive server that answers a request for "item N" with "answer to item N" in a reply of
// `size` bytes and a whole second reply ("stray") behind it as `how` says. A thread per
// connection.
class StrayBehindServer {
 public:
  StrayBehindServer(Stray how, std::size_t size) : how_(how), size_(size) {}
  std::string base_url() const { return server_.api_base(); }
  std::size_t connections() const { return server_.connections(); }

 private:
  bool answer(int client) const {
    std::string request;
    if (!test::read_http_request(client, request)) return false;
    const std::size_t item = request.find("item ", request.find("\r\n\r\n"));
    const std::string asked = item == std::string::npos
                                  ? "nothing"
                                  : request.substr(item, request.find('"', item) - item);
    const std::string answer = reply_of_size(size_, "answer to " + asked);
    if (how_ == Stray::behind_a_full_read) {
      send_all(client, answer + reply_of_size(600, "stray"));
    } else if (asked == "item 1") {
      std::this_thread::sleep_for(milliseconds(50));
      send_all(client, answer);
      ::send(client, "!", 1, MSG_OOB | MSG_NOSIGNAL);
      send_all(client, reply_of_size(600, "stray"));
    } else {
      send_all(client, answer);
    }
    return true;
  }

  Stray how_;
  std::size_t size_;
  test::ConnectionServer server_{[this](int client) {
    while (answer(client)) {
    }
  }};  // last: its threads stop before what they read goes
};

class LoopPoolCheck : public test::EndToEnd {
 protected:
  // The items' answers in order, an error as "error: …".
  static std::vector<std::string> answers(const std::vector<core::BatchOutcome>& outcomes) {
    std::vector<std::string> got;
    for (const core::BatchOutcome& o : outcomes) {
      got.push_back(o.ok() ? o.result->content : std::string("error: ") + o.error->what());
    }
    return got;
  }
};

// The loop serves a batch of two or more at a time; one at a time runs on the caller's thread.
constexpr std::size_t kOnTheLoop = 2;

std::vector<core::BatchItem> asking_items(int count) {
  std::vector<core::BatchItem> items;
  for (int i = 0; i < count; ++i) {
    items.push_back({{{.role = "user", .content = "item " + std::to_string(i)}}, {}});
  }
  return items;
}

std::vector<std::string> answers_to_items(int count) {
  std::vector<std::string> want;
  for (int i = 0; i < count; ++i) want.push_back("answer to item " + std::to_string(i));
  return want;
}

// 16 KiB is the connection's read buffer: the reply fills it (or two of it) exactly, so the
// read that ends the reply leaves the stray in the socket.
TEST_F(LoopPoolCheck, AStrayLeftInTheSocketByAFullReadIsFound) {
  for (std::size_t size : {std::size_t{16} << 10, std::size_t{32} << 10}) {
    SCOPED_TRACE(size);
    StrayBehindServer stray(Stray::behind_a_full_read, size);
    core::ModelConfig c = config();
    c.api_base = stray.base_url();
    core::ChatModel m = runtime_.model(c);
    EXPECT_EQ(answers(m.chat_batch(asking_items(6), {.concurrency = kOnTheLoop})),
              answers_to_items(6));
    EXPECT_EQ(stray.connections(), 6u) << "a connection with a reply unread was reused";
  }
}

// A receive stops at urgent data's mark, so a read short of its room is no proof that the
// socket was emptied: a stray behind an urgent byte must still be found.
TEST_F(LoopPoolCheck, AStrayBehindUrgentDataIsFound) {
  StrayBehindServer stray(Stray::behind_urgent_data, 600);
  core::ModelConfig c = config();
  c.api_base = stray.base_url();
  core::ChatModel m = runtime_.model(c);
  core::BatchOptions options;
  options.concurrency = kOnTheLoop;
  options.on_item = [](std::size_t, const core::BatchOutcome&) {
    std::this_thread::sleep_for(milliseconds(200));  // item 1's answer, urgent byte and stray
  };                                                 // are all in before the loop looks
  EXPECT_EQ(answers(m.chat_batch(asking_items(6), options)), answers_to_items(6));
}

// The stray comes 20 ms after the reply, while the loop is held up (on_item sleeps on it, and
// nothing else runs meanwhile): its edge is reported only when the next item looks at the
// connection, in the turn it waits for, or in one after.
TEST_F(LoopPoolCheck, AStrayThatArrivesWhileTheLoopIsBusyIsFound) {
  mock::Scenario s;
  s.stray_reply = "stray answer";
  s.stray_delay = milliseconds(20);
  server_.set_default(s);
  std::vector<core::BatchItem> items;
  for (int i = 0; i < 4; ++i) {
    core::ParamOverrides o;
    o.set_json("mock", R"({"content":"answer )" + std::to_string(i) + R"("})");
    items.push_back({hello_, o});
  }
  core::BatchOptions options;
  options.concurrency = kOnTheLoop;
  options.on_item = [](std::size_t, const core::BatchOutcome&) {
    std::this_thread::sleep_for(milliseconds(200));
  };
  EXPECT_EQ(answers(model().chat_batch(items, options)),
            (std::vector<std::string>{"answer 0", "answer 1", "answer 2", "answer 3"}));
  std::vector<mock::RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  std::set<std::string> peers;
  for (const mock::RecordedRequest& r : requests) peers.insert(r.peer);
  EXPECT_EQ(peers.size(), 4u) << "a connection with a stray reply was reused";
}

// Nothing after the reply: the loop's check lets a connection serve item after item.
TEST_F(LoopPoolCheck, AQuietConnectionServesTheNextItems) {
  std::vector<core::BatchItem> items(8, core::BatchItem{hello_, {}});
  for (const core::BatchOutcome& o : model().chat_batch(items, {.concurrency = kOnTheLoop})) {
    EXPECT_TRUE(o.ok());
  }
  std::vector<mock::RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 8u);
  std::set<std::string> peers;
  for (const mock::RecordedRequest& r : requests) peers.insert(r.peer);
  EXPECT_LE(peers.size(), kOnTheLoop);
}

}  // namespace
}  // namespace llmrt::loop_pool_check_test
