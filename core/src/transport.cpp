#include "llmrt/core/transport.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include <istream>
#include <ostream>

#include "endpoint.h"
#include "poco_errors.h"
#include "session_pool.h"

namespace llmrt::core {

struct ResponseStream::Impl {
  std::shared_ptr<SessionPool> pool;
  std::string pool_key;
  std::string where;
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  Poco::Net::HTTPResponse response;
  std::istream* body = nullptr;
  HttpHeaders headers;
  bool at_end = false;

  ~Impl() {
    if (!session) return;
    if (at_end && response.getKeepAlive()) {
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
  if (impl_->at_end || !impl_->session) return 0;
  // Straight to the stream buffer: istream::read would wait for `capacity` bytes, and an
  // istream turns a mid-body timeout into a silent badbit. The buffer's underflow does one
  // socket read and throws on failure.
  std::streambuf* buf = impl_->body->rdbuf();
  try {
    if (std::char_traits<char>::eq_int_type(buf->sgetc(), std::char_traits<char>::eof())) {
      impl_->at_end = true;
      return 0;
    }
    std::streamsize available = std::max<std::streamsize>(buf->in_avail(), 1);
    std::streamsize want =
        std::min<std::streamsize>(available, static_cast<std::streamsize>(capacity));
    return static_cast<std::size_t>(buf->sgetn(buffer, want));
  } catch (const Poco::Exception& e) {
    abort();
    throw to_error(e, "reading the response from " + impl_->where);
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
    impl_->session->socket().setReceiveTimeout(Poco::Timespan(grace.count() * 1000));
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
  if (impl_->session) {
    impl_->session->reset();
    impl_->session.reset();
  }
}

Transport::Transport(TransportOptions options)
    : options_(std::move(options)), pool_(std::make_shared<SessionPool>(options_)) {}

Transport::~Transport() = default;

std::unique_ptr<ResponseStream> Transport::open(const HttpRequest& request) {
  Endpoint endpoint = parse_endpoint(request.url);
  std::string where = endpoint.pool_key();
  // A pooled connection the server closed without saying so fails before any byte of the
  // response: then, and only then, the request is sent once more on a fresh connection.
  for (int attempt = 0;; ++attempt) {
    // The resend goes on a new connection: other pooled ones may be just as stale.
    SessionPool::Lease lease = pool_->acquire(endpoint, attempt > 0);
    auto impl = std::make_unique<ResponseStream::Impl>();
    impl->pool = pool_;
    impl->pool_key = endpoint.pool_key();
    impl->where = where;
    try {
      Poco::Net::HTTPRequest req(request.method, endpoint.target, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      for (const auto& [name, value] : request.headers) req.set(name, value);
      if (!request.body.empty() || request.method == "POST") {
        req.setContentLength(static_cast<std::streamsize>(request.body.size()));
      }
      std::ostream& out = lease.session->sendRequest(req);
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
      out.flush();
      impl->body = &lease.session->receiveResponse(impl->response);
    } catch (const Poco::Net::NoMessageException& e) {
      lease.session->reset();
      if (lease.reused && attempt == 0) continue;
      throw to_error(e, "waiting for the response from " + where);
    } catch (const Poco::Net::ConnectionResetException& e) {
      lease.session->reset();
      if (lease.reused && attempt == 0) continue;
      throw to_error(e, "sending the request to " + where);
    } catch (const Poco::Exception& e) {
      lease.session->reset();
      throw to_error(e, (lease.reused ? "talking to " : "connecting to ") + where);
    }
    for (const auto& [name, value] : impl->response) impl->headers.emplace_back(name, value);
    impl->session = std::move(lease.session);
    return std::make_unique<ResponseStream>(std::move(impl));
  }
}

HttpResponse Transport::send(const HttpRequest& request) {
  std::unique_ptr<ResponseStream> stream = open(request);
  HttpResponse response;
  response.status = stream->status();
  response.headers = stream->headers();
  response.body = stream->read_all(options_.max_body_bytes);
  return response;
}

}  // namespace llmrt::core
