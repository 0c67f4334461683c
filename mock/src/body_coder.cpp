#include "body_coder.h"

#include <zlib.h>

#include <stdexcept>

namespace llmrt::mock {

BodyCoder::BodyCoder(std::string_view coding) : z_(std::make_unique<z_stream_s>()) {
  int window_bits = 0;
  if (coding == "gzip") {
    window_bits = 15 + 16;
  } else if (coding == "deflate") {
    window_bits = 15;  // the zlib format (RFC 9110 §8.4.1.2)
  } else {
    throw std::invalid_argument("the mock codes bodies in gzip or deflate, not " +
                                std::string(coding));
  }
  if (deflateInit2(z_.get(), Z_BEST_SPEED, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("zlib could not start coding a body");
  }
}

BodyCoder::~BodyCoder() { deflateEnd(z_.get()); }

std::string BodyCoder::code(std::string_view data, bool last) {
  // zlib's input pointer is not const, though deflate never writes through it.
  z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z_->avail_in = static_cast<uInt>(data.size());
  const int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
  std::string out;
  int rc = Z_OK;
  do {
    char buffer[16384];
    z_->next_out = reinterpret_cast<Bytef*>(buffer);
    z_->avail_out = sizeof buffer;
    rc = deflate(z_.get(), flush);
    out.append(buffer, sizeof buffer - z_->avail_out);
  } while (z_->avail_out == 0 || (last && rc != Z_STREAM_END));
  return out;
}

}  // namespace llmrt::mock
