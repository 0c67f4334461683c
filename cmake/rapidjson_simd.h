// Included before every source that uses RapidJSON (llmrt_rapidjson in CMakeLists.txt).
//
// SSE2 (baseline on x86-64) lets RapidJSON scan strings 16 bytes at a time: a quarter of a
// streamed chunk's cost was its byte-by-byte string scan. Its aligned 16-byte loads may read
// past the end of a buffer within the same block (never across a page): harmless, but outside
// the object, so AddressSanitizer reports them (and MemorySanitizer, ThreadSanitizer may see
// the bytes too). Whatever turned a sanitizer on — LLMRT_SANITIZE, CMAKE_CXX_FLAGS, CXXFLAGS, a
// toolchain file — the compiler says so here, and the scan goes byte by byte.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer) || __has_feature(hwaddress_sanitizer)
#define LLMRT_RAPIDJSON_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_HWADDRESS__)
#define LLMRT_RAPIDJSON_SANITIZED 1
#endif

#if defined(__SSE2__) && !defined(LLMRT_RAPIDJSON_SANITIZED) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2 1
#endif
