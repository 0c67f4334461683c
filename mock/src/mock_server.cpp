#include "llmrt/mock/mock_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <deque>
#include <mutex>
#include <stdexcept>

#include "protocol.h"
#include "raw_response.h"
#include "wire.h"

namespace llmrt::mock {

struct MockServer::Impl {
  Options options;
  std::vector<std::unique_ptr<Protocol>> protocols;
  mutable std::mutex mutex;
  Scenario default_scenario;
  std::deque<Scenario> queued;
  std::vector<RecordedRequest> recorded;
  // The server gets its own pool, joined on stop: HTTPServer::stopAll does not wait for
  // handlers still running.
  std::unique_ptr<Poco::ThreadPool> threads;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;

  // A stream whose one line never ends, for the bounded-memory tests: it stops when the
  // client gives up (or after 1 GiB, so that it always stops).
  static void send_endless_line(Poco::Net::HTTPServerResponse& response) {
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/event-stream");
    std::ostream& out = response.send();
    const std::string piece(std::size_t{64} << 10, 'x');
    out << "data: ";
    for (std::size_t sent = 0; sent < (std::size_t{1} << 30) && out.good(); sent += piece.size()) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      out.flush();
    }
  }

  Scenario next_scenario() {
    std::lock_guard lock(mutex);
    if (queued.empty()) return default_scenario;
    Scenario s = std::move(queued.front());
    queued.pop_front();
    return s;
  }

  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  // The reply written through the socket, with the scenario's hostile faults.
  static void respond_raw(const Protocol& protocol, const RecordedRequest& rec,
                          const rapidjson::Value& body, const Scenario& scenario,
                          Poco::Net::HTTPServerResponse& response, Wire& wire);
};

namespace {

void send_plain(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                const std::string& message) {
  response.setStatus(status);
  response.setContentType("application/json");
  std::string body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"mock_error\"}}";
  response.sendBuffer(body.data(), body.size());
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(MockServer::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    impl_.handle(request, response);
  }

 private:
  MockServer::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(MockServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);  // Poco's interface: the server takes ownership
  }

 private:
  MockServer::Impl& impl_;
};

}  // namespace

void MockServer::Impl::handle(Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
  RecordedRequest rec;
  rec.method = request.getMethod();
  rec.uri = request.getURI();
  rec.peer = request.clientAddress().toString();
  for (const auto& [name, value] : request) rec.headers.emplace_back(name, value);
  Poco::StreamCopier::copyToString(request.stream(), rec.body);
  if (options.record) {
    std::lock_guard lock(mutex);
    recorded.push_back(rec);
  }

  std::string path = Poco::URI(rec.uri).getPath();
  const Protocol* protocol = nullptr;
  for (const auto& p : protocols) {
    if (p->handles(path)) {
      protocol = p.get();
      break;
    }
  }
  if (protocol == nullptr) {
    send_plain(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "no mock route for " + path);
    return;
  }
  rapidjson::Document body;
  body.Parse(rec.body.data(), rec.body.size());
  if (body.HasParseError() || !body.IsObject()) {
    send_plain(response, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST,
               "request body is not a JSON object");
    return;
  }
  Scenario scenario = next_scenario();
  if (const rapidjson::Value* mock = protocol->mock_object(body)) {
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> w(text);
    mock->Accept(w);
    try {
      apply_overrides(scenario, std::string_view(text.GetString(), text.GetSize()));
    } catch (const std::invalid_argument& e) {
      send_plain(response, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, e.what());
      return;
    }
  }
  Poco::Net::StreamSocket& socket =
      static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  Wire wire(socket, scenario.fault_limit);
  try {
    if (scenario.stall_before_headers.count() > 0) wire.pause(scenario.stall_before_headers);
    if (scenario.endless_line) {
      send_endless_line(response);
      return;
    }
    if (!scenario.written_raw()) {
      protocol->respond(rec, body, scenario, response, wire);
      return;
    }
    respond_raw(*protocol, rec, body, scenario, response, wire);
  } catch (const ClientGone&) {
    // The client went away mid-reply (a stop word, a cancelled stream), or the server stops.
  } catch (const Poco::Exception&) {
    // Likewise, noticed by Poco itself.
  }
}

