#pragma once

// The plugin boundary. A plugin is a shared library exporting one C function,
// `llmrt_plugin_info`, that returns a pointer to a static llmrt_plugin_descriptor. The loader
// reads abi_version and struct_size first, then build_tag, then the layout fingerprint, and
// calls create() only when all four match what it was built with.
//
// Bump LLMRT_PLUGIN_ABI_VERSION whenever a plugin built against the old headers could
// misbehave with the new core: a change to the descriptor's existing fields, to the virtual
// functions of Provider or StreamDecoder (order, signature, addition), or to the layout of any
// sdk type passed across them (ChatRequest, HttpRequest, StreamEvent, ErrorInfo, …). Adding a
// field at the end of the descriptor needs no bump: struct_size tells the loader it is there.
// A layout change forgotten here is still caught: the descriptor carries the layout of every
// type that crosses (abi_layout.h), and the loader refuses a plugin whose layout differs,
// naming the type. A type added to the boundary goes on the list in abi_layout.h.

#include <cstdint>

#include "llmrt/sdk/abi_layout.h"
#include "llmrt/sdk/provider.h"
#include "llmrt/sdk/version.h"

// 2: 64-bit tool-call indexes. 3: ProviderInfo::base_url_env_var and ::options,
// ErrorInfo::url. 4: SDK 2 (the layout fingerprint, llmrt_plugin_descriptor::layout).
#define LLMRT_PLUGIN_ABI_VERSION 4u
#define LLMRT_PLUGIN_ENTRY_POINT "llmrt_plugin_info"

#define LLMRT_STRINGIFY_(x) #x
#define LLMRT_STRINGIFY(x) LLMRT_STRINGIFY_(x)

// What must match, beyond the ABI version, for C++ objects to cross the boundary safely: the
// compiler family and major version, the standard library and its string ABI, and the llmrt
// release series whose headers the plugin was built with.
#if defined(__clang__)
#define LLMRT_COMPILER_TAG_ "clang-" LLMRT_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define LLMRT_COMPILER_TAG_ "gcc-" LLMRT_STRINGIFY(__GNUC__)
#else
#define LLMRT_COMPILER_TAG_ "unknown-compiler"
#endif
#if defined(_LIBCPP_VERSION)
#define LLMRT_STDLIB_TAG_ "libc++"
#elif defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define LLMRT_STDLIB_TAG_ "libstdc++-cxx11"
#else
#define LLMRT_STDLIB_TAG_ "libstdc++-old"
#endif
#define LLMRT_BUILD_TAG \
  LLMRT_COMPILER_TAG_   \
  ";" LLMRT_STDLIB_TAG_ \
  ";llmrt-" LLMRT_STRINGIFY(LLMRT_VERSION_MAJOR) "." LLMRT_STRINGIFY(LLMRT_VERSION_MINOR)

extern "C" {

struct llmrt_plugin_descriptor {
  std::uint32_t abi_version;  // LLMRT_PLUGIN_ABI_VERSION the plugin was built with
  std::uint32_t struct_size;  // sizeof(llmrt_plugin_descriptor) in the plugin's headers
  const char* name;
  const char* version;
  const char* build_tag;  // LLMRT_BUILD_TAG the plugin was built with
  // Returns null when construction failed; never throws.
  llmrt::Provider* (*create)() noexcept;
  void (*destroy)(llmrt::Provider*) noexcept;
  // Since ABI 4: the layout of every SDK type that crosses the boundary as the plugin's headers
  // had it (&llmrt::kSdkLayout of the plugin's own compilation). Checked after build_tag.
  const llmrt_layout_table* layout;
};

using llmrt_plugin_info_fn = const llmrt_plugin_descriptor*() noexcept;

}  // extern "C"

// Defines the entry point of a plugin whose provider class is default-constructible.
// Exceptions never leave create(): an extern "C" function must not throw.
#define LLMRT_EXPORT_PLUGIN(ProviderClass, plugin_name, plugin_version)              \
  namespace {                                                                        \
  llmrt::Provider* llmrt_plugin_create_() noexcept {                                 \
    try {                                                                            \
      return std::make_unique<ProviderClass>().release();                            \
    } catch (...) {                                                                  \
      return nullptr;                                                                \
    }                                                                                \
  }                                                                                  \
  void llmrt_plugin_destroy_(llmrt::Provider* provider) noexcept {                   \
    std::unique_ptr<llmrt::Provider> owned(provider);                                \
  }                                                                                  \
  }                                                                                  \
  extern "C" __attribute__((visibility("default"))) const llmrt_plugin_descriptor*   \
  llmrt_plugin_info() noexcept {                                                     \
    static const llmrt_plugin_descriptor descriptor{LLMRT_PLUGIN_ABI_VERSION,        \
                                                    sizeof(llmrt_plugin_descriptor), \
                                                    plugin_name,                     \
                                                    plugin_version,                  \
                                                    LLMRT_BUILD_TAG,                 \
                                                    &llmrt_plugin_create_,           \
                                                    &llmrt_plugin_destroy_,          \
                                                    &llmrt::kSdkLayout};             \
    return &descriptor;                                                              \
  }
