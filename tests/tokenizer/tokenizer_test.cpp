// The tokenizer's parts and its API contract: rank files, UTF-8 repair, both merge
// implementations, special-token modes, decoding, the model map and the rank file search.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"
#include "support/run_process.h"
#include "tokenizer/agreement_corpus.h"
#include "tokenizer/base64.h"
#include "tokenizer/byte_pair_merge.h"
#include "tokenizer/encoding_specs.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/rank_file_locator.h"
#include "tokenizer/rank_table.h"
#include "tokenizer/utf8_repair.h"

namespace llmrt::test {
namespace {

namespace fs = std::filesystem;
using core::SpecialTokens;
using core::TokenId;
using core::Tokenizer;
using namespace core::tokenizer;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.info().message;
  }
  return "(no error)";
}

// Every byte, then the few merges the tests need, with ranks in merge order.
std::string small_rank_file() {
  std::string text;
  Rank rank = 0;
  auto line = [&](const std::string& token) {
    text += to_base64(token) + " " + std::to_string(rank++) + "\n";
  };
  for (int b = 0; b < 256; ++b) line(std::string(1, static_cast<char>(b)));
  for (const char* token : {"ab", "bc", "abc", "aa", "aaaa", "cd", "bcd", "abcd"}) line(token);
  return text;
}

TEST(Base64, DecodesPaddedTextAndRefusesTheRest) {
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  EXPECT_EQ(decode_base64("IQ=="), "!");
  EXPECT_EQ(decode_base64("YWJj"), "abc");
  EXPECT_FALSE(decode_base64("YWJ"));
  EXPECT_FALSE(decode_base64("YW=j"));
  EXPECT_FALSE(decode_base64("Y!Jj"));
}

