#include "raw_response.h"

#include <Poco/Exception.h>

#include <cstdio>
#include <sstream>

namespace llmrt::mock {
namespace {

// A chunk extension makes each trickled size line long enough that reading one takes longer
// than a short total timeout (RFC 9112 7.1.1: extensions a client does not know are ignored).
constexpr std::string_view kSizeLinePadding = ";mock-pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
constexpr std::string_view kEarlyHintsLink = "Link: </mock.css>; rel=preload; as=style\r\n";

}  // namespace

// Collects what the protocol writes and hands it on as one chunk per flush.
class RawResponse::ChunkedBuffer final : public std::streambuf {
 public:
  explicit ChunkedBuffer(RawResponse& response) : response_(response) {}

  int flush_pending() {
    if (pending_.empty()) return 0;
    std::string data;
    data.swap(pending_);
    if (response_.coder_) data = response_.coder_->code(data, false);
    try {
      if (response_.chunked_) {
        response_.write_chunk(data);
      } else if (response_.has_body()) {
        response_.wire_.write(data);
      }
    } catch (const ClientGone&) {
      return -1;  // the stream's badbit: EventWriter sees the client gone
    }
    return 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) pending_.push_back(static_cast<char>(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int sync() override { return flush_pending(); }

 private:
  RawResponse& response_;
  std::string pending_;
};

RawResponse::RawResponse(Wire& wire, const Scenario& scenario,
                         const Poco::Net::HTTPServerResponse& prepared)
    : wire_(wire), scenario_(scenario) {
  setVersion(prepared.getVersion());
  for (const auto& [name, value] : prepared) set(name, value);
  setKeepAlive(prepared.getKeepAlive());
}

RawResponse::~RawResponse() = default;

bool RawResponse::has_body() const {
  int status = static_cast<int>(getStatus());
  return status >= 200 && status != 204 && status != 304;
}

bool RawResponse::forced_chunked() const {
  return has_body() &&
         (scenario_.chunk_size_byte_delay.count() > 0 || scenario_.trailer_lines != 0 ||
          scenario_.hold_after_body.count() > 0 || !scenario_.content_encoding.empty());
}

void RawResponse::sendContinue() { wire_.write("HTTP/1.1 100 Continue\r\n\r\n"); }

void RawResponse::send_head() {
  sent_ = true;
  // Interim responses first: "one per interim_delay", endless until the fault limit.
  const bool endless = scenario_.interim_responses < 0;
  for (int i = 0; endless || i < scenario_.interim_responses; ++i) {
    if (endless && wire_.past_limit()) break;
    if (i > 0 || scenario_.interim_delay.count() > 0) {
      wire_.pause(std::max(scenario_.interim_delay,
                           std::chrono::milliseconds(endless ? 1 : 0)));  // never a busy flood
    }
    const int status = scenario_.interim_status;
    std::string reason = status == 103 ? "Early Hints"  // RFC 8297, unknown to Poco 1.11
                                       : getReasonForStatus(static_cast<HTTPStatus>(status));
    std::string interim = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    if (scenario_.interim_status == 103) interim += kEarlyHintsLink;
    wire_.write(interim + "\r\n");
  }
  if (!has_body()) {
    erase(CONTENT_LENGTH);
    erase(TRANSFER_ENCODING);
  } else if (!scenario_.content_encoding.empty()) {
    coder_ = std::make_unique<BodyCoder>(scenario_.content_encoding);
    set("Content-Encoding", scenario_.content_encoding);
  }
  setReason(getReasonForStatus(getStatus()));
  std::ostringstream head;
  write(head);
  wire_.trickle(head.str(), scenario_.header_byte_delay);
}

std::ostream& RawResponse::send() {
  if (sent_) throw Poco::IllegalStateException("the mock response was already sent");
  if (forced_chunked()) setChunkedTransferEncoding(true);
  chunked_ = has_body() && getChunkedTransferEncoding();
  send_head();
  buffer_ = std::make_unique<ChunkedBuffer>(*this);
  stream_ = std::make_unique<std::ostream>(buffer_.get());
  return *stream_;
}

void RawResponse::sendBuffer(const void* data, std::size_t length) {
  if (!forced_chunked() && has_body()) setContentLength64(static_cast<Poco::Int64>(length));
  std::ostream& out = send();
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(length));
  out.flush();
  if (!out.good()) throw ClientGone();
}

void RawResponse::write_chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx", data.size());
  std::string line = size;
  if (scenario_.chunk_size_byte_delay.count() > 0) line += kSizeLinePadding;
  line += "\r\n";
  wire_.trickle(line, scenario_.chunk_size_byte_delay);
  std::string rest(data);
  rest += "\r\n";
  wire_.write(rest);
}

void RawResponse::finish() {
  if (finished_ || !sent_) return;
  finished_ = true;
  if (stream_) stream_->flush();
  if (!stream_ || !stream_->good()) throw ClientGone();
  if (!chunked_) return;
  if (coder_) write_chunk(coder_->code({}, true));
  // The body's last event is out; a hostile server keeps the body open after it.
  if (scenario_.hold_after_body.count() > 0) {
    const auto until = Wire::Clock::now() + scenario_.hold_after_body;
    while (Wire::Clock::now() < until && !wire_.past_limit()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Wire::Clock::now());
      if (scenario_.ping_interval.count() <= 0) {
        wire_.pause(left);
        break;
      }
      wire_.pause(std::min(left, scenario_.ping_interval));
      write_chunk(": ping\n\n");
    }
  }
  wire_.trickle("0", scenario_.chunk_size_byte_delay);
  wire_.write("\r\n");
  const bool endless = scenario_.trailer_lines < 0;
  for (int i = 0; endless || i < scenario_.trailer_lines; ++i) {
    if (endless && wire_.past_limit()) break;
    if (scenario_.trailer_delay.count() > 0) wire_.pause(scenario_.trailer_delay);
    wire_.write("x-mock-trailer-" + std::to_string(i) + ": " + std::to_string(i) + "\r\n");
  }
  wire_.write("\r\n");
}

void RawResponse::sendFile(const std::string&, const std::string&) {
  throw Poco::NotImplementedException("the mock's raw response sends no files");
}

void RawResponse::redirect(const std::string&, HTTPStatus) {
  throw Poco::NotImplementedException("the mock's raw response does not redirect");
}

void RawResponse::requireAuthentication(const std::string&) {
  throw Poco::NotImplementedException("the mock's raw response asks for no authentication");
}

}  // namespace llmrt::mock
