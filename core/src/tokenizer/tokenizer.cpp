#include "llmrt/core/tokenizer.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "llmrt/sdk/error.h"
#include "tokenizer/byte_pair_merge.h"
#include "tokenizer/encoding_specs.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/rank_file_locator.h"
#include "tokenizer/rank_table.h"
#include "tokenizer/utf8_repair.h"

namespace llmrt::core {

using tokenizer::MergeScratch;
using tokenizer::RankTable;

struct Tokenizer::Impl {
  Impl(const tokenizer::EncodingSpec& spec, RankTable table, std::size_t vocabulary)
      : encoding(spec.name),
        ranks(std::move(table)),
        pretokenizer(spec.pattern),
        specials(spec.special_tokens),
        vocabulary_size(vocabulary) {}

  std::string encoding;
  RankTable ranks;
  tokenizer::Pretokenizer pretokenizer;
  std::span<const tokenizer::SpecialTokenSpec> specials;
  std::size_t vocabulary_size = 0;

  struct SpecialHit {
    std::size_t at;
    std::size_t length;
    TokenId id;
  };
  // The first special token in `text` at or after `from`. All start with "<|" and none is a
  // prefix of another, so the first position where one matches decides.
  std::optional<SpecialHit> find_special(std::string_view text, std::size_t from) const {
    for (std::size_t at = text.find("<|", from); at != std::string_view::npos;
         at = text.find("<|", at + 1)) {
      for (const auto& special : specials) {
        if (text.substr(at).starts_with(special.text)) {
          return SpecialHit{at, special.text.size(), special.id};
        }
      }
    }
    return std::nullopt;
  }