TEST(Utf8Repair, ReplacesEachMaximalSubpartOnce) {
  EXPECT_TRUE(is_valid_utf8("plain ascii and \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(repair_utf8("a\x80z"), "a" + fffd + "z");
  // A truncated 3-byte sequence is one subpart; the byte that broke it starts over.
  EXPECT_EQ(repair_utf8("\xE4\xBD"
                        "a"),
            fffd + "a");
  // Overlong and surrogate leads cannot start a sequence with that second byte: each byte alone.
  EXPECT_EQ(repair_utf8("\xE0\x80\x80"), fffd + fffd + fffd);
  EXPECT_EQ(repair_utf8("\xED\xA0\x80"), fffd + fffd + fffd);
  EXPECT_EQ(repair_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(repair_utf8("\xF0\x9F\x98"), fffd);
  EXPECT_EQ(repair_utf8("\xC0\xAF"), fffd + fffd);
}

TEST(RankTable, ReadsTiktokenFormatAndNamesTheLineOfAnError) {
  const RankTable table = RankTable::parse(small_rank_file(), "small");
  EXPECT_EQ(table.size(), 264U);
  EXPECT_EQ(table.rank("abc"), 258U);
  EXPECT_EQ(table.rank("abcde"), kNoRank);
  EXPECT_EQ(table.bytes(257), "bc");
  EXPECT_EQ(table.max_token_length(), 4U);

  EXPECT_EQ(error_of([] { RankTable::parse("YWJj\n", "f.tiktoken"); }),
            "f.tiktoken:1: no space before the rank (a tiktoken rank file has one \"<base64 "
            "token> <rank>\" per line)");
  EXPECT_NE(error_of([] {
              RankTable::parse("YWJj 1\nYW!j 2\n", "f");
            }).find("f:2: \"YW!j\" is not base64"),
            std::string::npos);
  EXPECT_NE(error_of([] { RankTable::parse("YWJj x\n", "f"); }).find("f:1: the rank \"x\""),
            std::string::npos);
  EXPECT_NE(
      error_of([] { RankTable::parse("YWJj 1\nYWI= 1\n", "f"); }).find("rank 1 appears twice"),
      std::string::npos);
  EXPECT_NE(
      error_of([] { RankTable::parse("YWJj 1\n", "f"); }).find("no token for the single byte 0"),
      std::string::npos);
  EXPECT_NE(error_of([] {
              RankTable::parse(small_rank_file() + "YWJj 999\n", "f");
            }).find("also has rank"),
            std::string::npos);
}

TEST(BytePairMerge, LowestRankFirstLeftmostAmongEquals) {
  const RankTable table = RankTable::parse(small_rank_file(), "small");
  MergeScratch scratch;
  auto tokens = [&](std::string_view piece) {
    std::vector<Rank> out;
    byte_pair_encode(piece, table, scratch, out);
    std::vector<std::string> parts;
    for (Rank r : out) parts.emplace_back(table.bytes(r));
    return parts;
  };
  // ab (256) before bc (257): "abcd" → ab,c,d → abc,d (258) → abcd (263).
  EXPECT_EQ(tokens("abcd"), (std::vector<std::string>{"abcd"}));
  EXPECT_EQ(tokens("abce"), (std::vector<std::string>{"abc", "e"}));
  // aa is found leftmost first: aaa → aa,a.
  EXPECT_EQ(tokens("aaa"), (std::vector<std::string>{"aa", "a"}));
  EXPECT_EQ(tokens("aaaaa"), (std::vector<std::string>{"aaaa", "a"}));
  EXPECT_EQ(tokens("x"), (std::vector<std::string>{"x"}));
}

TEST(BytePairMerge, HeapAndScanAgreeOnRandomPiecesOfARealEncoding) {
  const auto tokenizer = Tokenizer::get("cl100k_base");
  const RankTable table = RankTable::load(find_rank_file("cl100k_base"));
  std::mt19937 random(11);
  MergeScratch scan;
  MergeScratch heap;
  for (int i = 0; i < 3000; ++i) {
    std::string piece;
    const std::size_t length = 1 + random() % 300;
    const int alphabet = i % 3 == 0 ? 3 : i % 3 == 1 ? 26 : 256;
    for (std::size_t k = 0; k < length; ++k) {
      piece += static_cast<char>(alphabet == 256 ? random() % 256 : 'a' + random() % alphabet);
    }
    merge_by_scan(piece, table, scan);
    merge_by_heap(piece, table, heap);
    ASSERT_EQ(scan.starts, heap.starts) << "piece " << i << " of " << length << " bytes";
  }
}

TEST(Pretokenizer, SpellsWhiteSpaceOutAndAddsNewerUnicode) {
  const std::string pattern = to_pcre2_pattern(R"(\s+(?!\S)|[^\s\p{L}]|\p{Lt})");
  EXPECT_EQ(pattern.find("\\s"), std::string::npos);
  EXPECT_EQ(pattern.find("\\S"), std::string::npos);
  EXPECT_NE(pattern.find("\\x{3000}"), std::string::npos);
  // Unicode 16 added letters (U+1C89 CYRILLIC CAPITAL LETTER TJE) PCRE2 14's tables lack.
  EXPECT_NE(pattern.find("\\x{1C89}"), std::string::npos);
  EXPECT_NE(error_of([] { Pretokenizer bad("(unclosed"); }).find("does not compile at offset"),
            std::string::npos);
}

// Ten million spaces and a word: PCRE2's default step limit failed the match (a usage error,
// exit 2, for valid text) where the reference splits it into the run less one space, then
// " x".
TEST(Pretokenizer, ARunOfTenMillionSpacesIsSplitAsTheReferenceDoes) {
  for (const EncodingSpec& spec : encoding_specs()) {
    const Pretokenizer pretokenizer(spec.pattern);
    const std::string text = std::string(11'000'000, ' ') + "x";
    Pretokenizer::Cursor cursor(pretokenizer, text);
    std::vector<std::size_t> sizes;
    for (std::string_view piece; cursor.next(piece);) sizes.push_back(piece.size());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{11'000'000 - 1, 2})) << spec.name;
  }
}

TEST(Tokenizer, SpecialTokensAreRefusedAllowedOrPlainText) {
  const auto tokenizer = Tokenizer::get("cl100k_base");
  const std::string text = "a <|endoftext|> b";
  EXPECT_EQ(
      error_of([&] { (void)tokenizer->encode(text); }),
      "tokenizer: the text holds the special token <|endoftext|> at byte 2; encode it as that "
      "token (SpecialTokens::allow, --special allow) or as plain text "
      "(SpecialTokens::as_text, --special text)");
  const auto allowed = tokenizer->encode(text, SpecialTokens::allow);
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), 100257U), allowed.end());
  const auto plain = tokenizer->encode(text, SpecialTokens::as_text);
  EXPECT_EQ(std::find(plain.begin(), plain.end(), 100257U), plain.end());
  EXPECT_EQ(tokenizer->decode(allowed), text);
  EXPECT_EQ(tokenizer->decode(plain), text);
  EXPECT_EQ(tokenizer->count(text, SpecialTokens::as_text), plain.size());
  EXPECT_EQ(tokenizer->find_special_token("<|endofprompt|>"), 100276U);
  EXPECT_EQ(tokenizer->vocabulary_size(), 100277U);
  EXPECT_EQ(Tokenizer::get("o200k_base")->vocabulary_size(), 200019U);
}

TEST(Tokenizer, KnownTokensOfBothEncodings) {
  EXPECT_EQ(Tokenizer::get("cl100k_base")->encode("hello world"),
            (std::vector<TokenId>{15339, 1917}));
  EXPECT_EQ(Tokenizer::get("o200k_base")->encode("hello world"),
            (std::vector<TokenId>{24912, 2375}));
  EXPECT_TRUE(Tokenizer::get("o200k_base")->encode("").empty());
}

TEST(Tokenizer, DecodeNamesAnUnknownId) {
  const auto tokenizer = Tokenizer::get("cl100k_base");
  const std::vector<TokenId> ids{15339, 100261};
  EXPECT_EQ(error_of([&] { (void)tokenizer->decode(ids); }),
            "tokenizer: token 1 (id 100261) is no token of cl100k_base");
}

