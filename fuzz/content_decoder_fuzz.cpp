// The content decoder on arbitrary bytes, read in pieces of a size the input chooses: it never
// crashes; what it decodes (or the error it gives) does not depend on how the bytes were split,
// in or out; and data zlib coded from the input decodes back to the input, whatever the split
// (but for raw deflate data that starts like a zlib header, which is read as zlib).
#include <zlib.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "http/content_decoder.h"
#include "llmrt/sdk/error.h"

namespace {

using llmrt::core::ContentCoding;
using llmrt::core::ContentDecoder;

// The decoded text, or "error: " and the message.
std::string decode(ContentCoding coding, std::string_view coded, std::size_t in, std::size_t out) {
  ContentDecoder decoder(coding);
  std::size_t at = 0;
  const ContentDecoder::Source source = [&](char* buffer, std::size_t capacity) {
    const std::size_t n = std::min({in, capacity, coded.size() - at});
    coded.copy(buffer, n, at);
    at += n;
    return n;
  };
  std::string text;
  std::string room(out, '\0');
  try {
    while (std::size_t n = decoder.read(source, room.data(), room.size())) {
      text.append(room, 0, n);
      // A few kilobytes can decode to gigabytes: the transport's body limit stops those.
      if (text.size() > (std::size_t{4} << 20)) return "too long";
    }
  } catch (const llmrt::Error& e) {
    return std::string("error: ") + e.what();
  }
  return text;
}

// `text` coded in the format the window bits name.
std::string compress(std::string_view text, int window_bits) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()), '\0');
  // zlib's input pointer is not const, though deflate never writes through it.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) llmrt::fuzz::broken_promise();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input input(data, size);
  const std::uint8_t mode = input.byte();
  const std::size_t in = 1 + input.byte() % 64;
  const std::size_t out = 1 + input.byte() % 64;
  const std::string_view rest = input.rest();
  const ContentCoding coding = (mode & 1) != 0 ? ContentCoding::gzip : ContentCoding::deflate;
  if ((mode & 2) == 0) {
    if (decode(coding, rest, in, out) != decode(coding, rest, rest.size() + 1, 4096)) {
      llmrt::fuzz::broken_promise();
    }
    return 0;
  }
  static constexpr int kBits[] = {15 + 16, 15, -15};  // gzip, zlib, raw deflate
  const int bits = coding == ContentCoding::gzip ? kBits[0] : kBits[1 + (mode >> 2) % 2];
  const std::string coded = compress(rest, bits);
  // Raw data that starts like a zlib header is read as zlib: the one ambiguity of the name.
  if (bits < 0 && llmrt::core::starts_like_zlib(coded)) return 0;
  if (decode(coding, coded, in, out) != rest) llmrt::fuzz::broken_promise();
  return 0;
}
