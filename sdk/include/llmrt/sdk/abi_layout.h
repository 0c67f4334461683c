#pragma once

// The layout fingerprint of the plugin boundary: for every SDK type that crosses it, its size,
// its alignment and the offset and size of each field, as the including translation unit's
// headers have them. A plugin's descriptor points at the table its own compilation produced
// (LLMRT_EXPORT_PLUGIN does it); the loader compares it with the core's and refuses a plugin
// built against headers whose types differ, naming the type and the field. The ABI version
// catches what we remember to bump; the fingerprint catches what we forgot (a field added to
// ErrorInfo without a bump once loaded, printed a garbled error and crashed).
//
// What it cannot see: virtual functions (their order and signatures are the ABI version's
// job), and the inside of standard library types (the build tag's job: same compiler family,
// same standard library and string ABI).

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>
#include <utility>

#include "llmrt/sdk/chat_request.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/gen_params.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/message.h"
#include "llmrt/sdk/provider.h"
#include "llmrt/sdk/stream_event.h"
#include "llmrt/sdk/tool.h"

// The types that cross the boundary, one line each: X(Type, every data member in declaration
// order). A type of namespace llmrt whose members cannot be named — a std::variant, a class
// with private members — is listed with none: its size and alignment are still compared.
// Adding a type is one line here (and the #include of its header above). A member added to a
// listed aggregate but not here fails to compile (the static_assert below counts members); one
// added to an unlisted type still changes the size of every listed type that holds it.
#define LLMRT_SDK_LAYOUT_TYPES(X)                                                                 \
  X(ChatRequest, model, api_base, messages, params, stream, options)                              \
  X(TextPart, text)                                                                               \
  X(ImagePart, url, media_type, data, detail)                                                     \
  X(ContentPart)                                                                                  \
  X(ReasoningBlock, text, signature, redacted)                                                    \
  X(Message, role, content, parts, name, tool_call_id, tool_calls, reasoning)                     \
  X(ToolSpec, name, description, parameters_json)                                                 \
  X(ToolChoice, mode, name)                                                                       \
  X(GenParams, max_new_tokens, top_p, temperature, repetition_penalty, top_k, stop_words, seed,   \
    json_mode, tools, tool_choice, extras)                                                        \
  X(Credentials, api_key, organization)                                                           \
  X(HttpRequest, method, url, headers, body, warnings)                                            \
  X(HttpResponse, status, headers, body)                                                          \
  X(ProviderInfo, name, default_api_base, key_env_var, description, base_url_env_var, options)    \
  X(DecoderLimits, max_event_bytes)                                                               \
  X(StreamContext, status, headers, limits)                                                       \
  X(ChatResult, content, reasoning, reasoning_blocks, tool_calls, finish_reason,                  \
    finish_reason_raw, usage, warnings, served_by, cost)                                          \
  X(ToolCall, index, id, type, name, arguments)                                                   \
  X(Usage, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens, \
    reasoning_tokens)                                                                             \
  X(ErrorInfo, kind, http_status, code, message, request_id, provider, retry_after, retryable,    \
    url)                                                                                          \
  X(Error)                                                                                        \
  X(ContentDelta, text)                                                                           \
  X(ReasoningDelta, text, signature, redacted, block)                                             \
  X(ToolCallDelta, index, id, name, arguments)                                                    \
  X(FinishEvent, reason, raw)                                                                     \
  X(UsageEvent, usage)                                                                            \
  X(ErrorEvent, error)                                                                            \
  X(DoneEvent)                                                                                    \
  X(WarningEvent, message)                                                                        \
  X(StreamEvent)

extern "C" {

// Plain C structs with fixed-width numbers: the loader reads them before it trusts anything
// else the plugin holds. Changing them needs an ABI version bump.
struct llmrt_layout_field {
  const char* name;
  std::uint64_t offset;
  std::uint64_t size;
};
struct llmrt_layout_type {
  const char* name;
  std::uint64_t size;
  std::uint64_t align;
  std::uint64_t field_count;
  const llmrt_layout_field* fields;
};
struct llmrt_layout_table {
  std::uint64_t type_count;
  const llmrt_layout_type* types;
};

}  // extern "C"

// X(T, a, b, c) → M(T, a) M(T, b) M(T, c): each step re-expands the rest, and every
// LLMRT_SDK_EXPAND_ level multiplies the rescans, so lists of up to 256 members expand.
#define LLMRT_SDK_PARENS_ ()
#define LLMRT_SDK_EXPAND_(...) \
  LLMRT_SDK_EXPAND4_(LLMRT_SDK_EXPAND4_(LLMRT_SDK_EXPAND4_(__VA_ARGS__)))
#define LLMRT_SDK_EXPAND4_(...) \
  LLMRT_SDK_EXPAND3_(LLMRT_SDK_EXPAND3_(LLMRT_SDK_EXPAND3_(LLMRT_SDK_EXPAND3_(__VA_ARGS__))))
