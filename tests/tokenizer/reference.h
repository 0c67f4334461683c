#pragma once

#include <string>
#include <vector>

#include "llmrt/core/tokenizer.h"
#include "tokenizer/agreement_corpus.h"

namespace llmrt::test {

// What the npm tiktoken package (OpenAI's Rust tiktoken as WASM) answers for one text.
struct ReferenceAnswer {
  std::vector<core::TokenId> ordinary;     // encode_ordinary(text)
  std::vector<core::TokenId> all_allowed;  // encode(text, "all")
  bool rejected = false;                   // encode(text) threw: it holds a special token
};

// Runs reference_tokens.mjs with node over all the texts at once.
std::vector<ReferenceAnswer> reference_answers(const std::string& encoding,
                                               const std::vector<CorpusText>& texts);

}  // namespace llmrt::test
