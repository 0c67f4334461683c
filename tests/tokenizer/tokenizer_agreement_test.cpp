// llmrt's tokenizer against OpenAI's tiktoken itself (the npm package's WASM build), text by
// text, in every special-token mode.
#include <gtest/gtest.h>

#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"
#include "tokenizer/agreement_corpus.h"
#include "tokenizer/reference.h"

namespace llmrt::test {
namespace {

using core::SpecialTokens;
using core::TokenId;
using core::Tokenizer;

std::string ids_text(const std::vector<TokenId>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 40; ++i) out += std::to_string(ids[i]) + " ";
  if (ids.size() > 40) out += "… (" + std::to_string(ids.size()) + " tokens)";
  return out;
}

// Compares every text; reports at most a few disagreements in full, then counts the rest.
void expect_agreement(const std::string& encoding, const std::vector<CorpusText>& texts) {
  const auto tokenizer = Tokenizer::get(encoding);
  const std::vector<ReferenceAnswer> answers = reference_answers(encoding, texts);
  ASSERT_EQ(answers.size(), texts.size());
  int shown = 0;
  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const CorpusText& text = texts[i];
    const ReferenceAnswer& expected = answers[i];
    const auto ordinary = tokenizer->encode(text.bytes, SpecialTokens::as_text);
    const auto allowed = tokenizer->encode(text.bytes, SpecialTokens::allow);
    bool rejected = false;
    try {
      (void)tokenizer->encode(text.bytes);
    } catch (const Error&) {
      rejected = true;
    }
    const bool agree = ordinary == expected.ordinary && allowed == expected.all_allowed &&
                       rejected == expected.rejected &&
                       tokenizer->count(text.bytes, SpecialTokens::allow) == allowed.size();
    if (agree) continue;
    ++disagreements;
    if (shown++ < 5) {
      ADD_FAILURE() << encoding << " text " << i << " (" << text.category << "): \""
                    << escaped(text.bytes) << "\"\n  llmrt     " << ids_text(ordinary)
                    << "\n  tiktoken  " << ids_text(expected.ordinary) << "\n  allowed: llmrt "
                    << ids_text(allowed) << " / tiktoken " << ids_text(expected.all_allowed)
                    << "\n  rejected: llmrt " << rejected << " / tiktoken " << expected.rejected;
    }
  }
  EXPECT_EQ(disagreements, 0U) << "of " << texts.size() << " texts";
}

class Agreement : public ::testing::TestWithParam<std::string> {};

TEST_P(Agreement, CorpusOfEveryKindOfText) {
  const auto corpus = agreement_corpus(LLMRT_TEST_SOURCE_DIR);
  ASSERT_GE(corpus.size(), 2000U);
  expect_agreement(GetParam(), corpus);
}

TEST_P(Agreement, EveryCodePointInEveryContext) {
  expect_agreement(GetParam(), code_point_sweep(256));
}

INSTANTIATE_TEST_SUITE_P(Encodings, Agreement, ::testing::Values("cl100k_base", "o200k_base"));

}  // namespace
}  // namespace llmrt::test
