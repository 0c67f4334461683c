#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "body_coder.h"
#include "llmrt/mock/scenario.h"
#include "wire.h"

namespace llmrt::mock {

// A response written byte by byte through the request's socket, with the scenario's hostile
// faults: interim responses, trickled headers, trickled chunk sizes, a body held open, trailers.
// The protocols write to it as to Poco's response; Poco itself never writes anything for the
// request (its own response is never sent), and keeps serving the connection afterwards.
class RawResponse final : public Poco::Net::HTTPServerResponse {
 public:
  // Starts with the version, keep-alive setting and headers Poco prepared in `prepared`.
  RawResponse(Wire& wire, const Scenario& scenario, const Poco::Net::HTTPServerResponse& prepared);
  ~RawResponse() override;

  void sendContinue() override;
  std::ostream& send() override;
  void sendFile(const std::string& path, const std::string& media_type) override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

  // Ends the body (held open, trailers) once the protocol has written all of it.
  void finish();

 private:
  class ChunkedBuffer;

  bool has_body() const;
  bool forced_chunked() const;
  void send_head();
  void write_chunk(std::string_view data);

  Wire& wire_;
  const Scenario& scenario_;
  bool sent_ = false;
  bool chunked_ = false;
  bool finished_ = false;
  std::unique_ptr<BodyCoder> coder_;  // the scenario's content coding, for a body
  std::unique_ptr<ChunkedBuffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
};

}  // namespace llmrt::mock