  // Runs the whole encoding, handing each token (or, when counting, each piece's count) to
  // `sink`: one code path for encode() and count().
  template <class Sink>
  void run(std::string_view input, SpecialTokens special, Sink&& sink) const {
    std::string repaired;
    std::string_view text = input;
    if (!tokenizer::is_valid_utf8(text)) {
      repaired = tokenizer::repair_utf8(text);
      text = repaired;
    }
    if (special == SpecialTokens::reject) {
      if (const auto hit = find_special(text, 0)) {
        throw Error(ErrorKind::bad_request,
                    "tokenizer: the text holds the special token " +
                        std::string(text.substr(hit->at, hit->length)) + " at byte " +
                        std::to_string(hit->at) +
                        (repaired.empty() ? "" : " (after invalid UTF-8 was replaced)") +
                        "; encode it as that token (SpecialTokens::allow, --special allow) or "
                        "as plain text (SpecialTokens::as_text, --special text)");
      }
    }
    MergeScratch scratch;
    std::size_t start = 0;
    while (true) {
      // The hit's fields copied out of the optional: read through it, GCC 12 at -Os reports a
      // false -Wmaybe-uninitialized.
      std::size_t end = text.size();
      std::size_t next = text.size();
      std::optional<TokenId> special_id;
      if (special == SpecialTokens::allow) {
        if (const auto hit = find_special(text, start)) {
          end = hit->at;
          next = hit->at + hit->length;
          special_id = hit->id;
        }
      }
      tokenizer::Pretokenizer::Cursor cursor(pretokenizer, text.substr(start, end - start));
      std::string_view piece;
      while (cursor.next(piece)) sink.piece(piece, ranks, scratch);
      if (!special_id) break;
      sink.special(*special_id);
      start = next;
    }
  }
};

namespace {

const tokenizer::EncodingSpec& shipped_spec(std::string_view encoding) {
  const tokenizer::EncodingSpec* spec = tokenizer::find_encoding_spec(encoding);
  if (spec == nullptr) {
    throw Error(ErrorKind::bad_request, "tokenizer: unknown encoding \"" + std::string(encoding) +
                                            "\" (llmrt ships cl100k_base and o200k_base)");
  }
  return *spec;
}

struct TokenSink {
  std::vector<TokenId>& out;
  void piece(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
    // Most pieces of real text are whole tokens: one lookup, no merging.
    if (const auto rank = ranks.rank(piece); rank != tokenizer::kNoRank) {
      out.push_back(rank);
    } else {
      tokenizer::byte_pair_encode(piece, ranks, scratch, out);
    }
  }
  void special(TokenId id) { out.push_back(id); }
};

struct CountSink {
  std::size_t count = 0;
  void piece(std::string_view piece, const RankTable& ranks, MergeScratch& scratch) {
    count += ranks.rank(piece) != tokenizer::kNoRank
                 ? 1
                 : tokenizer::byte_pair_count(piece, ranks, scratch);
  }
  void special(TokenId) { ++count; }
};

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

std::shared_ptr<const Tokenizer> Tokenizer::load(std::string_view encoding,
                                                 const std::filesystem::path& rank_file) {
  const tokenizer::EncodingSpec& spec = shipped_spec(encoding);
  RankTable ranks = RankTable::load(rank_file);
  if (ranks.size() != spec.mergeable_count || ranks.end_rank() != spec.mergeable_count) {
    throw Error(ErrorKind::bad_request,
                rank_file.string() + ": holds " + std::to_string(ranks.size()) +
                    " tokens ranked up to " + std::to_string(ranks.end_rank()) + "; " +
                    std::string(spec.name) + " has ranks 0 to " +
                    std::to_string(spec.mergeable_count - 1) + " (is it another encoding's file?)");
  }
  std::size_t vocabulary = ranks.end_rank();
  for (const auto& special : spec.special_tokens) {
    vocabulary = std::max<std::size_t>(vocabulary, std::size_t{special.id} + 1);
  }
  auto impl = std::make_unique<Impl>(spec, std::move(ranks), vocabulary);
  return std::shared_ptr<const Tokenizer>(new Tokenizer(std::move(impl)));
}

std::shared_ptr<const Tokenizer> Tokenizer::get(std::string_view encoding) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Tokenizer>, std::less<>> loaded;
  const std::lock_guard lock(mutex);
  if (const auto it = loaded.find(encoding); it != loaded.end()) return it->second;
  // The encoding is checked before the search, so that an unknown one is not "file not found".
  auto tokenizer = load(encoding, tokenizer::find_rank_file(shipped_spec(encoding).name));
  loaded.emplace(std::string(encoding), tokenizer);
  return tokenizer;
}

const std::string& Tokenizer::encoding() const noexcept { return impl_->encoding; }

std::vector<TokenId> Tokenizer::encode(std::string_view text, SpecialTokens special) const {
  std::vector<TokenId> out;
  out.reserve(text.size() / 4 + 1);
  impl_->run(text, special, TokenSink{out});
  return out;
}

std::size_t Tokenizer::count(std::string_view text, SpecialTokens special) const {
  CountSink sink;
  impl_->run(text, special, sink);
  return sink.count;
}

std::string Tokenizer::decode(std::span<const TokenId> tokens) const {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view bytes = impl_->ranks.bytes(tokens[i]);
    if (!bytes.empty()) {
      out += bytes;
      continue;
    }
    const auto special = std::find_if(impl_->specials.begin(), impl_->specials.end(),
                                      [&](const auto& s) { return s.id == tokens[i]; });
    if (special == impl_->specials.end()) {
      throw Error(ErrorKind::bad_request, "tokenizer: token " + std::to_string(i) + " (id " +
                                              std::to_string(tokens[i]) + ") is no token of " +
                                              impl_->encoding);
    }
    out += special->text;
  }
  return out;
}

std::optional<TokenId> Tokenizer::find_special_token(std::string_view text) const noexcept {
  for (const auto& special : impl_->specials) {
    if (special.text == text) return special.id;
  }
  return std::nullopt;
}

std::size_t Tokenizer::vocabulary_size() const noexcept { return impl_->vocabulary_size; }

}  // namespace llmrt::core