#define LLMRT_SDK_EXPAND3_(...) \
  LLMRT_SDK_EXPAND2_(LLMRT_SDK_EXPAND2_(LLMRT_SDK_EXPAND2_(LLMRT_SDK_EXPAND2_(__VA_ARGS__))))
#define LLMRT_SDK_EXPAND2_(...) \
  LLMRT_SDK_EXPAND1_(LLMRT_SDK_EXPAND1_(LLMRT_SDK_EXPAND1_(LLMRT_SDK_EXPAND1_(__VA_ARGS__))))
#define LLMRT_SDK_EXPAND1_(...) __VA_ARGS__
#define LLMRT_SDK_FOR_EACH_(M, T, ...) \
  __VA_OPT__(LLMRT_SDK_EXPAND_(LLMRT_SDK_FOR_EACH_STEP_(M, T, __VA_ARGS__)))
#define LLMRT_SDK_FOR_EACH_STEP_(M, T, first, ...) \
  M(T, first) __VA_OPT__(LLMRT_SDK_FOR_EACH_AGAIN_ LLMRT_SDK_PARENS_(M, T, __VA_ARGS__))
#define LLMRT_SDK_FOR_EACH_AGAIN_() LLMRT_SDK_FOR_EACH_STEP_

namespace llmrt::sdk_layout {

// Converts to any type: `T{AnyMember{}, …}` compiles for at most as many initializers as the
// aggregate T has members, which counts them (the types listed have no base classes).
struct AnyMember {
  template <class U>
  operator U() const noexcept;  // never defined: used in unevaluated requires-expressions only
};

template <class T, std::size_t... I>
constexpr bool takes_initializers(std::index_sequence<I...>) {
  return requires { T{(static_cast<void>(I), AnyMember{})...}; };
}

template <class T, std::size_t N = 0>
constexpr std::size_t member_count() {
  if constexpr (takes_initializers<T>(std::make_index_sequence<N + 1>{})) {
    return member_count<T, N + 1>();
  } else {
    return N;
  }
}

// Every array ends with a null entry, so an empty list is still an array. Internal linkage
// (namespace-scope constexpr): each plugin holds its own table, never one interposed from the
// core or from another plugin.
//
// offsetof on a type that is not standard-layout is "conditionally-supported" in C++17;
// GCC and Clang support it (and warn, -Winvalid-offsetof) for every class without virtual
// bases, where the offset is a compile-time constant like any other. Fields are listed only for
// aggregates (asserted below), and an aggregate has no virtual bases, so the warning is noise
// here: a std::string member alone makes a type non-standard-layout for libstdc++.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#define LLMRT_SDK_LAYOUT_FIELD_(T, field) \
  {#field, offsetof(::llmrt::T, field), sizeof(::llmrt::T::field)},
#define LLMRT_SDK_LAYOUT_FIELDS_(T, ...)        \
  constexpr llmrt_layout_field fields_##T[] = { \
      LLMRT_SDK_FOR_EACH_(LLMRT_SDK_LAYOUT_FIELD_, T, __VA_ARGS__){nullptr, 0, 0}};
// The size of each field as it lies in its type, containers included: what the check compares.
// NOLINTNEXTLINE(bugprone-sizeof-container)
LLMRT_SDK_LAYOUT_TYPES(LLMRT_SDK_LAYOUT_FIELDS_)
#pragma GCC diagnostic pop

#define LLMRT_SDK_LAYOUT_CHECK_(T, ...)                                                            \
  static_assert(std::size(fields_##T) == 1 || std::is_aggregate_v<::llmrt::T>,                     \
                "abi_layout.h: fields are listed only for aggregates (offsetof), " #T              \
                " is none: list it without fields");                                               \
  static_assert(                                                                                   \
      !std::is_aggregate_v<::llmrt::T> || member_count<::llmrt::T>() == std::size(fields_##T) - 1, \
      "abi_layout.h: the LLMRT_SDK_LAYOUT_TYPES line of " #T                                       \
      " does not name every data member: list them all, in declaration order");
LLMRT_SDK_LAYOUT_TYPES(LLMRT_SDK_LAYOUT_CHECK_)

#define LLMRT_SDK_LAYOUT_TYPE_(T, ...) \
  {#T, sizeof(::llmrt::T), alignof(::llmrt::T), std::size(fields_##T) - 1, fields_##T},
constexpr llmrt_layout_type types[] = {LLMRT_SDK_LAYOUT_TYPES(LLMRT_SDK_LAYOUT_TYPE_)};

}  // namespace llmrt::sdk_layout

namespace llmrt {

// The fingerprint of the SDK headers this translation unit was compiled with.
constexpr llmrt_layout_table kSdkLayout{std::size(sdk_layout::types), sdk_layout::types};

}  // namespace llmrt
