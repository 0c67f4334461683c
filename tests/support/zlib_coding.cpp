#include "support/zlib_coding.h"

#include <zlib.h>

#include <stdexcept>

namespace llmrt::test {

std::string compress(std::string_view text, int window_bits,
                     const std::vector<std::size_t>& flush_at) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::vector<std::size_t> ends = flush_at;
  ends.push_back(text.size());
  std::string out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const std::string_view part = text.substr(from, ends[i] - from);
    from = ends[i];
    // zlib's input pointer is not const, though deflate never writes through it.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
    z.avail_in = static_cast<uInt>(part.size());
    const int flush = i + 1 == ends.size() ? Z_FINISH : Z_SYNC_FLUSH;
    int rc = Z_OK;
    do {
      char buffer[4096];
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  deflateEnd(&z);
  return out;
}

}  // namespace llmrt::test
