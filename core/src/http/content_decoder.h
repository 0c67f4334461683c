#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "llmrt/sdk/http.h"

struct z_stream_s;

namespace llmrt::core {

// The content codings llmrt reads (RFC 9110 §8.4.1). It never asks for one (no
// Accept-Encoding goes out), but a request without Accept-Encoding lets a server use any
// (§12.5.3), and proxies and gateways in front of a provider do.
enum class ContentCoding { gzip, deflate };

// The coding a response's Content-Encoding names: null for none or `identity`. Throws Error
// protocol, with `status`, for a coding llmrt cannot read (br, zstd, compress, two codings in a
// row), naming it; but for a status other than 2xx that coding is passed over (null): the
// status tells what went wrong, and the body goes on as it came.
std::optional<ContentCoding> content_coding(const HttpHeaders& headers, int status);

// Whether a deflate body's first two bytes are a zlib header (RFC 1950 §2.2). A raw deflate
// body that happens to start with two such bytes is read as zlib data: no reader can tell.
bool starts_like_zlib(std::string_view first_bytes);

// Decodes a body in `coding` as it arrives, through zlib: a gzip body may be several members
// one after another (RFC 1952 §2.2); `deflate` is the zlib format (RFC 9110 §8.4.1.2), or raw
// deflate data, or gzip, which some servers send under that name. An empty body decodes to
// nothing; NULs and blanks after the coded data (padding some servers add) are passed over.
// The coded bytes taken, padding included, may outrun the decoded ones by kMostCodedSurplus at
// most: the body limits count decoded bytes, and endless empty gzip members (or padding, or
// empty members between single bytes) would otherwise be read forever.
class ContentDecoder {
 public:
  // Gives up to `capacity` encoded bytes; 0 at the end of the body.
  using Source = std::function<std::size_t(char* buffer, std::size_t capacity)>;

  explicit ContentDecoder(ContentCoding coding);
  ~ContentDecoder();
  ContentDecoder(const ContentDecoder&) = delete;
  ContentDecoder& operator=(const ContentDecoder&) = delete;

  static constexpr std::size_t kMostCodedSurplus = std::size_t{1} << 20;

  // Decodes into `out`, pulling from `source` until at least one byte is decoded; 0 at the end.
  // Throws Error protocol on data that is not in the coding, or ends inside it; what was decoded
  // before the fault is returned first, and the error thrown by the next read.
  std::size_t read(const Source& source, char* out, std::size_t capacity);

 private:
  // The next encoded bytes into the input buffer (zlib started on the body's first); 0 at the end.
  std::size_t pull(const Source& source);
  void start(std::string_view first_bytes);
  // Passes over NULs and blanks after complete coded data: true when more coded data follows.
  bool more_after_end();
  // One zlib step; the fault it met, if any, as the message to throw.
  std::optional<std::string> inflate_step();
  std::string surplus_fault() const;
  [[noreturn]] void broken(const std::string& what) const;

  ContentCoding coding_;
  std::unique_ptr<z_stream_s> z_;
  std::unique_ptr<char[]> input_;
  bool started_ = false;
  bool gzip_members_ = false;  // gzip data (also under the name deflate): members may follow
  bool input_ended_ = false;
  bool member_ended_ = false;         // the last gzip member (or the deflate data) is complete
  std::size_t coded_taken_ = 0;       // coded bytes consumed, padding included
  std::size_t decoded_ = 0;           // bytes decoded
  std::optional<std::string> fault_;  // met after bytes this read returned: thrown next
};

}  // namespace llmrt::core
