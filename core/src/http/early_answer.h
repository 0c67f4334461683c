#pragma once

#include <string_view>

namespace llmrt::core {

// What the bytes a server sent while the request was still going out ask of the send.
enum class EarlyInput {
  go_on,      // nothing yet, interim (1xx) responses, or a 2xx: a server may answer and read on
  undecided,  // a status line not whole yet: looked at again when more comes
  stop,       // an error or a redirect, or no HTTP at all: the rest is not wanted (RFC 9112 §9.5)
};

// `in`: everything the server sent so far, from the response's first byte.
EarlyInput judge_early_input(std::string_view in);

}  // namespace llmrt::core
