#include <thread>

#include "protocol.h"

namespace llmrt::mock {

EventWriter::EventWriter(std::ostream& out, const Scenario& scenario)
    : out_(out), scenario_(scenario) {}

void EventWriter::write(std::string_view event_text) {
  if (!first_ && scenario_.chunk_delay.count() > 0) {
    out_.flush();
    std::this_thread::sleep_for(scenario_.chunk_delay);
  }
  first_ = false;
  out_.write(event_text.data(), static_cast<std::streamsize>(event_text.size()));
  if (++unflushed_ >= scenario_.events_per_flush) {
    out_.flush();
    unflushed_ = 0;
  }
}

void EventWriter::finish() { out_.flush(); }

}  // namespace llmrt::mock
