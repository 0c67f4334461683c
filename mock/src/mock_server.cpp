#include "llmrt/mock/mock_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <mutex>
#include <stdexcept>

#include "arrival_limit.h"
#include "protocol.h"
#include "raw_response.h"
#include "route_pattern.h"
#include "wire.h"

// Poco is not built with ThreadSanitizer: the atomic reference count that orders the release
// of a connection's stop-event delegate (HTTPServerConnection's destructor on its thread,
// HTTPServer::stopAll's copy of the delegate list on the stopping thread) is invisible to it, so
// it reports the delegate's mutex destroyed "racing" with its last lock. Every program that runs
// this server (the tests, `llmrt mock-server`) carries the suppression.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LLMRT_MOCK_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(LLMRT_MOCK_UNDER_TSAN)
// Visible: the sanitizer's runtime finds it through the program's dynamic symbol table.
extern "C" __attribute__((visibility("default"))) const char*
__tsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier)
  return "race:Poco::Delegate<Poco::Net::HTTPServerConnection\n";
}
#endif

namespace llmrt::mock {

struct MockServer::Impl {
  Options options;
  // Whole paths (with `{name}` for one segment, see route_pattern.h): a suffix match would
  // hide a wrong api base (`…:8080` without `/v1`).
  std::vector<std::pair<std::string, std::unique_ptr<Protocol>>> routes;
  mutable std::mutex mutex;
  Scenario default_scenario;
  std::deque<Scenario> queued;
  std::vector<RecordedRequest> recorded;
  std::vector<std::uint64_t> recorded_ids;  // beside `recorded`: where a reply's status goes
  std::uint64_t next_record_id = 0;
  std::unique_ptr<ArrivalLimit> rate_limit;
  // The server gets its own pool, joined on stop: HTTPServer::stopAll does not wait for
  // handlers still running.
  std::unique_ptr<Poco::ThreadPool> threads;
  std::unique_ptr<Poco::Net::ServerSocket> socket;
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
  // Answers a recorded request; returns the status it was answered with.
  int answer(const RecordedRequest& rec, const ArrivalLimit::Decision& arrival,
             Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  // The reply written through the socket, with the scenario's hostile faults.
  static void respond_raw(const Protocol& protocol, const RecordedRequest& rec,
                          const rapidjson::Value& body, const Scenario& scenario,
                          Poco::Net::HTTPServerResponse& response, Wire& wire);
};

namespace {

void send_plain(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                const std::string& message) {
  // The OpenAI error shape: every plugin reads its message (DashScope's compatible mode too).
  rapidjson::StringBuffer body;
  rapidjson::Writer<rapidjson::StringBuffer> w(body);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("type");
  w.String("mock_error");
  w.EndObject();
  w.EndObject();
  response.setStatusAndReason(status);
  response.setContentType("application/json");
  response.sendBuffer(body.GetString(), body.GetSize());
}

// The answer to a path the server does not serve: a wrong --api-base is the usual cause, so
// the message lists the paths that exist.
std::string no_route_message(const std::string& method, const std::string& path) {
  std::string message = "no mock route for " + method + " " + path +
                        " (check the api base); the mock server answers POST on";
  const char* separator = " ";
  for (const MockRoute& route : mock_routes()) {
    message += separator + std::string(route.path) + " (" + std::string(route.protocol) + ")";
    separator = ", ";
  }
  return message;
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
  const ArrivalLimit::Decision arrival = rate_limit->arrive();
  RecordedRequest rec;
  rec.method = request.getMethod();
  rec.uri = request.getURI();
  rec.peer = request.clientAddress().toString();
  rec.received = arrival.at;
  for (const auto& [name, value] : request) rec.headers.emplace_back(name, value);
  Poco::StreamCopier::copyToString(request.stream(), rec.body);
  std::uint64_t id = 0;
  if (options.record) {
    std::lock_guard lock(mutex);
    id = next_record_id++;
    recorded.push_back(rec);
    recorded_ids.push_back(id);
  }
  const int status = answer(rec, arrival, request, response);
  if (options.record) {
    std::lock_guard lock(mutex);
    // Usually the last one; gone when the test cleared the requests meanwhile.
    auto it = std::find(recorded_ids.rbegin(), recorded_ids.rend(), id);
    if (it != recorded_ids.rend()) recorded[recorded_ids.rend() - it - 1].status = status;
  }
}

namespace {

// The status a reply went out with. A scenario's own status is taken as it is: Poco keeps it
// as an enumeration that has no 529, and reading one back is undefined behaviour.
int status_written(const Scenario& scenario, const Poco::Net::HTTPServerResponse& response) {
  return scenario.status != 200 ? scenario.status : static_cast<int>(response.getStatus());
}

}  // namespace

int MockServer::Impl::answer(const RecordedRequest& rec, const ArrivalLimit::Decision& arrival,
                             Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response) {
  std::string path = Poco::URI(rec.uri).getPath();
  auto route = std::find_if(routes.begin(), routes.end(),
                            [&](const auto& r) { return path_matches(r.first, path); });
  if (route == routes.end()) {
    send_plain(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND,
               no_route_message(rec.method, path));
    return response.getStatus();
  }
  const Protocol* protocol = route->second.get();
  if (rec.method != Poco::Net::HTTPRequest::HTTP_POST) {
    response.set("Allow", "POST");
    send_plain(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
               rec.method + " " + path + ": the mock server answers POST only");
    return response.getStatus();
  }
  rapidjson::Document body;
  body.Parse(rec.body.data(), rec.body.size());
  if (body.HasParseError() || !body.IsObject()) {
    send_plain(response, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST,
               "request body is not a JSON object");
    return response.getStatus();
  }
  Poco::Net::StreamSocket& socket =
      static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  if (!arrival.accepted) {
    // Refused before any scenario is taken: the queued ones go to the requests let through.
    Scenario refused;
    refused.status = 429;
    refused.headers = arrival.headers;
    Wire wire(socket, refused.fault_limit);
    try {
      protocol->respond(rec, body, refused, response, wire);
    } catch (const ClientGone&) {
      // The client went away before its answer: nothing more to say.
    } catch (const Poco::Exception&) {
      // Likewise, noticed by Poco itself.
    }
    return 429;
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
      return response.getStatus();
    }
  }
  // First: a scenario's own rate-limit headers win.
  scenario.headers.insert(scenario.headers.begin(), arrival.headers.begin(), arrival.headers.end());
  Wire wire(socket, scenario.fault_limit);
  try {
    if (scenario.stall_before_headers.count() > 0) wire.pause(scenario.stall_before_headers);
    if (scenario.endless_line) {
      send_endless_line(response);
      return 200;
    }
    if (!scenario.written_raw()) {
      protocol->respond(rec, body, scenario, response, wire);
      return status_written(scenario, response);
    }
    respond_raw(*protocol, rec, body, scenario, response, wire);
  } catch (const ClientGone&) {
    // The client went away mid-reply (a stop word, a cancelled stream), or the server stops.
  } catch (const Poco::Exception&) {
    // Likewise, noticed by Poco itself.
  }
  // Written byte by byte (or cut short): the status the scenario asked for.
  return scenario.written_raw() ? scenario.status : status_written(scenario, response);
}

void MockServer::Impl::respond_raw(const Protocol& protocol, const RecordedRequest& rec,
                                   const rapidjson::Value& body, const Scenario& scenario,
                                   Poco::Net::HTTPServerResponse& response, Wire& wire) {
  const bool stray = !scenario.stray_bytes.empty() || !scenario.stray_reply.empty();
  // Stray bytes without a delay go out in the same send as the reply: the client has them as
  // soon as it has its answer, however late this thread gets to run after the reply.
  if (stray && scenario.stray_delay.count() == 0) wire.hold();
  // Poco's own response is never sent: nothing of Poco's follows these bytes.
  RawResponse raw(wire, scenario, response);
  protocol.respond(rec, body, scenario, raw, wire);
  raw.finish();
  if (stray) {
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
    wire.release();
  }
  if (scenario.close_after_reply) {
    response.setKeepAlive(false);  // Poco stops serving the connection: it is closed
    wire.cut();
  }
}

namespace {

struct RouteSpec {
  MockRoute route;
  std::unique_ptr<Protocol> (*make)();
};

// The paths of the providers' real APIs under their api bases (the OpenAI plugin's default
// `…/v1`, DashScope's `…/api/v1` and `…/compatible-mode/v1`, Puyu's `…/api/v1`, an Azure
// OpenAI resource's deployments), and Puyu's again under /puyu/ (older tests and scripts use it).
// `…/v1`, DashScope's `…/api/v1` and `…/compatible-mode/v1`, Puyu's `…/api/v1`, Ollama's server
// root), and Puyu's again under /puyu/ (older tests and scripts use it).
const std::vector<RouteSpec>& route_specs() {
  static const std::vector<RouteSpec> kSpecs{
      {{"/v1/chat/completions", "OpenAI"},
       [] { return make_openai_protocol(OpenAiDialect::openai); }},
      {{"/api/v1/services/aigc/text-generation/generation", "DashScope native"},
       make_dashscope_protocol},
      {{"/compatible-mode/v1/chat/completions", "DashScope compatible mode"},
       [] { return make_openai_protocol(OpenAiDialect::openai); }},
      {{"/api/v1/chat/completions", "Puyu"},
       [] { return make_openai_protocol(OpenAiDialect::puyu); }},
      {{"/puyu/api/v1/chat/completions", "Puyu"},
       [] { return make_openai_protocol(OpenAiDialect::puyu); }},
      {{"/openai/deployments/{deployment}/chat/completions", "Azure OpenAI"},
       [] { return make_openai_protocol(OpenAiDialect::azure); }},
      {{"/v1/messages", "Anthropic"}, make_anthropic_protocol},
      {{"/v1beta/models/{model}:generateContent", "Gemini"}, make_gemini_protocol},
      {{"/v1beta/models/{model}:streamGenerateContent", "Gemini"}, make_gemini_protocol},
      {{"/api/chat", "Ollama"}, make_ollama_protocol},
  };
  return kSpecs;
}

std::string where(const MockServer::Options& options) {
  if (options.port == 0) return "a free port on " + options.host;
  return "port " + std::to_string(options.port) + " on " + options.host;
}

// Listens without SO_REUSEPORT (Poco's default sets it with SO_REUSEADDR): with it a second
// server on a port in use would share it, each getting part of the requests. SO_REUSEADDR
// alone still lets a stopped server's port be taken again at once.
std::uint16_t listen(MockServer::Impl& impl, bool tls) {
  const MockServer::Options& o = impl.options;
  try {
    Poco::Net::SocketAddress address(o.host, o.port);
    // Built as its own type: a SecureServerSocket assigned to a plain ServerSocket loses TLS.
    if (tls) {
      Poco::Net::initializeSSL();
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, o.tls_private_key_file,
                                 o.tls_certificate_file, "", Poco::Net::Context::VERIFY_NONE);
      impl.socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
    } else {
      impl.socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    impl.socket->bind(address, true, false);
    impl.socket->listen(256);
    // No TCP_NODELAY to set per reply: Poco's TCPServer sets it on every connection it accepts,
    // so that a reply's head and first events go out at once, as a real provider's front end
    // sends them, rather than waiting on the client's delayed ACK (Nagle). A test holds it.
  } catch (const Poco::Net::NetException& e) {
    if (e.code() == EADDRINUSE) throw PortInUse(where(o) + " is already in use");
    throw std::runtime_error("cannot listen on " + where(o) + ": " + e.displayText());
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + where(o) + ": " + e.displayText());
  }
  return impl.socket->address().port();
}

}  // namespace

const std::vector<MockRoute>& mock_routes() {
  static const std::vector<MockRoute> kRoutes = [] {
    std::vector<MockRoute> routes;
    for (const RouteSpec& spec : route_specs()) routes.push_back(spec.route);
    return routes;
  }();
  return kRoutes;
}

MockServer::MockServer() : MockServer(Options{}) {}

MockServer::MockServer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  for (const RouteSpec& spec : route_specs()) {
    impl_->routes.emplace_back(spec.route.path, spec.make());
  }
  impl_->rate_limit = std::make_unique<ArrivalLimit>(impl_->options.rate_limit.requests,
                                                     impl_->options.rate_limit.window);
  impl_->port = listen(*impl_, tls());
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(impl_->options.max_threads);
  params->setMaxQueued(1024);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited: benchmarks reuse connections
  impl_->threads = std::make_unique<Poco::ThreadPool>(2, impl_->options.max_threads);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->threads,
                                                          *impl_->socket, params);
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
  // An IPv6 address is bracketed in a URL (RFC 3986, 3.2.2).
  const std::string& host = impl_->options.host;
  bool ipv6 = host.find(':') != std::string::npos;
  return std::string(tls() ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" +
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
  impl_->recorded_ids.clear();
}

}  // namespace llmrt::mock
