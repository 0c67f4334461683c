// The advice for large blocks: given for the whole huge pages inside the block and nowhere
// else (the kernel marks an advised range "hg" in /proc/self/smaps, whether or not it has huge
// pages to give), and not given for small blocks.
#include "memory/huge_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace llmrt::core {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

std::string file_text(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Whether the mapping that holds `address` is advised to huge pages (VmFlags "hg").
bool advised(const void* address) {
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
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return (line + " ").find(" hg ") != std::string::npos;
    }
  }
  ADD_FAILURE() << "no mapping holds " << address;
  return false;
}

// A fresh mapping of `bytes`, starting 2 MiB-aligned (plus `offset`), unmapped at the end.
class Mapping {
 public:
  Mapping(std::size_t bytes, std::size_t offset) : bytes_(bytes + 4 * kMiB) {
    base_ = static_cast<char*>(
        ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    const auto at = reinterpret_cast<std::uintptr_t>(base_);
    start_ = base_ + ((2 * kMiB - at % (2 * kMiB)) % (2 * kMiB)) + offset;
  }
  ~Mapping() { ::munmap(base_, bytes_); }
  bool ok() const { return base_ != MAP_FAILED; }
  char* start() const { return start_; }

 private:
  std::size_t bytes_;
  char* base_;
  char* start_;
};

TEST(HugePages, TheWholeHugePagesInsideABigBlockAreAdvisedAndNothingElse) {
  if (file_text("/sys/kernel/mm/transparent_hugepage/enabled").empty()) {
    GTEST_SKIP() << "no transparent huge pages in this kernel";
  }
  // As behind an allocator's header: 24 bytes into a huge page, 9 MiB long.
  Mapping mapping(10 * kMiB, 24);
  ASSERT_TRUE(mapping.ok());
  char* block = mapping.start();
  const std::size_t bytes = 9 * kMiB;
  advise_huge_pages(block, bytes);
  EXPECT_FALSE(advised(block)) << "the first, partial huge page is not the block's alone";
  EXPECT_TRUE(advised(block + 2 * kMiB));           // the first whole one
  EXPECT_TRUE(advised(block - 24 + 8 * kMiB - 1));  // the last whole one
  EXPECT_FALSE(advised(block - 24 + 8 * kMiB));     // the partial one at the end
  EXPECT_FALSE(advised(block + bytes + 4096));      // past the block
}

TEST(HugePages, SmallBlocksAndNoBlockAreNotAdvised) {
  advise_huge_pages(nullptr, 64 * kMiB);  // does nothing, fails nothing
  Mapping mapping(4 * kMiB, 0);
  ASSERT_TRUE(mapping.ok());
  advise_huge_pages(mapping.start(), 4 * kMiB - 1);  // two huge pages' room, under the floor
  EXPECT_FALSE(advised(mapping.start()));
  EXPECT_FALSE(advised(mapping.start() + 2 * kMiB));
}

}  // namespace
}  // namespace llmrt::core
