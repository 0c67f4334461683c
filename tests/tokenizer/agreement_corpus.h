#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace llmrt::test {

struct CorpusText {
  std::string category;
  std::string bytes;
};

// The texts the tokenizer must encode exactly as tiktoken does, built from a fixed seed:
// English, Chinese and other scripts, code (slices of this repository's own sources), emoji,
// whitespace runs, numbers, contractions, special-token text, invalid UTF-8, random code
// points from every plane, random mixes of all of these, and a few long pieces.
std::vector<CorpusText> agreement_corpus(const std::filesystem::path& source_dir);

// Every Unicode scalar value of planes 0–3 and 14 and a sample of the others, `per_text` to a
// text, each between letters, digits, spaces and punctuation, so that a character the two regex
// engines classify differently changes a token.
std::vector<CorpusText> code_point_sweep(unsigned per_text);

// Standard base64 with padding (the reference reads its inputs this way).
std::string to_base64(const std::string& bytes);

// Bytes made printable for a failure message: \xNN for anything outside ASCII's printables.
std::string escaped(const std::string& bytes, std::size_t limit = 160);

}  // namespace llmrt::test
