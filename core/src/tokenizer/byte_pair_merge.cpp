#include "tokenizer/byte_pair_merge.h"

#include <algorithm>

namespace llmrt::core::tokenizer {
namespace {

// Above this many bytes the rescan's quadratic cost outgrows the heap's bookkeeping; pieces of
// ordinary text are far shorter. (Both give the same tokens; see tokenizer_test.)
constexpr std::size_t kHeapThreshold = 256;

constexpr std::uint32_t kNone = 0xFFFFFFFF;

bool heap_after(const MergeScratch::Candidate& a, const MergeScratch::Candidate& b) noexcept {
  return a.rank != b.rank ? a.rank > b.rank : a.start > b.start;
}

void merge(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
  if (piece.size() > kHeapThreshold) {
    merge_by_heap(piece, ranks, scratch);
  } else {
    merge_by_scan(piece, ranks, scratch);
  }
}

}  // namespace

void merge_by_scan(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
  const auto n = static_cast<std::uint32_t>(piece.size());
  auto& starts = scratch.starts;
  auto& pair_ranks = scratch.pair_ranks;  // pair_ranks[k]: rank of parts k and k+1 joined
  starts.resize(n + 1);
  pair_ranks.resize(n + 1);
  for (std::uint32_t i = 0; i <= n; ++i) starts[i] = i;
  for (std::uint32_t i = 0; i + 1 < n; ++i) pair_ranks[i] = ranks.rank(piece.substr(i, 2));
  std::size_t parts = n;  // starts[0..parts] are live; starts[parts] == n
  if (n >= 1) pair_ranks[n - 1] = kNoRank;

  // The rank of parts k and k+1 joined, when part k+1 exists.
  auto joined_rank = [&](std::size_t k) {
    return k + 2 <= parts ? ranks.rank(piece.substr(starts[k], starts[k + 2] - starts[k]))
                          : kNoRank;
  };
  for (;;) {
    Rank best = kNoRank;
    std::size_t at = 0;
    for (std::size_t k = 0; k + 1 < parts; ++k) {
      if (pair_ranks[k] < best) {
        best = pair_ranks[k];
        at = k;
      }
    }
    if (best == kNoRank) break;
    // Part at+1 joins part at: both arrays lose their entry at+1.
    std::copy(starts.data() + at + 2, starts.data() + parts + 1, starts.data() + at + 1);
    std::copy(pair_ranks.data() + at + 2, pair_ranks.data() + parts, pair_ranks.data() + at + 1);
    --parts;
    pair_ranks[at] = joined_rank(at);
    if (at > 0) pair_ranks[at - 1] = joined_rank(at - 1);
  }
  starts.resize(parts + 1);
}

void merge_by_heap(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
  const auto n = static_cast<std::uint32_t>(piece.size());
  // Parts are a linked list over their start offsets: part i spans [i, next[i]).
  auto& next = scratch.next;
  auto& prev = scratch.prev;
  auto& version = scratch.version;
  auto& heap = scratch.heap;
  next.resize(n);
  prev.resize(n);
  version.assign(n, 0);
  heap.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1;
    prev[i] = i == 0 ? kNone : i - 1;
  }

  auto offer = [&](std::uint32_t i) {
    ++version[i];  // whatever was offered for part i before is stale now
    const std::uint32_t j = next[i];
    if (j >= n) return;
    const Rank rank = ranks.rank(piece.substr(i, next[j] - i));
    if (rank == kNoRank) return;
    heap.push_back({rank, i, version[i]});
    std::push_heap(heap.begin(), heap.end(), heap_after);
  };
  for (std::uint32_t i = 0; i + 1 < n; ++i) offer(i);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), heap_after);
    const MergeScratch::Candidate top = heap.back();
    heap.pop_back();
    const std::uint32_t i = top.start;
    if (top.version != version[i]) continue;
    const std::uint32_t j = next[i];
    next[i] = next[j];
    if (next[j] < n) prev[next[j]] = i;
    ++version[j];
    offer(i);
    if (prev[i] != kNone) offer(prev[i]);
  }

  scratch.starts.clear();
  for (std::uint32_t i = 0; i < n; i = next[i]) scratch.starts.push_back(i);
  scratch.starts.push_back(n);
}

void byte_pair_encode(std::string_view piece, const RankTable& ranks, MergeScratch& scratch,
                      std::vector<Rank>& out) {
  if (piece.size() == 1) {
    out.push_back(ranks.rank(piece));
    return;
  }
  merge(piece, ranks, scratch);
  const auto& starts = scratch.starts;
  for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
    out.push_back(ranks.rank(piece.substr(starts[k], starts[k + 1] - starts[k])));
  }
}

std::size_t byte_pair_count(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
  if (piece.size() == 1) return 1;
  merge(piece, ranks, scratch);
  return scratch.starts.size() - 1;
}

}  // namespace llmrt::core::tokenizer
