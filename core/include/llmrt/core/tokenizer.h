#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::core {

using TokenId = std::uint32_t;

// What encode() does with the text of a special token ("<|endoftext|>") found in its input.
enum class SpecialTokens {
  reject,   // throw Error (bad_request) naming the token and where (tiktoken's default)
  as_text,  // encode its characters as ordinary text (tiktoken's encode_ordinary)
  allow,    // encode it as the special token (tiktoken's allowed_special="all")
};

// tiktoken's byte-level BPE, token for token: the same pre-tokenisation regex (PCRE2 with
// Unicode properties), the same merge rule, the same special tokens. Ships cl100k_base and
// o200k_base. Immutable once loaded, so one instance serves every thread.
class Tokenizer {
 public:
  // The encoding's tokenizer, loaded at the first call in the process and shared after. The
  // rank file <encoding>.tiktoken is looked for in tokenizer_search_path(). Throws Error:
  // bad_request for an encoding llmrt does not ship or a damaged rank file, not_found when no
  // folder holds the rank file (the message lists the folders).
  static std::shared_ptr<const Tokenizer> get(std::string_view encoding);
  // The same from a given rank file, not shared.
  static std::shared_ptr<const Tokenizer> load(std::string_view encoding,
                                               const std::filesystem::path& rank_file);

  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  const std::string& encoding() const noexcept;

  // Text is bytes: invalid UTF-8 is first replaced by U+FFFD per maximal ill-formed subpart,
  // which is what the same bytes become as a string in tiktoken's Python and Node bindings.
  std::vector<TokenId> encode(std::string_view text,
                              SpecialTokens special = SpecialTokens::reject) const;
  // encode(text, special).size(), without building the vector.
  std::size_t count(std::string_view text, SpecialTokens special = SpecialTokens::reject) const;
  // The bytes the tokens stand for (a cut in the middle of a character stays cut). Throws
  // Error (bad_request) naming the first id that is no token of this encoding.
  std::string decode(std::span<const TokenId> tokens) const;

  // Null when `text` is not one of this encoding's special tokens.
  std::optional<TokenId> find_special_token(std::string_view text) const noexcept;
  // One past the largest token id, special tokens included (tiktoken's n_vocab).
  std::size_t vocabulary_size() const noexcept;

 private:
  struct Impl;
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The encoding tiktoken uses for an OpenAI model: an exact name, else the longest known prefix
// (dated and fine-tuned variants: "gpt-4o-2024-08-06", "ft:gpt-4o-mini:org::id"), else the same
// for the part after a "vendor/" prefix ("openai/gpt-4o"). Null for an unknown model.
std::optional<std::string> find_encoding_for_model(std::string_view model);
// As find_encoding_for_model, but throws Error (bad_request) for an unknown model or one whose
// encoding llmrt does not ship, saying how to name an encoding instead.
std::string encoding_for_model(std::string_view model);

// Where rank files are looked for, in order: $LLMRT_TOKENIZER_PATH (folders separated by ':'),
// share/llmrt/tokenizers beside the core library's prefix (the build tree has the same shape),
// the same beside the running program's prefix, and the install prefix.
std::vector<std::filesystem::path> tokenizer_search_path();

}  // namespace llmrt::core