void MockServer::Impl::respond_raw(const Protocol& protocol, const RecordedRequest& rec,
                                   const rapidjson::Value& body, const Scenario& scenario,
                                   Poco::Net::HTTPServerResponse& response, Wire& wire) {
  // Poco's own response is never sent: nothing of Poco's follows these bytes.
  RawResponse raw(wire, scenario, response);
  protocol.respond(rec, body, scenario, raw, wire);
  raw.finish();
  if (!scenario.stray_bytes.empty() || !scenario.stray_reply.empty()) {
    if (scenario.stray_delay.count() > 0) wire.pause(scenario.stray_delay);
    wire.write(scenario.stray_bytes);
    if (!scenario.stray_reply.empty()) {
      // A whole second reply nobody asked for, in the request's own protocol and form.
      Scenario stray;
      stray.content = scenario.stray_reply;
      RawResponse unrequested(wire, stray, response);
      protocol.respond(rec, body, stray, unrequested, wire);
      unrequested.finish();
    }
  }
  if (scenario.close_after_reply) {
    response.setKeepAlive(false);  // Poco stops serving the connection: it is closed
    wire.cut();
  }
}

MockServer::MockServer() : MockServer(Options{}) {}

MockServer::MockServer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  // First match wins: the Puyu paths also end in /chat/completions.
  impl_->protocols.push_back(make_openai_protocol(OpenAiDialect::puyu));
  impl_->protocols.push_back(make_dashscope_protocol());
  impl_->protocols.push_back(make_openai_protocol(OpenAiDialect::openai));
  Poco::Net::SocketAddress address(impl_->options.host, impl_->options.port);
  // Built as its own type: a SecureServerSocket assigned to a plain ServerSocket loses TLS.
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (tls()) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, impl_->options.tls_private_key_file,
        impl_->options.tls_certificate_file, "", Poco::Net::Context::VERIFY_NONE);
    socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 256, context);
  } else {
    socket = std::make_unique<Poco::Net::ServerSocket>(address, 256);
  }
  impl_->port = socket->address().port();
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(impl_->options.max_threads);
  params->setMaxQueued(1024);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited: benchmarks reuse connections
  impl_->threads = std::make_unique<Poco::ThreadPool>(2, impl_->options.max_threads);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->threads,
                                                          *socket, params);
  impl_->server->start();
}

MockServer::~MockServer() { stop(); }

void MockServer::stop() {
  if (!impl_->server) return;
  impl_->server->stopAll(true);
  impl_->threads->joinAll();
  impl_->server.reset();
}

std::uint16_t MockServer::port() const noexcept { return impl_->port; }

bool MockServer::tls() const noexcept {
  return !impl_->options.tls_certificate_file.empty() &&
         !impl_->options.tls_private_key_file.empty();
}

std::string MockServer::base_url() const {
  return std::string(tls() ? "https://" : "http://") + impl_->options.host + ":" +
         std::to_string(impl_->port);
}

void MockServer::set_default(Scenario scenario) {
  std::lock_guard lock(impl_->mutex);
  impl_->default_scenario = std::move(scenario);
}

void MockServer::push(Scenario scenario) {
  std::lock_guard lock(impl_->mutex);
  impl_->queued.push_back(std::move(scenario));
}

std::vector<RecordedRequest> MockServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->recorded;
}

RecordedRequest MockServer::last_request() const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->recorded.empty()) throw std::logic_error("the mock server has had no request");
  return impl_->recorded.back();
}

void MockServer::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->recorded.clear();
}

}  // namespace llmrt::mock
