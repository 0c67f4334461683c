#include "errors.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "llmrt/sdk/error.h"

namespace llmrt::c_api {
namespace {

// Handed out when not even an error can be allocated; llmrt_error_free leaves it alone.
llmrt_error out_of_memory_error{LLMRT_OUT_OF_MEMORY,
                                0,
                                "",
                                "out of memory",
                                "out_of_memory: out of memory",
                                "",
                                "",
                                "",
                                "",
                                0,
                                -1};

llmrt_code code_of(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::rate_limited:
      return LLMRT_RATE_LIMITED;
    case ErrorKind::quota_exhausted:
      return LLMRT_QUOTA_EXHAUSTED;
    case ErrorKind::auth:
      return LLMRT_AUTH;
    case ErrorKind::permission:
      return LLMRT_PERMISSION;
    case ErrorKind::bad_request:
      return LLMRT_BAD_REQUEST;
    case ErrorKind::context_length:
      return LLMRT_CONTEXT_LENGTH;
    case ErrorKind::content_filter:
      return LLMRT_CONTENT_FILTER;
    case ErrorKind::not_found:
      return LLMRT_NOT_FOUND;
    case ErrorKind::server:
      return LLMRT_SERVER;
    case ErrorKind::timeout:
      return LLMRT_TIMEOUT;
    case ErrorKind::network:
      return LLMRT_NETWORK;
    case ErrorKind::protocol:
      return LLMRT_PROTOCOL;
    case ErrorKind::cancelled:
      return LLMRT_CANCELLED;
  }
  return LLMRT_INTERNAL;
}

// The fields of an error before they are copied into one block.
struct ErrorFields {
  llmrt_code kind = LLMRT_INTERNAL;
  int http_status = 0;
  std::string_view code{};
  std::string_view message{};
  std::string_view describe{};
  std::string_view request_id{};
  std::string_view provider{};
  std::string_view url{};
  std::string_view partial_content{};
  std::int64_t retry_after_ms = -1;
};

// The struct and its strings in one malloc'd block, so that llmrt_error_free is one free() and
// building it cannot throw. Null when memory ran out.
llmrt_error* allocate(const ErrorFields& f) noexcept {
  const std::string_view texts[] = {f.code,     f.message, f.describe,       f.request_id,
                                    f.provider, f.url,     f.partial_content};
  std::size_t total = sizeof(llmrt_error);
  for (std::string_view text : texts) total += text.size() + 1;
  void* block = std::malloc(total);
  if (block == nullptr) return nullptr;
  char* cursor = static_cast<char*>(block) + sizeof(llmrt_error);
  auto put = [&cursor](std::string_view text) {
    const char* at = cursor;
    if (!text.empty()) std::memcpy(cursor, text.data(), text.size());
    cursor[text.size()] = '\0';
    cursor += text.size() + 1;
    return at;
  };
  auto* e = new (block) llmrt_error{};
  e->kind = f.kind;
  e->http_status = f.http_status;
  e->code = put(f.code);
  e->message = put(f.message);
  e->describe = put(f.describe);
  e->request_id = put(f.request_id);
  e->provider = put(f.provider);
  e->url = put(f.url);
  e->partial_content = put(f.partial_content);
  e->partial_content_size = f.partial_content.size();
  e->retry_after_ms = f.retry_after_ms;
  return e;
}

llmrt_code store(const ErrorFields& fields, llmrt_error** error) noexcept {
  if (error == nullptr) return fields.kind;
  llmrt_error* made = allocate(fields);
  *error = made != nullptr ? made : &out_of_memory_error;
  return made != nullptr ? fields.kind : LLMRT_OUT_OF_MEMORY;
}

llmrt_code store_message(llmrt_code kind, std::string_view message, llmrt_error** error) noexcept {
  try {
    std::string describe = std::string(llmrt_code_name(kind)) + ": " + std::string(message);
    return store({.kind = kind, .message = message, .describe = describe}, error);
  } catch (...) {  // std::bad_alloc
    if (error != nullptr) *error = &out_of_memory_error;
    return LLMRT_OUT_OF_MEMORY;
  }
}

}  // namespace

llmrt_code report(std::exception_ptr thrown, llmrt_error** error) noexcept {
  try {
    std::rethrow_exception(std::move(thrown));
  } catch (const Error& e) {
    const ErrorInfo& info = e.info();
    return store({.kind = code_of(info.kind),
                  .http_status = info.http_status,
                  .code = info.code,
                  .message = info.message,
                  .describe = e.what(),
                  .request_id = info.request_id,
                  .provider = info.provider,
                  .url = info.url,
                  .partial_content = e.partial_content(),
                  .retry_after_ms = info.retry_after ? info.retry_after->count() : -1},
                 error);
  } catch (const std::bad_alloc&) {
    if (error != nullptr) *error = &out_of_memory_error;
    return LLMRT_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    return store_message(LLMRT_INTERNAL, e.what(), error);
  } catch (...) {
    return store_message(LLMRT_INTERNAL, "an exception that is no std::exception", error);
  }
}

llmrt_code null_argument(const char* function, const char* name, llmrt_error** error) noexcept {
  try {
    return store_message(LLMRT_INVALID_ARGUMENT, std::string(function) + ": " + name + " is NULL",
                         error);
  } catch (...) {  // std::bad_alloc
    if (error != nullptr) *error = &out_of_memory_error;
    return LLMRT_OUT_OF_MEMORY;
  }
}

llmrt_code invalid_argument(const char* function, const char* message,
                            llmrt_error** error) noexcept {
  try {
    return store_message(LLMRT_INVALID_ARGUMENT, std::string(function) + ": " + message, error);
  } catch (...) {  // std::bad_alloc
    if (error != nullptr) *error = &out_of_memory_error;
    return LLMRT_OUT_OF_MEMORY;
  }
}

}  // namespace llmrt::c_api

extern "C" {

const char* llmrt_code_name(llmrt_code code) {
  switch (code) {
    case LLMRT_OK:
      return "ok";
    case LLMRT_RATE_LIMITED:
      return "rate_limited";
    case LLMRT_QUOTA_EXHAUSTED:
      return "quota_exhausted";
    case LLMRT_AUTH:
      return "auth";
    case LLMRT_PERMISSION:
      return "permission";
    case LLMRT_BAD_REQUEST:
      return "bad_request";
    case LLMRT_CONTEXT_LENGTH:
      return "context_length";
    case LLMRT_CONTENT_FILTER:
      return "content_filter";
    case LLMRT_NOT_FOUND:
      return "not_found";
    case LLMRT_SERVER:
      return "server";
    case LLMRT_TIMEOUT:
      return "timeout";
    case LLMRT_NETWORK:
      return "network";
    case LLMRT_PROTOCOL:
      return "protocol";
    case LLMRT_CANCELLED:
      return "cancelled";
    case LLMRT_INVALID_ARGUMENT:
      return "invalid_argument";
    case LLMRT_OUT_OF_MEMORY:
      return "out_of_memory";
    case LLMRT_INTERNAL:
      return "internal";
  }
  return "unknown";
}

void llmrt_error_free(llmrt_error* error) {
  if (error == &llmrt::c_api::out_of_memory_error) return;
  std::free(error);
}

}  // extern "C"
