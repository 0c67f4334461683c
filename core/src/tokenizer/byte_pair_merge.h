#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/rank_table.h"

namespace llmrt::core::tokenizer {

// Buffers reused from piece to piece, so that encoding allocates only while they grow.
struct MergeScratch {
  std::vector<std::uint32_t> starts;
  std::vector<Rank> pair_ranks;
  std::vector<std::uint32_t> next;
  std::vector<std::uint32_t> prev;
  std::vector<std::uint32_t> version;
  struct Candidate {
    Rank rank;
    std::uint32_t start;
    std::uint32_t version;
  };
  std::vector<Candidate> heap;
};

// tiktoken's merge rule: start from single bytes and, while some adjacent pair joins into a
// token, join the pair of lowest rank (the leftmost among equals). Leaves the start offset of
// each final part in `scratch.starts`, followed by piece.size(). `piece` must not be empty.
//
// Two implementations of the same rule: a rescan after every merge (tiktoken's own, fastest
// for the short pieces of real text) and a heap over the pair ranks, O(n log n), so that a
// megabyte-long piece (a base64 blob, a run of one letter) stays linear in practice.
void merge_by_scan(std::string_view piece, const RankTable& ranks, MergeScratch& scratch);
void merge_by_heap(std::string_view piece, const RankTable& ranks, MergeScratch& scratch);

// Appends the tokens of `piece` (any length ≥ 1), choosing the implementation by length.
void byte_pair_encode(std::string_view piece, const RankTable& ranks, MergeScratch& scratch,
                      std::vector<Rank>& out);
// The number of tokens byte_pair_encode would append.
std::size_t byte_pair_count(std::string_view piece, const RankTable& ranks, MergeScratch& scratch);

}  // namespace llmrt::core::tokenizer
