#pragma once

namespace llmrt::cli {

// A standard descriptor the caller closed (`llmrt chat hi >&-`) is the next one a socket or a
// file gets: the reply printed to "stdout" would go to the API server, an error line into an
// output file. Each closed one is given /dev/null opened for reading only, so that writes to it
// fail (EBADF) as writes to a closed descriptor do, and are reported as such (StdoutSink), and
// reads see an empty input. Called first thing in main, before anything opens a descriptor.
void hold_closed_standard_descriptors() noexcept;

}  // namespace llmrt::cli
