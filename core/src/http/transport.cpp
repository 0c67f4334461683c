#include "llmrt/core/transport.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <ostream>

#include "http/body_reader.h"
#include "http/endpoint.h"
#include "http/header_check.h"
#include "llmrt/core/cancel_token.h"
#include "llmrt/core/log.h"
#include "http/poco_errors.h"
#include "http/session_pool.h"

namespace llmrt::core {
namespace {

using Clock = std::chrono::steady_clock;

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::max<long long>(ms.count(), 1)) *
                        1000);
}

}  // namespace

struct ResponseStream::Impl {
  std::shared_ptr<SessionPool> pool;
  std::string pool_key;
  std::string where;
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  Poco::Net::HTTPResponse response;
  std::optional<BodyReader> body;
  HttpHeaders headers;
  bool at_end = false;
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds read_timeout{0};
  RequestContext context;

  // While the request is in flight, a cancellation closes the socket under a blocked read.
  void watch_cancel() {
    if (context.cancel == nullptr) return;
    Poco::Net::HTTPClientSession* s = session.get();
    context.cancel->set_interrupt([s] {
      try {
        s->socket().shutdown();
      } catch (const Poco::Exception&) {
        // Not connected yet: the check after connecting sees the cancellation.
      }
    });
  }

  void unwatch_cancel() {
    if (context.cancel != nullptr) context.cancel->clear_interrupt();
  }

  bool cancelled() const { return context.cancel != nullptr && context.cancel->cancelled(); }

  // Throws when the call was cancelled or ran out of time; else narrows the socket's wait
  // to what is left of the deadline.
  void check_limits() {
    if (cancelled()) throw Error(ErrorKind::cancelled, "cancelled while talking to " + where);
    if (!context.deadline) return;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*context.deadline - Clock::now());
    if (left.count() <= 0) {
      throw Error(ErrorKind::timeout, "the call's total timeout ran out talking to " + where);
    }
    if (!session) return;
    Poco::Timespan wait = to_timespan(std::min(left, read_timeout));
    session->setTimeout(to_timespan(std::min(left, connect_timeout)), wait, wait);
    if (session->connected()) session->socket().setReceiveTimeout(wait);
  }

  Error failure(const Poco::Exception& e, const std::string& doing) const {
    if (cancelled()) return Error(ErrorKind::cancelled, "cancelled while " + doing);
    return to_error(e, doing);
  }

  ~Impl() {
    unwatch_cancel();
    if (!session) return;
    if (at_end && body && body->complete() && response.getKeepAlive()) {
      pool->release(pool_key, std::move(session));
    } else {
      session->reset();  // a half-read session is never reused
    }
  }
};

ResponseStream::ResponseStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseStream::~ResponseStream() = default;

int ResponseStream::status() const noexcept {
  return static_cast<int>(impl_->response.getStatus());
}

const HttpHeaders& ResponseStream::headers() const noexcept { return impl_->headers; }

std::size_t ResponseStream::read_some(char* buffer, std::size_t capacity) {
  if (impl_->at_end) return 0;
  if (!impl_->session) {
    impl_->check_limits();  // aborted: say why if we know
    throw Error(ErrorKind::network, "the connection to " + impl_->where + " was closed");
  }
  impl_->check_limits();
  try {
    std::size_t n = impl_->body->read(buffer, capacity);
    if (n == 0) {
      impl_->check_limits();  // a cancellation shuts the socket: that end is not the body's
      impl_->at_end = true;
    }
    return n;
  } catch (const Poco::Exception& e) {
    Error error = impl_->failure(e, "reading the response from " + impl_->where);
    abort();
    throw error;
  } catch (const Error& e) {
    // A cancellation shuts the socket under the read: say so rather than "closed".
    Error error = impl_->cancelled()
                      ? Error(ErrorKind::cancelled, "cancelled while reading from " + impl_->where)
                      : e;
    abort();  // the connection cannot be reused
    throw error;
  }
}

