#include "http/content_decoder.h"

#include <zlib.h>

#include <limits>
#include <vector>

#include "http/field_text.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

constexpr std::size_t kEncodedReadBytes = std::size_t{16} << 10;
// zlib's window bits: 15 (a 32 KiB window, the most), +16 for gzip only, +32 for gzip or zlib
// found from the header, negative for raw deflate data.
constexpr int kGzipBits = 15 + 16;
constexpr int kZlibOrGzipBits = 15 + 32;
constexpr int kRawBits = -15;

}  // namespace

std::optional<ContentCoding> content_coding(const HttpHeaders& headers, int status) {
  std::vector<std::string_view> codings;
  for (const auto& [name, value] : headers) {
    if (!iequals(name, "content-encoding")) continue;
    // A list, in the order the codings were applied (RFC 9110 §8.4); several fields make one.
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view token = trim(rest.substr(0, comma));
      if (!token.empty() && !iequals(token, "identity")) codings.push_back(token);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (codings.empty()) return std::nullopt;
  if (codings.size() == 1) {
    // x-gzip: the name HTTP/1.0 used, which a recipient reads as gzip (RFC 9110 §8.4.1.3).
    if (iequals(codings[0], "gzip") || iequals(codings[0], "x-gzip")) return ContentCoding::gzip;
    if (iequals(codings[0], "deflate")) return ContentCoding::deflate;
  }
  // A reply that is not a success says what went wrong by its status, whatever its body is:
  // the body goes on as it came.
  if (!is_success(status)) return std::nullopt;
  std::string named;
  for (std::string_view coding : codings) named += (named.empty() ? "" : ", ") + in_quotes(coding);
  ErrorInfo info;
  info.kind = ErrorKind::protocol;
  info.http_status = status;
  info.message = "the reply is in content coding " + named +
                 " (Content-Encoding), which llmrt cannot read: it reads gzip and deflate, " +
                 "one at a time, and asks for none";
  throw Error(std::move(info));
}

bool starts_like_zlib(std::string_view first_bytes) {
  if (first_bytes.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(first_bytes[0]);
  const auto flg = static_cast<unsigned char>(first_bytes[1]);
  // Method 8 (deflate), a window of at most 32 KiB, and a check that makes the pair a multiple
  // of 31.
  return (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

ContentDecoder::ContentDecoder(ContentCoding coding)
    : coding_(coding),
      z_(std::make_unique<z_stream_s>()),
      input_(std::make_unique<char[]>(kEncodedReadBytes)) {}

ContentDecoder::~ContentDecoder() {
  if (started_) inflateEnd(z_.get());
}

void ContentDecoder::start(std::string_view first_bytes) {
  int window_bits = kGzipBits;
  const bool gzip_header = first_bytes.starts_with("\x1f\x8b");
  gzip_members_ = coding_ == ContentCoding::gzip || gzip_header;
  if (coding_ == ContentCoding::deflate) {
    // The zlib format, as RFC 9110 §8.4.1.2 has it, or gzip: zlib tells them apart from their
    // headers. Without either header, raw deflate data, which some servers send under the name.
    window_bits = starts_like_zlib(first_bytes) || gzip_header ? kZlibOrGzipBits : kRawBits;
  }
  if (inflateInit2(z_.get(), window_bits) != Z_OK) {
    throw Error(ErrorKind::protocol, "zlib ran out of memory to decode the reply");
  }
  started_ = true;
}

void ContentDecoder::broken(const std::string& what) const {
  const char* name = coding_ == ContentCoding::gzip ? "gzip" : "deflate";
  throw Error(ErrorKind::protocol,
              std::string("the reply is not valid ") + name + " data (Content-Encoding): " + what);
}

std::size_t ContentDecoder::pull(const Source& source) {
  std::size_t n = source(input_.get(), kEncodedReadBytes);
  // A deflate body's format is told by its first two bytes: both are read before zlib starts.
  while (!started_ && n == 1) {
    const std::size_t more = source(input_.get() + 1, kEncodedReadBytes - 1);
    if (more == 0) break;
    n += more;
  }
  if (n != 0 && !started_) start({input_.get(), n});
  return n;
}

bool ContentDecoder::more_after_end() {
  auto padding = [](Bytef c) {
    return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  while (z_->avail_in > 0 && padding(*z_->next_in)) {
    ++z_->next_in;
    --z_->avail_in;
    ++coded_taken_;  // padding is coded input too: it counts against the surplus
  }
  return z_->avail_in > 0;
}

std::string ContentDecoder::surplus_fault() const {
  return "it is " + std::to_string(kMostCodedSurplus >> 20) + " MiB longer than what it decodes to";
}

std::optional<std::string> ContentDecoder::inflate_step() {
  if (member_ended_) {
    // More bytes after a complete gzip member start another (RFC 1952 §2.2); after deflate
    // data, nothing may follow.
    if (!gzip_members_) return "bytes follow the end of the data";
    inflateReset(z_.get());
    member_ended_ = false;
  }
  const uInt before_in = z_->avail_in;
  const uInt before_out = z_->avail_out;
  const int rc = inflate(z_.get(), Z_NO_FLUSH);
  coded_taken_ += before_in - z_->avail_in;
  decoded_ += before_out - z_->avail_out;
  if (coded_taken_ > decoded_ + kMostCodedSurplus) return surplus_fault();
  switch (rc) {
    case Z_STREAM_END:
      member_ended_ = true;
      return std::nullopt;
    case Z_OK:
      return std::nullopt;
    case Z_BUF_ERROR:
      // No progress: more input is needed, and there is none left.
      if (input_ended_ && z_->avail_in == 0) return "the body ended inside it";
      return std::nullopt;
    case Z_NEED_DICT:
      return "it needs a preset dictionary";
    case Z_MEM_ERROR:
      throw Error(ErrorKind::protocol, "zlib ran out of memory to decode the reply");
    default:
      return z_->msg != nullptr ? std::string(z_->msg) : "zlib error " + std::to_string(rc);
  }
}

std::size_t ContentDecoder::read(const Source& source, char* out, std::size_t capacity) {
  if (fault_) broken(*fault_);
  if (capacity == 0) return 0;
  // zlib counts in unsigned int.
  capacity = std::min<std::size_t>(capacity, std::numeric_limits<unsigned int>::max());
  z_->next_out = reinterpret_cast<Bytef*>(out);
  z_->avail_out = static_cast<unsigned int>(capacity);
  while (z_->avail_out == capacity) {
    if (member_ended_ && !more_after_end()) {
      if (input_ended_) return 0;  // whole
      if (coded_taken_ > decoded_ + kMostCodedSurplus) broken(surplus_fault());
    }
    if (z_->avail_in == 0 && !input_ended_) {
      if (const std::size_t n = pull(source); n == 0) {
        input_ended_ = true;
      } else {
        z_->next_in = reinterpret_cast<Bytef*>(input_.get());
        z_->avail_in = static_cast<unsigned int>(n);
      }
      continue;  // padding after the end is passed over first
    }
    if (!started_) return 0;  // an empty body
    if (std::optional<std::string> fault = inflate_step()) {
      if (z_->avail_out == capacity) broken(*fault);
      fault_ = std::move(fault);  // what came before it goes out first
    }
  }
  return capacity - z_->avail_out;
}

}  // namespace llmrt::core
