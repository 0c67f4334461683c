#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <rapidjson/document.h>

#include <memory>
#include <ostream>
#include <string_view>

#include "llmrt/mock/scenario.h"

namespace llmrt::mock {

// One provider's wire protocol on the mock server.
class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual bool handles(std::string_view path) const = 0;
  // Where this protocol's request body carries the per-request "mock" object, if anywhere.
  virtual const rapidjson::Value* mock_object(const rapidjson::Value& body) const = 0;
  virtual void respond(const rapidjson::Value& body, const Scenario& scenario,
                       Poco::Net::HTTPServerResponse& response) const = 0;
};

std::unique_ptr<Protocol> make_openai_protocol();

// Writes stream events, flushing every `per_flush` events and pausing between them as the
// scenario says.
class EventWriter {
 public:
  struct ClientGone {};  // thrown when the client closed the connection mid-reply

  EventWriter(std::ostream& out, const Scenario& scenario);
  void write(std::string_view event_text);
  void finish();

 private:
  void check() const;

  std::ostream& out_;
  const Scenario& scenario_;
  int unflushed_ = 0;
  bool first_ = true;
};

}  // namespace llmrt::mock
