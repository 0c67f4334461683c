#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <string>
#include <string_view>

namespace llmrt::mock {

// Thrown when the client closed the connection mid-reply, the scenario cut it, or the server
// is stopping: the handler has nothing left to do.
struct ClientGone {};

// The connection of one request, written byte by byte where Poco's response API cannot do
// what a hostile server does. Every wait here ends early when the client hangs up or the
// server shuts the connection down, so that no fault outlives its test.
class Wire {
 public:
  using Clock = std::chrono::steady_clock;

  // `fault_limit`: how long a trickle, storm or hold on this reply may last at most.
  Wire(Poco::Net::StreamSocket& socket, std::chrono::milliseconds fault_limit);

  // Throws ClientGone when the bytes cannot be written.
  void write(std::string_view bytes);
  // From hold() to release() writes are gathered and sent at once, so that a client receives
  // them together (a reply and a stray one right behind it). A wait sends what was gathered.
  void hold() { holding_ = true; }
  void release();
  // One byte per `delay`; what is left when the fault limit is reached goes at once.
  void trickle(std::string_view bytes, std::chrono::milliseconds delay);
  // Waits `duration`; false (at once) when the client hung up or the server is stopping.
  bool wait(std::chrono::milliseconds duration);
  // wait(), throwing ClientGone instead of returning false.
  void pause(std::chrono::milliseconds duration);
  // The fault limit of this reply has passed: faults stop and the reply goes on normally.
  bool past_limit() const { return Clock::now() >= limit_; }
  // Closes the connection at once.
  void cut();

 private:
  void send(std::string_view bytes);

  Poco::Net::StreamSocket& socket_;
  Clock::time_point limit_;
  bool holding_ = false;
  std::string held_;
};

}  // namespace llmrt::mock
