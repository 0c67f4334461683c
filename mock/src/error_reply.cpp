#include <Poco/Net/HTTPResponse.h>

#include "protocol.h"

namespace llmrt::mock {

bool reply_with_error(const Scenario& scenario, const std::string& error_body,
                      Poco::Net::HTTPServerResponse& response) {
  for (const auto& [name, value] : scenario.headers) response.set(name, value);
  if (scenario.status == 200) return false;
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(scenario.status));
  response.setContentType("application/json");
  response.sendBuffer(error_body.data(), error_body.size());
  return true;
}

}  // namespace llmrt::mock
