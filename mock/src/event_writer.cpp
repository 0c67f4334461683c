#include "protocol.h"

namespace llmrt::mock {

EventWriter::EventWriter(std::ostream& out, const Scenario& scenario, Wire& wire)
    : out_(out), scenario_(scenario), wire_(wire) {}

void EventWriter::write(std::string_view event_text) {
  if (written_ == scenario_.cut_after_events) {
    out_.flush();
    wire_.cut();
    throw ClientGone();
  }
  if (written_ == scenario_.malformed_after_events) {
    constexpr std::string_view kMalformed = "data: {\"choices\": [tru\n\n";
    out_.write(kMalformed.data(), static_cast<std::streamsize>(kMalformed.size()));
  }
  ++written_;
  if (!first_ && scenario_.chunk_delay.count() > 0) {
    out_.flush();
    check();
    wire_.pause(scenario_.chunk_delay);  // ends early when the client hangs up
  }
  first_ = false;
  out_.write(event_text.data(), static_cast<std::streamsize>(event_text.size()));
  if (++unflushed_ >= scenario_.events_per_flush) {
    out_.flush();
    unflushed_ = 0;
    check();
  }
}

// Poco's response stream turns a failed write into a silent badbit; without this check a
// handler would go on writing (and pausing) long after the client went away.
void EventWriter::check() const {
  if (!out_.good()) throw ClientGone();
}

void EventWriter::finish() { out_.flush(); }

}  // namespace llmrt::mock
