#pragma once

#include <cstdint>

namespace llmrt::test {

// A TCP socket listening on 127.0.0.1 at an ephemeral port, which it stores in `port`: the
// start of every raw test server. Throws std::runtime_error when it cannot listen.
int listen_on_loopback(std::uint16_t& port, int backlog = 8);

}  // namespace llmrt::test
