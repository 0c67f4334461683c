#include "llmrt/core/transport.h"

#include <Poco/Net/NetException.h>

#include <cstdlib>
#include <exception>

#include "async/fiber_loop.h"
#include "diagnostics/redactor.h"
#include "http/body_reader.h"
#include "http/connection_pool.h"
#include "http/connection_watch.h"
#include "http/connector.h"
#include "http/content_decoder.h"
#include "http/endpoint.h"
#include "http/header_check.h"
#include "http/proxy.h"
#include "http/proxy_selection.h"
#include "http/request_writer.h"
#include "http/response_head.h"
#include "http/tls_context.h"
#include "llmrt/core/log.h"

namespace llmrt::core {
namespace {

// The scheme as Poco's URI (and so parse_endpoint) reads it: in any case.
bool is_https(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = url[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  return true;
}

// The response head a server sent before the send of the request failed, read into `head`;
// false when none can be read (nothing came, or the reset took it). What came and is no HTTP
// head (garbage, a head too large) is the server's protocol error, thrown: not a network error
// that a retry would send the whole body again for. The connection is never reused after it:
// the request did not go out whole.
bool answered_early(Connection& connection, bool head_request, ResponseHead& head) {
  try {
    read_response_head(connection, head_request, head);
  } catch (const Poco::Exception&) {
    return false;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::network) throw;
    return false;
  }
  head.keep_alive = false;
  return true;
}

}  // namespace

struct ResponseStream::Impl {
  explicit Impl(const RequestContext& context) : watch(context) {}

  std::shared_ptr<ConnectionPool> pool;
  std::shared_ptr<const KeyedEndpoint> endpoint;  // endpoint->key names it in errors
  ConnectionWatch watch;
  std::unique_ptr<Connection> connection;
  ResponseHead head;
  std::optional<BodyReader> body;
  std::optional<ContentDecoder> decoder;  // a body in a content coding: read through it
  bool at_end = false;

  // Drops the connection: never reused, and no interrupt can reach its socket any more.
  void drop() noexcept {
    watch.stop();
    connection.reset();
  }

