#include "memory/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace llmrt::core {
namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
// Below this, a block holds at most one whole huge page: not worth a system call.
constexpr std::size_t kWorthAsking = std::size_t{4} << 20;

}  // namespace

void advise_huge_pages(void* data, std::size_t bytes) noexcept {
#if defined(MADV_HUGEPAGE)
  if (data == nullptr || bytes < kWorthAsking) return;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (start + bytes) & ~(kHugePage - 1);
  if (last <= first) return;
  // Only whole huge pages inside the block: the advice covers no byte of anyone else's.
  (void)::madvise(static_cast<char*>(data) + (first - start), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace llmrt::core