std::string ResponseStream::read_all(std::size_t limit) {
  std::string body;
  char chunk[16384];
  while (std::size_t n = read_some(chunk, sizeof chunk)) {
    if (body.size() + n > limit) {
      abort();
      throw Error(ErrorKind::protocol, "response body from " + impl_->where +
                                           " exceeds the limit of " + std::to_string(limit) +
                                           " bytes");
    }
    body.append(chunk, n);
  }
  return body;
}

void ResponseStream::finish_quietly(std::chrono::milliseconds grace) noexcept {
  if (impl_->at_end || !impl_->session) return;
  try {
    Poco::Timespan saved = impl_->session->getTimeout();
    impl_->session->socket().setReceiveTimeout(to_timespan(grace));
    char chunk[4096];
    std::size_t total = 0;
    while (std::size_t n = read_some(chunk, sizeof chunk)) {
      total += n;
      if (total > sizeof chunk) {  // not a terminator: the server keeps talking
        abort();
        return;
      }
    }
    if (impl_->session) impl_->session->socket().setReceiveTimeout(saved);
  } catch (...) {
    abort();
  }
}

void ResponseStream::abort() noexcept {
  impl_->unwatch_cancel();
  if (impl_->session) {
    impl_->session->reset();
    impl_->session.reset();
  }
}

Transport::Transport(TransportOptions options)
    : options_(std::move(options)), pool_(std::make_shared<SessionPool>(options_)) {}

Transport::~Transport() = default;

std::unique_ptr<ResponseStream> Transport::open(const HttpRequest& request,
                                                const RequestContext& context) {
  require_safe_request_head(request);  // nothing with CR, LF or NUL in its head goes out
  Endpoint endpoint = parse_endpoint(request.url);
  std::string where = endpoint.pool_key();
  // A pooled connection the server closed without saying so fails before any byte of the
  // response: then, and only then, the request is sent once more on a fresh connection.
  for (int attempt = 0;; ++attempt) {
    auto impl = std::make_unique<ResponseStream::Impl>();
    impl->pool = pool_;
    impl->pool_key = endpoint.pool_key();
    impl->where = where;
    impl->connect_timeout = options_.connect_timeout;
    impl->read_timeout = options_.read_timeout;
    impl->context = context;
    impl->check_limits();
    // The resend goes on a new connection: other pooled ones may be just as stale.
    SessionPool::Lease lease = pool_->acquire(endpoint, attempt > 0);
    impl->session = std::move(lease.session);
    impl->watch_cancel();
    try {
      impl->check_limits();
      Poco::Net::HTTPRequest req(request.method, endpoint.target, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      for (const auto& [name, value] : request.headers) req.set(name, value);
      if (!request.body.empty() || request.method == "POST") {
        req.setContentLength(static_cast<std::streamsize>(request.body.size()));
      }
      std::ostream& out = impl->session->sendRequest(req);
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
      out.flush();
      impl->session->receiveResponse(impl->response);
      impl->body.emplace(*impl->session, impl->response);
    } catch (const Poco::Net::NoMessageException& e) {
      if (lease.reused && attempt == 0 && !impl->cancelled()) continue;
      throw impl->failure(e, "waiting for the response from " + where);
    } catch (const Poco::Net::ConnectionResetException& e) {
      if (lease.reused && attempt == 0 && !impl->cancelled()) continue;
      throw impl->failure(e, "sending the request to " + where);
    } catch (const Poco::Exception& e) {
      throw impl->failure(e, (lease.reused ? "talking to " : "connecting to ") + where);
    }
    for (const auto& [name, value] : impl->response) impl->headers.emplace_back(name, value);
    if (log_enabled(LogLevel::debug)) {
      log(LogLevel::debug, "HTTP " + std::to_string(impl->response.getStatus()) + " from " + where +
                               endpoint.target + (lease.reused ? " (reused connection)" : ""));
    }
    return std::make_unique<ResponseStream>(std::move(impl));
  }
}

HttpResponse Transport::send(const HttpRequest& request, const RequestContext& context) {
  std::unique_ptr<ResponseStream> stream = open(request, context);
  HttpResponse response;
  response.status = stream->status();
  response.headers = stream->headers();
  response.body = stream->read_all(options_.max_body_bytes);
  return response;
}

}  // namespace llmrt::core
