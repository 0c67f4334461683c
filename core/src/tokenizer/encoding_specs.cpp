#include "tokenizer/encoding_specs.h"

#include <array>

namespace llmrt::core::tokenizer {
namespace {

constexpr std::array kCl100kSpecials = {
    SpecialTokenSpec{"<|endoftext|>", 100257},   SpecialTokenSpec{"<|fim_prefix|>", 100258},
    SpecialTokenSpec{"<|fim_middle|>", 100259},  SpecialTokenSpec{"<|fim_suffix|>", 100260},
    SpecialTokenSpec{"<|endofprompt|>", 100276},
};

constexpr std::array kO200kSpecials = {
    SpecialTokenSpec{"<|endoftext|>", 199999},
    SpecialTokenSpec{"<|endofprompt|>", 200018},
};

// Contractions, then letters with at most one leading non-letter, numbers of up to three
// digits, punctuation runs with their line breaks, and whitespace (a run before a word leaves
// its last space to the word).
constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// As cl100k, but words split at case changes (camelCase → camel, Case), contractions stay on
// their word, and '/' joins the punctuation's trailing line breaks.
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr std::array kSpecs = {
    EncodingSpec{"cl100k_base", kCl100kPattern, kCl100kSpecials, 100256},
    EncodingSpec{"o200k_base", kO200kPattern, kO200kSpecials, 199998},
};

}  // namespace

const EncodingSpec* find_encoding_spec(std::string_view name) noexcept {
  for (const EncodingSpec& spec : kSpecs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::span<const EncodingSpec> encoding_specs() noexcept { return kSpecs; }

}  // namespace llmrt::core::tokenizer