  ~Impl() {
    watch.stop();
    if (connection && at_end && body && body->complete() && head.keep_alive &&
        !watch.interrupted()) {
      pool->give(std::move(connection));
    }
  }
};

ResponseStream::ResponseStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseStream::~ResponseStream() = default;

int ResponseStream::status() const noexcept { return impl_->head.status; }

const HttpHeaders& ResponseStream::headers() const noexcept { return impl_->head.headers; }

bool ResponseStream::ends_with_connection() const noexcept {
  const ResponseHead& head = impl_->head;
  return !head.no_body && !head.chunked && !head.content_length;
}

std::size_t ResponseStream::read_some(char* buffer, std::size_t capacity) {
  if (impl_->at_end) return 0;
  // OpenSSL waits in the socket: on a fiber (a stream opened from a batch's on_item), each TLS
  // read is a helper thread's, so that it holds up no other conversation.
  if (FiberLoop* loop = FiberLoop::current();
      loop != nullptr && impl_->connection && impl_->connection->tls()) {
    return loop->run_blocking([&] { return read_some(buffer, capacity); });
  }
  if (!impl_->connection) {
    impl_->watch.check();  // aborted: say why if we know
    throw Error(ErrorKind::network, "the connection to " + impl_->endpoint->key + " was closed");
  }
  try {
    impl_->watch.check();
    BodyReader& body = *impl_->body;
    std::size_t n = impl_->decoder
                        ? impl_->decoder->read(
                              [&body](char* in, std::size_t room) { return body.read(in, room); },
                              buffer, capacity)
                        : body.read(buffer, capacity);
    if (n == 0) {
      impl_->watch.check();  // an interrupt shuts the socket: that end is not the body's
      impl_->at_end = true;
    }
    return n;
  } catch (const Poco::Exception& e) {
    Error error = impl_->watch.explain(e);
    impl_->drop();
    throw error;
  } catch (const Error& e) {
    ErrorInfo info = impl_->watch.explain(e).info();
    // A body that is not what its head promised (broken framing or coding, over a limit) is a
    // fault of this reply: its status goes with it. A cut or a silence is the connection's.
    if (info.kind == ErrorKind::protocol && info.http_status == 0) info.http_status = status();
    impl_->drop();
    throw Error(std::move(info), e.partial_content());
  }
}

std::string ResponseStream::read_all(std::size_t limit) {
  std::string body;
  char chunk[16384];
  try {
    while (std::size_t n = read_some(chunk, sizeof chunk)) {
      if (body.size() + n > limit) {
        abort();
        ErrorInfo info{.kind = ErrorKind::protocol, .http_status = status()};
        info.message = "response body from " + impl_->endpoint->key + " exceeds the limit of " +
                       std::to_string(limit) + " bytes (max_body_bytes" +
                       (impl_->decoder ? ", counted decoded)" : ")");
        throw Error(std::move(info));
      }
      body.append(chunk, n);
    }
  } catch (const Error& e) {
    // An error reply's status tells what went wrong: a body of it that cannot be read whole (in
    // a coding it is not in, over the limit) is what arrived of it, and the status decides.
    if (is_success(status()) || e.kind() != ErrorKind::protocol) throw;
    abort();
  }
  return body;
}

void ResponseStream::finish_quietly(std::chrono::milliseconds grace) noexcept {
  if (impl_->at_end || !impl_->connection) return;
  try {
    impl_->watch.enter("draining the response from ", impl_->endpoint->key, grace,
                       "the drain grace");
    char chunk[4096];
    std::size_t total = 0;
    while (std::size_t n = read_some(chunk, sizeof chunk)) {
      total += n;
      if (total > sizeof chunk) {  // not a terminator: the server keeps talking
        abort();
        return;
      }
    }
  } catch (...) {
    abort();
  }
}

void ResponseStream::abort() noexcept { impl_->drop(); }

Transport::Transport(TransportOptions options)
    : options_(std::move(options)),
      pool_(std::make_shared<ConnectionPool>(options_.max_idle_connections_per_endpoint)),
      tls_(std::make_shared<TlsContext>(options_)) {
  // A configured proxy is checked now: a bad one is a configuration error, found before any
  // request.
  if (!options_.proxy.empty()) parse_proxy(options_.proxy);
}

Transport::~Transport() = default;

std::unique_ptr<ResponseStream> Transport::open(const HttpRequest& request,
                                                const RequestContext& context) {
  return std::make_unique<ResponseStream>(open_impl(request, context));
}

std::unique_ptr<ResponseStream::Impl> Transport::open_impl(const HttpRequest& request,
                                                           const RequestContext& context) {
  require_safe_request_head(request);  // nothing with CR, LF or NUL in its head goes out
  std::shared_ptr<const KeyedEndpoint> keyed = keyed_endpoint(request.url);
  const Endpoint& endpoint = keyed->endpoint;
  // Connecting, the TLS handshake, the request and the response head under TLS: all of it on a
  // helper thread when called on a fiber.
  if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && endpoint.https) {
    return loop->run_blocking([&] { return open_impl(request, context); });
  }
  std::string proxy_from;
  std::string proxy_url = select_proxy(
      endpoint, options_.proxy, options_.proxy_from_environment,
      [](const char* name) { return std::getenv(name); }, &proxy_from);
  std::optional<Proxy> proxy;
  if (!proxy_url.empty()) {
    try {
      proxy = parse_proxy(proxy_url);
    } catch (const Error& e) {
      // Named by where it came from: one from the environment is read again for each call.
      throw Error(ErrorKind::bad_request, proxy_from + ": " + e.info().message);
    }
  }
  const std::string& where = keyed->key;
  std::string via_proxy = proxy ? where + " via " + proxy->display : std::string();
  const std::string& pool_key = proxy ? via_proxy : where;
  std::string bytes = write_request(request, endpoint, proxy);
  bool head_request = request.method == "HEAD";