TEST(Tokenizer, ErrorsNameTheEncodingOrFile) {
  EXPECT_EQ(error_of([] { Tokenizer::get("p50k_base"); }),
            "tokenizer: unknown encoding \"p50k_base\" (llmrt ships cl100k_base and o200k_base)");
  EXPECT_NE(error_of([] {
              Tokenizer::load("cl100k_base", "/nonexistent/cl100k_base.tiktoken");
            }).find("/nonexistent/cl100k_base.tiktoken: cannot read the rank file"),
            std::string::npos);
  // The other encoding's file under this name.
  EXPECT_NE(error_of([] {
              Tokenizer::load("cl100k_base", find_rank_file("o200k_base"));
            }).find("is it another encoding's file?"),
            std::string::npos);
}

TEST(RankFileSearch, EnvironmentFirstAndAnErrorListingEveryFolder) {
  const fs::path dir = fs::temp_directory_path() / ("llmrt_tok_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "cl100k_base.tiktoken") << small_rank_file();
  ::setenv("LLMRT_TOKENIZER_PATH", (dir.string() + ":/nowhere").c_str(), 1);
  EXPECT_EQ(core::tokenizer_search_path().front(), dir);
  EXPECT_EQ(find_rank_file("cl100k_base"), dir / "cl100k_base.tiktoken");
  const std::string missing = error_of([] { find_rank_file("o100k_test"); });
  ::unsetenv("LLMRT_TOKENIZER_PATH");
  fs::remove_all(dir);
  EXPECT_NE(missing.find("the rank file o100k_test.tiktoken is in none of: " + dir.string() +
                         ", /nowhere, "),
            std::string::npos)
      << missing;
  EXPECT_NE(missing.find("LLMRT_TOKENIZER_PATH"), std::string::npos);
}

TEST(ModelEncodings, ExactPrefixAndVendorNames) {
  EXPECT_EQ(core::encoding_for_model("gpt-4o"), "o200k_base");
  EXPECT_EQ(core::encoding_for_model("gpt-4o-2024-08-06"), "o200k_base");
  EXPECT_EQ(core::encoding_for_model("o3-mini"), "o200k_base");
  EXPECT_EQ(core::encoding_for_model("gpt-4"), "cl100k_base");
  EXPECT_EQ(core::encoding_for_model("gpt-4-0613"), "cl100k_base");
  EXPECT_EQ(core::encoding_for_model("gpt-3.5-turbo-16k"), "cl100k_base");
  EXPECT_EQ(core::encoding_for_model("ft:gpt-4o-mini:org::abc"), "o200k_base");
  EXPECT_EQ(core::encoding_for_model("ft:gpt-4-0613:org::abc"), "cl100k_base");
  EXPECT_EQ(core::encoding_for_model("openai/gpt-4o-mini"), "o200k_base");
  EXPECT_EQ(error_of([] { core::encoding_for_model("qwen-max"); }),
            "tokenizer: no known encoding for the model \"qwen-max\"; name one (cl100k_base or "
            "o200k_base) with the model's \"encoding\" setting or --encoding");
  EXPECT_EQ(error_of([] { core::encoding_for_model("text-davinci-003"); }),
            "tokenizer: the model \"text-davinci-003\" uses p50k_base, which llmrt does not ship "
            "(it has cl100k_base and o200k_base)");
}

// The reference package's own tables: its model map, patterns and special tokens.
TEST(ModelEncodings, AgreeWithTheReferencePackage) {
  const ProcessResult result = run_process(
      {LLMRT_TEST_NODE, "-e",
       "const p = process.argv[1];"
       "const m = require(p + '/model_to_encoding.json');"
       "for (const [k, v] of Object.entries(m)) console.log('model', k, v);"
       "for (const e of ['cl100k_base', 'o200k_base']) {"
       "  const j = require(p + '/encoders/' + e + '.json');"
       "  console.log('pattern', e, j.pat_str);"
       "  for (const [t, id] of Object.entries(j.special_tokens)) console.log('special', e, t, id);"
       "}",
       LLMRT_TEST_TIKTOKEN_PACKAGE});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  int models = 0;
  int specials = 0;
  for (const std::string& line : lines_of(result.out)) {
    std::istringstream fields(line);
    std::string kind, a, b;
    fields >> kind >> a;
    std::getline(fields >> std::ws, b);
    if (kind == "model") {
      ++models;
      EXPECT_EQ(core::find_encoding_for_model(a).value_or("(none)"), b) << a;
    } else if (kind == "pattern") {
      EXPECT_EQ(find_encoding_spec(a)->pattern, b) << a;
    } else if (kind == "special") {
      ++specials;
      const auto space = b.rfind(' ');
      EXPECT_EQ(Tokenizer::get(a)->find_special_token(b.substr(0, space)),
                static_cast<TokenId>(std::stoul(b.substr(space + 1))))
          << a << " " << b;
    }
  }
  EXPECT_GT(models, 100);
  EXPECT_EQ(specials, 7);
}

}  // namespace
}  // namespace llmrt::test
