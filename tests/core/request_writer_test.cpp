// The bytes of a request head as write_request lays them out: every piece in its place, for the
// shapes a call can take (a port or none, IPv6, a proxy in front of HTTP or HTTPS, no body).
#include "http/request_writer.h"

#include <gtest/gtest.h>

namespace llmrt::core {
namespace {

HttpRequest post(std::string body) {
  HttpRequest request;
  request.headers = {{"Authorization", "Bearer sk-test"}, {"Content-Type", "application/json"}};
  request.body = std::move(body);
  return request;
}

TEST(RequestWriter, APostWithItsHeadersLengthAndBody) {
  const Endpoint endpoint{.https = false, .host = "127.0.0.1", .port = 8080, .target = "/v1/x?a=b"};
  EXPECT_EQ(write_request(post(R"({"a":1})"), endpoint, std::nullopt),
            "POST /v1/x?a=b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Authorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
            "Content-Length: 7\r\n\r\n{\"a\":1}");
}

TEST(RequestWriter, TheDefaultPortIsLeftOutAndAnIpv6HostIsBracketed) {
  HttpRequest request = post("");
  request.headers.clear();
  EXPECT_EQ(
      write_request(request, {.https = true, .host = "api.example", .port = 443, .target = "/"},
                    std::nullopt),
      "POST / HTTP/1.1\r\nHost: api.example\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(write_request(request, {.https = false, .host = "::1", .port = 80, .target = "/p"},
                          std::nullopt),
            "POST /p HTTP/1.1\r\nHost: [::1]\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(write_request(request, {.https = false, .host = "::1", .port = 9000, .target = "/p"},
                          std::nullopt),
            "POST /p HTTP/1.1\r\nHost: [::1]:9000\r\nContent-Length: 0\r\n\r\n");
}

TEST(RequestWriter, AGetWithoutABodyHasNoLength) {
  HttpRequest request;
  request.method = "GET";
  request.headers = {{"Accept", "*/*"}};
  EXPECT_EQ(write_request(request, {.https = false, .host = "h", .port = 80, .target = "/m"},
                          std::nullopt),
            "GET /m HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n");
  for (const char* method : {"PUT", "PATCH"}) {
    request.method = method;
    EXPECT_EQ(write_request(request, {.https = false, .host = "h", .port = 80, .target = "/m"},
                            std::nullopt),
              std::string(method) +
                  " /m HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nContent-Length: 0\r\n\r\n");
  }
}

// A body decides the length whatever the method; an empty header value keeps its separator.
TEST(RequestWriter, AnyBodyHasItsLengthAndAnEmptyValueItsColon) {
  HttpRequest request;
  request.method = "DELETE";
  request.headers = {{"X-Empty", ""}};
  request.body = "abc";
  EXPECT_EQ(write_request(request, {.https = false, .host = "h", .port = 80, .target = "/m"},
                          std::nullopt),
            "DELETE /m HTTP/1.1\r\nHost: h\r\nX-Empty: \r\nContent-Length: 3\r\n\r\nabc");
}

TEST(RequestWriter, PlainHttpThroughAProxyNamesTheWholeUrlAndCarriesItsCredentials) {
  const Proxy proxy{
      .host = "proxy", .port = 3128, .authorization = "Basic dTpw", .display = "http://proxy:3128"};
  const Endpoint plain{.https = false, .host = "10.0.0.1", .port = 8000, .target = "/v1/c"};
  EXPECT_EQ(write_request(post("{}"), plain, proxy),
            "POST http://10.0.0.1:8000/v1/c HTTP/1.1\r\nHost: 10.0.0.1:8000\r\n"
            "Authorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
            "Proxy-Authorization: Basic dTpw\r\nContent-Length: 2\r\n\r\n{}");
  // Inside a CONNECT tunnel the proxy sees nothing: origin form, and no proxy credentials.
  const Endpoint tls{.https = true, .host = "10.0.0.1", .port = 8443, .target = "/v1/c"};
  EXPECT_EQ(write_request(post("{}"), tls, proxy),
            "POST /v1/c HTTP/1.1\r\nHost: 10.0.0.1:8443\r\n"
            "Authorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\n\r\n{}");
  Proxy anonymous = proxy;
  anonymous.authorization.clear();
  EXPECT_EQ(write_request(post("{}"), plain, anonymous),
            "POST http://10.0.0.1:8000/v1/c HTTP/1.1\r\nHost: 10.0.0.1:8000\r\n"
            "Authorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\n\r\n{}");
}

}  // namespace
}  // namespace llmrt::core
