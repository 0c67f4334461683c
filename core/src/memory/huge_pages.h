#pragma once

#include <cstddef>

namespace llmrt::core {

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge pages
// when it offers them on request (transparent huge pages in "madvise" mode, the Debian
// default). For a large block about to be written from end to end (a big batch's outcomes):
// one fault per 2 MiB instead of one per 4 KiB, and a fault is costly in a virtual machine
// with shadow page tables (10 µs apiece where the benchmarks run). Blocks under 4 MiB, and
// kernels without huge pages, are left as they are; the advice never fails the caller. A block
// malloc carved from its heap (glibc does, for a size it has freed before) leaves the advice on
// that range after it is freed: later allocations there may get huge pages, in a range the
// block had in memory anyway.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

}  // namespace llmrt::core
