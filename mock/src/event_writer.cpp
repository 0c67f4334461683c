#include <thread>

#include "protocol.h"

namespace llmrt::mock {

EventWriter::EventWriter(std::ostream& out, const Scenario& scenario, std::function<void()> cut)
    : out_(out), scenario_(scenario), cut_(std::move(cut)) {}

void EventWriter::write(std::string_view event_text) {
  if (written_ == scenario_.cut_after_events) {
    out_.flush();
    cut_();
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
    std::this_thread::sleep_for(scenario_.chunk_delay);
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
