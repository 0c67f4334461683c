#pragma once

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "async/fiber_loop.h"

namespace llmrt::core {

// A socket timeout of `ms`, at least 1 ms (Poco takes 0 as "wait forever").
Poco::Timespan to_timespan(std::chrono::milliseconds ms);

// One HTTP/1.1 connection (plain, or TLS over the plain socket): the socket and the bytes read
// from it that nobody consumed yet. Reading goes through this buffer only, so that nothing a
// server sent can hide from the check before the connection is used again.
class Connection {
 public:
  // `plain` is the TCP socket; `io` the socket to read and write (the same, or TLS over it).
  Connection(const Poco::Net::StreamSocket& plain, const Poco::Net::StreamSocket& io,
             std::string pool_key);

  // Makes sure unread input is buffered, reading (blocking) when none is; false at the end of
  // the connection. Throws Poco exceptions on socket failures and timeouts.
  bool fill();
  std::string_view buffered() const noexcept { return {in_.get() + begin_, end_ - begin_}; }
  void consume(std::size_t n) noexcept { begin_ += n; }
  // Appends buffered input up to and including the next LF to `line`; true when the line is
  // complete (then without its CRLF or LF). Reads nothing from the socket.
  bool take_line(std::string& line);

  // Sends all of `bytes`; throws Poco exceptions. False when the server answered with an error
  // (or a redirect) before it took them all (on a plain connection: seen while the send waits
  // for room; not an interim response nor a 2xx, after which a server may read on): its answer
  // is to be read, and the connection is not to be used again.
  [[nodiscard]] bool write_all(std::string_view bytes);

  // Nothing unread is buffered and the socket has nothing to read: neither bytes the server
  // sent after the last response (a stray reply would be taken for the next call's answer)
  // nor its closing of the connection. Does not block.
  bool idle_and_clean();

  void set_timeouts(std::chrono::milliseconds receive, std::chrono::milliseconds send);

  const Poco::Net::StreamSocket& plain_socket() const noexcept { return plain_; }
  // TLS over the plain socket (its reads and writes go through OpenSSL).
  bool tls() const noexcept { return io_.impl() != plain_.impl(); }
  const std::string& pool_key() const noexcept { return pool_key_; }
  // Served a response already (a server may have closed it since without saying so).
  bool reused() const noexcept { return uses_ > 1; }
  void start_use() noexcept { ++uses_; }
  std::chrono::steady_clock::time_point idle_since() const noexcept { return idle_since_; }
  // Called when the connection goes back to the pool.
  void mark_idle() noexcept;
  // The event loop whose epoll it was registered with last (FiberLoop::id), 0 for none.
  std::uint64_t last_loop() const noexcept { return registration_.loop; }

 private:
  // On a fiber, a plain connection waits for its socket in the fiber's loop (at most its
  // timeout, as a blocking call would).
  bool fill_on(FiberLoop& loop);
  bool write_on(FiberLoop& loop, std::string_view bytes);
  // Off a loop: waits in poll() for room or an answer, as a blocking send cannot.
  bool write_plain(std::string_view bytes);
  // Takes what the server sent while the request was going out into the buffer (the response's
  // start, read from there afterwards) and says whether the send stops (judge_early_input).
  // Throws on a socket error.
  bool answered_while_sending(int fd);

  Poco::Net::StreamSocket plain_;
  Poco::Net::StreamSocket io_;
  std::string pool_key_;
  std::unique_ptr<char[]> in_;
  std::size_t begin_ = 0;  // unread input is in_[begin_, end_)
  std::size_t end_ = 0;
  int uses_ = 0;
  FiberLoop::Registration registration_;
  // The request went out in one go just now: its answer cannot be there yet, so the first
  // read waits for it without trying (and failing) first.
  bool just_sent_ = false;
  // The loop whose last read left nothing in the socket (the kernel said so: TCP_INQ), 0 for
  // none: from then on any byte arriving is an edge that loop's epoll reports.
  std::uint64_t drained_on_ = 0;
  bool inq_asked_ = false;
  bool inq_ = false;  // the kernel says with each receive what is left
  // What the loop knew when the connection went idle (FiberLoop::quiet_since).
  FiberLoop::QuietMark quiet_;
  std::chrono::steady_clock::time_point idle_since_;
  std::chrono::milliseconds receive_timeout_{-1};
  std::chrono::milliseconds send_timeout_{-1};
};

}  // namespace llmrt::core
