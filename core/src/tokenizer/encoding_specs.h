#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "tokenizer/rank_table.h"

namespace llmrt::core::tokenizer {

struct SpecialTokenSpec {
  std::string_view text;
  Rank id;
};

// What defines an encoding besides its rank file: tiktoken's definitions
// (tiktoken_ext/openai_public.py), the pattern byte for byte as tiktoken writes it.
struct EncodingSpec {
  std::string_view name;
  std::string_view pattern;
  std::span<const SpecialTokenSpec> special_tokens;
  std::size_t mergeable_count;  // tokens the rank file must hold
};

// Null for an encoding llmrt does not ship.
const EncodingSpec* find_encoding_spec(std::string_view name) noexcept;
std::span<const EncodingSpec> encoding_specs() noexcept;

}  // namespace llmrt::core::tokenizer
