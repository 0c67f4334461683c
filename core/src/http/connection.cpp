#include "http/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "async/fiber_loop.h"
#include "http/early_answer.h"
#include "http/sigpipe_guard.h"

namespace llmrt::core {
namespace {

// One read takes what a fast stream has ready without a system call per event; more would only
// cost memory when a thousand connections are open at once.
constexpr std::size_t kInputBytes = std::size_t{16} << 10;

// Poco's own mapping of an errno to its exception, which is protected.
struct PocoSocketErrors : Poco::Net::SocketImpl {
  using Poco::Net::SocketImpl::error;
};

// What Poco throws for the same failure of a blocking socket call (a blocking receive that
// times out, ETIMEDOUT included, is a TimeoutException there).
[[noreturn]] void throw_socket_error(int code) {
  if (code == ETIMEDOUT) throw Poco::TimeoutException(code);
  PocoSocketErrors::error(code);
  throw Poco::Net::NetException(std::strerror(code), code);  // not reached: error() throws
}

// What the kernel said was left in the socket after a receive (TCP_INQ), -1 when it did not.
int bytes_left(msghdr& message) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_TCP && c->cmsg_type == TCP_CM_INQ) {
      int left = -1;
      std::memcpy(&left, CMSG_DATA(c), sizeof left);
      return left;
    }
  }
  return -1;
}

// A silence longer than a connection's timeout, named with it: a bare "Timeout" does not say
// which limit ran out.
[[noreturn]] void silent_for(std::chrono::milliseconds limit, const char* what) {
  throw Poco::TimeoutException(std::string(what) + " for " + std::to_string(limit.count()) +
                               " ms (the read timeout)");
}

}  // namespace

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::max<long long>(ms.count(), 1)) *
                        1000);
}

Connection::Connection(const Poco::Net::StreamSocket& plain, const Poco::Net::StreamSocket& io,
                       std::string pool_key)
    : plain_(plain),
      io_(io),
      pool_key_(std::move(pool_key)),
      in_(std::make_unique_for_overwrite<char[]>(kInputBytes)) {}

bool Connection::fill() {
  if (begin_ < end_) return true;
  begin_ = end_ = 0;
  if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && !tls()) return fill_on(*loop);
  drained_on_ = 0;
  int n = 0;
  try {
    n = io_.receiveBytes(in_.get(), static_cast<int>(kInputBytes));
  } catch (const Poco::TimeoutException&) {
    silent_for(receive_timeout_, "no byte arrived");
  }
  if (n <= 0) return false;
  end_ = static_cast<std::size_t>(n);
  return true;
}

bool Connection::fill_on(FiberLoop& loop) {
  const int fd = plain_.impl()->sockfd();
  if (std::exchange(just_sent_, false) &&
      !loop.wait(fd, registration_, EPOLLIN, receive_timeout_)) {
    silent_for(receive_timeout_, "no byte arrived");
  }
  if (!inq_asked_) {
    inq_asked_ = true;
    const int one = 1;
    inq_ = ::setsockopt(fd, IPPROTO_TCP, TCP_INQ, &one, sizeof one) == 0;
  }
  while (true) {
    iovec room{.iov_base = in_.get(), .iov_len = kInputBytes};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr message{};
    message.msg_iov = &room;
    message.msg_iovlen = 1;
    if (inq_) {
      message.msg_control = control;
      message.msg_controllen = sizeof control;
    }
    ssize_t n = ::recvmsg(fd, &message, MSG_DONTWAIT);
    if (n >= 0) {
      end_ = static_cast<std::size_t>(n);
      // Emptied only when the kernel says what is left, and it is nothing: a short read is no
      // proof (a receive stops at urgent data's mark, even a mark whose byte never comes).
      drained_on_ = n > 0 && bytes_left(message) == 0 ? loop.id() : 0;
      return n > 0;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) throw_socket_error(errno);
    if (!loop.wait(fd, registration_, EPOLLIN, receive_timeout_)) {
      silent_for(receive_timeout_, "no byte arrived");
    }
  }
}

