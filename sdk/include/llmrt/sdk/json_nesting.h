#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace llmrt::json::detail {

// The kinds of the arrays and objects json::Scanner is inside, innermost last: the first 64
// levels in a word's bits (a reply nests 5), deeper ones in a vector, so that a text of a usual
// depth costs no allocation.
class Nesting {
 public:
  std::size_t depth() const noexcept { return depth_; }
  bool empty() const noexcept { return depth_ == 0; }
  // Whether the innermost container is an object (else an array); only when not empty.
  bool innermost_is_object() const noexcept {
    assert(depth_ != 0);
    return depth_ <= kInWord ? (word_ >> (depth_ - 1) & 1U) != 0 : deeper_.back();
  }

  void push(bool object) {
    if (depth_ < kInWord) {
      const std::uint64_t bit = std::uint64_t{1} << depth_;
      word_ = object ? word_ | bit : word_ & ~bit;
    } else {
      deeper_.push_back(object);
    }
    ++depth_;
  }
  // Only when not empty.
  void pop() noexcept {
    assert(depth_ != 0);
    if (depth_ > kInWord) deeper_.pop_back();
    --depth_;
  }
  void clear() noexcept {
    depth_ = 0;
    deeper_.clear();
  }

 private:
  static constexpr std::size_t kInWord = 64;

  std::size_t depth_ = 0;
  std::uint64_t word_ = 0;  // bit i: level i + 1 is an object
  std::vector<bool> deeper_;
};

}  // namespace llmrt::json::detail
