#pragma once

// How the C API turns whatever a C++ call throws into an llmrt_code and an llmrt_error: no
// exception crosses the boundary.

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "llmrt/c/llmrt.h"

namespace llmrt::c_api {

// Stores the error `thrown` describes in *error (when error is not NULL) and returns its code.
// Never throws: when memory runs out it reports LLMRT_OUT_OF_MEMORY from a static error.
llmrt_code report(std::exception_ptr thrown, llmrt_error** error) noexcept;

// An LLMRT_INVALID_ARGUMENT error: "FUNCTION: NAME is NULL".
llmrt_code null_argument(const char* function, const char* name, llmrt_error** error) noexcept;
// An LLMRT_INVALID_ARGUMENT error: "FUNCTION: MESSAGE".
llmrt_code invalid_argument(const char* function, const char* message,
                            llmrt_error** error) noexcept;

// Runs `body`; LLMRT_OK, or what it threw reported. *error is NULL on success.
template <class Body>
llmrt_code guarded(llmrt_error** error, Body&& body) noexcept {
  if (error != nullptr) *error = nullptr;
  try {
    std::forward<Body>(body)();
    return LLMRT_OK;
  } catch (...) {
    return report(std::current_exception(), error);
  }
}

// The NULL checks every entry point makes first: "FUNCTION: NAME is NULL".
inline bool present(const void* value, const char* function, const char* name,
                    llmrt_error** error) noexcept {
  if (value != nullptr) return true;
  null_argument(function, name, error);
  return false;
}

}  // namespace llmrt::c_api