bool Connection::take_line(std::string& line) {
  const char* start = in_.get() + begin_;
  const void* lf = std::memchr(start, '\n', end_ - begin_);
  std::size_t take = lf != nullptr
                         ? static_cast<std::size_t>(static_cast<const char*>(lf) - start) + 1
                         : end_ - begin_;
  line.append(start, take);
  begin_ += take;
  if (lf == nullptr) return false;
  line.pop_back();  // LF
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool Connection::write_all(std::string_view bytes) {
  if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && !tls()) {
    return write_on(*loop, bytes);
  }
  if (!tls()) return write_plain(bytes);
  SigpipeGuard guard;  // OpenSSL's send() has no flag
  while (!bytes.empty()) {
    int n = 0;
    try {
      n = io_.sendBytes(bytes.data(),
                        static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)),
                        MSG_NOSIGNAL);
    } catch (const Poco::TimeoutException&) {
      silent_for(send_timeout_, "the server took no byte");
    }
    if (n <= 0) throw Poco::Net::ConnectionResetException("the connection closed while sending");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool Connection::answered_while_sending(int fd) {
  if (begin_ == end_) begin_ = end_ = 0;
  while (end_ < kInputBytes) {
    const ssize_t n = ::recv(fd, in_.get() + end_, kInputBytes - end_, MSG_DONTWAIT);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      drained_on_ = 0;  // read outside fill_on: what is left is not known
      continue;
    }
    if (n == 0) return true;  // closed: what came before the close (if anything) is the answer
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    throw_socket_error(errno);
  }
  // Undecided with the buffer full is an interim head larger than it (legal up to 64 KiB): the
  // send goes on, looking at no more input.
  return judge_early_input(buffered()) == EarlyInput::stop;
}

bool Connection::write_plain(std::string_view bytes) {
  const int fd = plain_.impl()->sockfd();
  // poll() takes no more than an int of milliseconds; a year's timeout is allowed.
  const int timeout = static_cast<int>(
      std::clamp<long long>(send_timeout_.count(), 1, std::numeric_limits<int>::max()));
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a server that closed the connection is an error here, not a SIGPIPE that
    // kills the host program.
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) throw Poco::Net::ConnectionResetException("the connection closed while sending");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) throw_socket_error(errno);
    // Input is taken into the buffer as it comes, so poll() does not report it twice; with the
    // buffer full, only room to send is waited for.
    const short input = end_ < kInputBytes ? POLLIN : 0;
    pollfd p{.fd = fd, .events = static_cast<short>(POLLOUT | input), .revents = 0};
    const int ready = ::poll(&p, 1, timeout);
    if (ready < 0 && errno != EINTR) throw_socket_error(errno);
    if (ready == 0) silent_for(send_timeout_, "the server took no byte");
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0 && answered_while_sending(fd)) {
      return false;
    }
  }
  return true;
}

bool Connection::write_on(FiberLoop& loop, std::string_view bytes) {
  const int fd = plain_.impl()->sockfd();
  bool waited = false;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n == 0) {
      throw Poco::Net::ConnectionResetException("the connection closed while sending");
    } else if (errno == EINTR) {
      continue;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
      throw_socket_error(errno);
    } else {
      waited = true;
      // Input too: edge-triggered, so what answered_while_sending took wakes no later wait.
      if (!loop.wait(fd, registration_, EPOLLOUT | EPOLLIN, send_timeout_)) {
        silent_for(send_timeout_, "the server took no byte");
      }
      if (end_ < kInputBytes && answered_while_sending(fd)) return false;
    }
  }
  // A server may answer before it has read the whole request (a 413, a 401): after a wait for
  // room, the answer may be in already.
  just_sent_ = !waited;
  return true;
}

void Connection::mark_idle() noexcept {
  idle_since_ = std::chrono::steady_clock::now();
  quiet_ = {};
  FiberLoop* loop = FiberLoop::current();
  if (loop != nullptr && drained_on_ == loop->id() && begin_ == end_) {
    quiet_ = loop->mark_quiet(plain_.impl()->sockfd(), registration_);
  }
}

bool Connection::idle_and_clean() {
  if (begin_ < end_) return false;
  // On the loop it was drained on, epoll may already know that nothing came since: then no
  // system call is needed to ask.
  if (FiberLoop* loop = FiberLoop::current();
      loop != nullptr && loop->quiet_since(plain_.impl()->sockfd(), registration_, quiet_)) {
    return true;
  }
  if (tls()) {
    try {
      if (io_.available() > 0) return false;  // TLS: a record already decrypted
    } catch (const Poco::Exception&) {
      return false;
    }
  }
  pollfd p{.fd = plain_.impl()->sockfd(), .events = POLLIN, .revents = 0};
  // Readable means bytes nobody asked for, or the server's end of the connection.
  return ::poll(&p, 1, 0) == 0;
}

void Connection::set_timeouts(std::chrono::milliseconds receive, std::chrono::milliseconds send) {
  if (receive != receive_timeout_) {
    plain_.setReceiveTimeout(to_timespan(receive));
    receive_timeout_ = receive;
  }
  if (send != send_timeout_) {
    plain_.setSendTimeout(to_timespan(send));
    send_timeout_ = send;
  }
}

}  // namespace llmrt::core
