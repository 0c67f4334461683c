#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::test {

// zlib's window bits for each format a server may send a body in.
inline constexpr int kGzipBits = 15 + 16;
inline constexpr int kZlibBits = 15;
inline constexpr int kRawDeflateBits = -15;

// `text` compressed in the format `window_bits` names; with `flush_at`, flushed whole
// (Z_SYNC_FLUSH) after each of those offsets (ascending), so that what precedes one can be
// decoded before the rest arrives.
std::string compress(std::string_view text, int window_bits,
                     const std::vector<std::size_t>& flush_at = {});

inline std::string gzip(std::string_view text) { return compress(text, kGzipBits); }

}  // namespace llmrt::test
