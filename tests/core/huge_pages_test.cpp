// The advice for large blocks: whole huge pages inside the block only, and where the kernel
// offers huge pages on request, the block gets them.
#include "memory/huge_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace llmrt::core {
namespace {

std::string file_text(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The kB of huge pages backing the mapping that holds `address` (/proc/self/smaps).
long huge_kb_around(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::istringstream smaps(file_text("/proc/self/smaps"));
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0;
    std::uintptr_t to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.rfind("AnonHugePages:", 0) == 0) {
      return std::stol(line.substr(14));
    }
  }
  return -1;
}

TEST(HugePages, AnAdvisedBlockGetsThemWhereTheKernelOffersThem) {
  const std::string mode = file_text("/sys/kernel/mm/transparent_hugepage/enabled");
  if (mode.find("[madvise]") == std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are not offered on request here: " << mode;
  }
  // A mapping of its own, as malloc gives a block this large (whatever allocator a sanitizer
  // puts in its place), not touched before the advice.
  constexpr std::size_t kBytes = std::size_t{16} << 20;
  void* mapped =
      ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  auto* block = static_cast<char*>(mapped);
  advise_huge_pages(block + 24, kBytes - 24);  // as behind an allocator's header
  std::memset(block, 1, kBytes);
  EXPECT_GT(huge_kb_around(block + kBytes / 2), 0);
  ::munmap(mapped, kBytes);
}

TEST(HugePages, SmallBlocksAndNoBlockAreLeftAlone) {
  advise_huge_pages(nullptr, std::size_t{64} << 20);
  char small[4096];
  advise_huge_pages(small, sizeof small);  // on the stack, under the threshold: not asked
  auto odd = std::make_unique<char[]>((std::size_t{5} << 20) + 3);
  advise_huge_pages(odd.get() + 1, (std::size_t{5} << 20) + 1);  // unaligned both ends
  odd[0] = 1;
  EXPECT_EQ(odd[0], 1);
}

}  // namespace
}  // namespace llmrt::core
