#pragma once

#include <memory>
#include <string>
#include <string_view>

struct z_stream_s;

namespace llmrt::mock {

// Codes a reply's body as it is written, for a scenario's `content_encoding`: gzip, or deflate
// (the zlib format). Each piece comes out flushed whole, so that a client can decode an event
// as soon as it arrives, as a compressing server that flushes does.
class BodyCoder {
 public:
  // Throws std::invalid_argument for a coding other than gzip or deflate.
  explicit BodyCoder(std::string_view coding);
  ~BodyCoder();
  BodyCoder(const BodyCoder&) = delete;
  BodyCoder& operator=(const BodyCoder&) = delete;

  // The coded bytes for `data`; with `last`, the end of the coded data too.
  std::string code(std::string_view data, bool last);

 private:
  std::unique_ptr<z_stream_s> z_;
};

}  // namespace llmrt::mock
