// Each plugin's whole-response parser and error classifier on any body and status: a result
// or llmrt::Error, never anything else; classify_error never throws.
#include "fuzz_input.h"
#include "llmrt/sdk/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input in(data, size);
  auto provider = llmrt::fuzz::plugins().get_provider(llmrt::fuzz::plugin_name(in.byte()));
  int status = 100 + in.byte() * 2;
  llmrt::HttpResponse response{status, {{"x-request-id", "fuzz"}}, std::string(in.rest())};
  try {
    provider->parse_response(response);
  } catch (const llmrt::Error&) {
  }
  llmrt::ErrorInfo info = provider->classify_error(response);
  if (info.http_status != status) llmrt::fuzz::broken_promise();
  return 0;
}