  // A pooled connection the server closed without saying so fails before any byte of the
  // response arrives: then, and only then, the request is sent once more on a new connection.
  for (int attempt = 0;; ++attempt) {
    auto impl = std::make_unique<ResponseStream::Impl>(context);
    impl->pool = pool_;
    impl->endpoint = keyed;
    ConnectionWatch& watch = impl->watch;
    watch.check();
    if (attempt == 0) impl->connection = pool_->take(pool_key);
    if (!impl->connection) {
      // Resolving a name, connecting and a TLS handshake block: a fiber has them done for it.
      impl->connection = off_the_loop(
          [&] { return open_connection(endpoint, proxy, *tls_, options_, watch, pool_key); });
    }
    Connection& connection = *impl->connection;
    connection.start_use();
    bool reused = connection.reused();
    watch.watch(connection.plain_socket());
    try {
      // The upload's waits for room are silences the read timeout bounds (write_all): a long
      // one over a slow link is not cut while it moves.
      watch.enter("sending the request to ", where, std::nullopt);
      // A server may answer before it has read the whole request (a 413 for a body too large,
      // a 401): that answer, already in the socket, is the call's. It may close, which fails the
      // send (without an answer, the send's failure stands), or stop reading, which write_all
      // sees while it waits for room (on a plain connection). Not after a cancellation or a
      // limit: then the watch explains the failure.
      bool whole = false;
      std::exception_ptr send_failure;
      try {
        whole = connection.write_all(bytes);
      } catch (const Poco::TimeoutException&) {
        // The server took no byte for the read timeout: no answer came meanwhile (on a plain
        // connection the wait looked for one), and none is waited for after it.
        throw;
      } catch (const Poco::Exception&) {
        if (watch.interrupted()) throw;
        send_failure = std::current_exception();
      }
      // The whole head within the read timeout, however it is trickled: one alarm per call. An
      // early answer is read as part of the send it ended.
      watch.enter(whole ? "waiting for the response headers from " : "sending the request to ",
                  where, options_.read_timeout, "the read timeout");
      if (whole) {
        read_response_head(connection, head_request, impl->head);
      } else if (watch.interrupted() || !answered_early(connection, head_request, impl->head)) {
        if (send_failure) std::rethrow_exception(send_failure);
        throw Poco::Net::ConnectionResetException("the connection closed while sending");
      }
    } catch (const Poco::Exception& e) {
      // A silence is no connection the server closed unannounced: the server is there, and a
      // second send would wait as long again.
      const bool silence = dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr;
      if (reused && attempt == 0 && !impl->head.bytes_seen && !watch.interrupted() && !silence) {
        continue;
      }
      throw watch.explain(e);
    } catch (const Error& e) {
      if (reused && attempt == 0 && !impl->head.bytes_seen && !watch.interrupted() &&
          e.kind() == ErrorKind::network) {
        continue;
      }
      throw watch.explain(e);
    }
    // A 408 on a reused connection is a server that timed the idle connection out and said so
    // as it closed it (RFC 9110 §15.5.9), before this request arrived: sent once more, on a new
    // connection, as for a pooled connection found closed.
    if (reused && attempt == 0 && impl->head.status == 408 && !impl->head.keep_alive) {
      if (log_enabled(LogLevel::debug)) {
        log(LogLevel::debug, "HTTP 408 closing a reused connection to " + where +
                                 url_without_secrets(endpoint.target) +
                                 ": the request is sent again on a new one");
      }
      continue;
    }
    watch.enter("reading the response body from ", where, std::nullopt);
    impl->body.emplace(connection, impl->head, options_.read_timeout);
    // A reply without a body has nothing to decode, whatever its head says.
    const bool body_expected = !impl->head.no_body && impl->head.content_length != 0U;
    if (auto coding =
            body_expected ? content_coding(impl->head.headers, impl->head.status) : std::nullopt) {
      impl->decoder.emplace(*coding);
    }
    if (log_enabled(LogLevel::debug)) {
      log(LogLevel::debug, "HTTP " + std::to_string(impl->head.status) + " from " + where +
                               url_without_secrets(endpoint.target) +
                               (reused ? " (reused connection)" : ""));
    }
    return impl;
  }
}

HttpResponse Transport::send(const HttpRequest& request, const RequestContext& context) {
  auto exchange = [&] {
    ResponseStream stream(open_impl(request, context));
    HttpResponse response;
    response.status = stream.status();
    response.body = stream.read_all(options_.max_body_bytes);
    response.headers = std::move(stream.impl_->head.headers);
    return response;
  };
  // Reads under TLS go through OpenSSL, which waits in the socket: a fiber has the whole
  // exchange done on a helper thread, where a slow server holds up no other call.
  if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && is_https(request.url)) {
    return loop->run_blocking(exchange);
  }
  return exchange();
}

}  // namespace llmrt::core
