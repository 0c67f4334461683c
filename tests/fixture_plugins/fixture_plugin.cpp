// A minimal provider compiled several times with different definitions, one per way a plugin
// file can be right or wrong (see CMakeLists.txt).
#include <stdexcept>

#include "llmrt/sdk/plugin_abi.h"

#ifndef FIXTURE_ABI
#define FIXTURE_ABI LLMRT_PLUGIN_ABI_VERSION
#endif
#ifndef FIXTURE_BUILD_TAG
#define FIXTURE_BUILD_TAG LLMRT_BUILD_TAG
#endif

namespace {

class FixtureProvider final : public llmrt::Provider {
 public:
#ifdef FIXTURE_CREATE_THROWS
  // Through LLMRT_EXPORT_PLUGIN (below), whose create() turns this into a null provider.
  FixtureProvider() { throw std::runtime_error("constructor failed on purpose"); }
#endif
  llmrt::ProviderInfo info() const override {
#ifdef FIXTURE_INFO_THROWS
    throw std::runtime_error("info() failed on purpose");
#endif
    return {.name = FIXTURE_NAME,
            .default_api_base = "http://127.0.0.1:1/v1",
            .key_env_var = "FIXTURE_API_KEY",
            .description = "loader test fixture",
            .options = {}};
  }
  llmrt::HttpRequest build_request(const llmrt::ChatRequest& request,
                                   const llmrt::Credentials&) const override {
    return {.method = "POST", .url = request.api_base, .headers = {}, .body = request.model};
  }
  llmrt::ChatResult parse_response(const llmrt::HttpResponse& response) const override {
    return {.content = response.body};
  }
  std::unique_ptr<llmrt::StreamDecoder> new_stream_decoder(
      const llmrt::ChatRequest&, const llmrt::StreamContext&) const override {
    return nullptr;
  }
  llmrt::ErrorInfo classify_error(const llmrt::HttpResponse&) const override { return {}; }
};

#if !defined(FIXTURE_NO_ENTRY) && !defined(FIXTURE_CREATE_THROWS)
llmrt::Provider* create() noexcept {
#ifdef FIXTURE_CREATE_FAILS
  return nullptr;
#else
  return std::make_unique<FixtureProvider>().release();
#endif
}
void destroy(llmrt::Provider* p) noexcept { std::unique_ptr<llmrt::Provider> owned(p); }
#endif

}  // namespace

#if defined(FIXTURE_CREATE_THROWS)
LLMRT_EXPORT_PLUGIN(FixtureProvider, FIXTURE_NAME, "9.9.9")
#elif !defined(FIXTURE_NO_ENTRY)
extern "C" __attribute__((visibility("default"))) const llmrt_plugin_descriptor*
llmrt_plugin_info() noexcept {
  static const llmrt_plugin_descriptor descriptor{
      FIXTURE_ABI,       sizeof(llmrt_plugin_descriptor),
      FIXTURE_NAME,      "9.9.9",
      FIXTURE_BUILD_TAG, &create,
      &destroy,          &llmrt::kSdkLayout};
  return &descriptor;
}
#else
// Exports something, so the library is a valid plugin-shaped file without the entry point.
extern "C" __attribute__((visibility("default"))) int llmrt_not_the_entry_point() { return 1; }
#endif
