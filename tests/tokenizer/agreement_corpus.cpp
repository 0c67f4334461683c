#include "tokenizer/agreement_corpus.h"

#include <array>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

namespace llmrt::test {
namespace {

using Random = std::mt19937_64;

std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::size_t pick(Random& random, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
}

template <class List>
const auto& any_of(Random& random, const List& list) {
  return list[pick(random, list.size())];
}

constexpr std::array<std::string_view, 24> kEnglish = {
    "The quick brown fox jumps over the lazy dog.",
    "I'm sure you'll find it; we've tried, they'd agree, and it's done.",
    "DON'T SHOUT, he said. I'M NOT SHOUTING! YOU'RE shouting.",
    "She's got the tokenizer's output: 'hello' and \"world\".",
    "Hello, World! How are you doing today?",
    "camelCaseIdentifiers and PascalCaseNames and snake_case_names",
    "HTTPServerError, XMLHttpRequest, iOS, eBay, McDonald's",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.",
    "Dr. Smith arrived at 3:45 p.m. on Jan. 5th, 2024 (approx.).",
    "e.g. i.e. etc. vs. Mr. Mrs. Ms. U.S.A.",
    "It was the best of times, it was the worst of times...",
    "naïve café résumé coöperate façade jalapeño",
    "Don\xE2\x80\x99t use curly quotes\xE2\x80\x94or do \xE2\x80\x9Cthem\xE2\x80\x9D anyway.",
    "rock'n'roll, y'all, o'clock, ma'am, 'tis, ne'er",
    "mailto:someone@example.com?subject=Hi%20there&body=1+2",
    "The year 1999 had 365 days; 2024 had 366.",
    "What?!?! No way... Really??? Yes!!!",
    "A\nB\r\nC\rD\n\nE\n\n\nF",
    "    indented by four spaces\n\tand a tab",
    "trailing spaces   \n   leading spaces",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "UPPERCASE lowercase MiXeDcAsE Title Case",
    "It'S tHe 'LL 'Ve 'Re 'D 'M cases's",
    "https://example.com/path/to/page?query=value&other=1#fragment",
};

constexpr std::array<std::string_view, 16> kOtherScripts = {
    "我们今天去公园散步，天气非常好。",
    "人工智能正在改变世界，大语言模型尤其如此。",
    "你好，世界！这是一个测试：包含标点符号、数字123和English混合。",
    "北京时间2024年1月1日，新年快乐！",
    "日本語のテキストも含まれています。カタカナとひらがな。",
    "한국어 문장도 있습니다. 안녕하세요!",
    "Привет, мир! Как дела? Это тест токенизатора.",
    "Γειά σου Κόσμε! Αυτό είναι ένα τεστ.",
    "مرحبا بالعالم! هذا اختبار ١٢٣.",
    "नमस्ते दुनिया! यह एक परीक्षण है। क्षत्रिय",
    "สวัสดีชาวโลก นี่คือการทดสอบ",
    "שלום עולם! זהו מבחן.",
    "Ελληνικά, Русский, 中文, العربية, हिन्दी in one line",
    "Türkçe: İstanbul, ılık, ĞÜŞİÖÇ",
    "Tiếng Việt có dấu: Xin chào thế giới",
    "ᚠᛇᚻ᛫ᛒᛦᚦ ⠊⠀⠉⠁⠝ 𐌰𐌱𐌲 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
};

constexpr std::array<std::string_view, 14> kEmoji = {
    "😀😃😄😁",
    "👨‍👩‍👧‍👦 family",
    "👍🏽👍🏿",
    "🇺🇸🇨🇳🇯🇵",
    "❤️‍🔥",
    "I ❤️ NY",
    "🧑🏻‍💻 coding",
    "emoji🙂inside🙃words",
    "✅ done ❌ failed ⚠️ warning",
    "🏳️‍🌈",
    "#️⃣ 1️⃣ 2️⃣",
    "😀 😃\t😄\n😁",
    "🤖🤖🤖🤖🤖🤖🤖🤖",
    "☺︎ ☺️",
};

constexpr std::array<std::string_view, 18> kNumbers = {
    "1234567890", "3.14159265358979",     "1,000,000.00",
    "-42",        "+1 (555) 123-4567",    "0x1F600",
    "1e-10",      "2024-01-01T12:34:56Z", "١٢٣٤٥",
    "½ ¼ ¾",      "x² + y³ = z⁴",         "Ⅻ ⅻ Ⅳ",
    "𝟙𝟚𝟛",        "v1.2.3-rc.4",          "12345678901234567890",
    "007",        "3rd 21st 1000th",      "৪২ ४२ ๔๒",
};

constexpr std::array<std::string_view, 14> kContractions = {
    "'s",
    "'S",
    "'t",
    "'T",
    "'re",
    "'RE",
    "'Re",
    "'ve",
    "'m",
    "'ll",
    "'LL",
    "'d",
    "'\xC5\xBF",  // ' + LATIN SMALL LETTER LONG S: 's' under Unicode case folding
    "'\xE2\x84\xAA",
};

constexpr std::array<std::string_view, 20> kWhitespace = {
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x0B",
    "\x0C",
    "\xC2\x85",
    "\xC2\xA0",
    "\xE1\x9A\x80",
    "\xE1\xA0\x8E",
    "\xE2\x80\x80",
    "\xE2\x80\x8A",
    "\xE2\x80\x8B",
    "\xE2\x80\xA8",
    "\xE2\x80\xAF",
    "\xE3\x80\x80",
    "\xEF\xBB\xBF",
    "\x1C",
};

constexpr std::array<std::string_view, 10> kSpecials = {
    "<|endoftext|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|endofprompt|>",
    "<|endoftext",
    "<|",
    "|>",
    "<|im_start|>",
    "<|endoftext|",
};

constexpr std::array<std::string_view, 24> kInvalid = {
    "\x80",
    "\xBF",
    "\xC0\x80",
    "\xC1\xBF",
    "\xC2",
    "\xE0\x80\x80",
    "\xE0\xA0",
    "\xED\xA0\x80",
    "\xED\xBF\xBF",
    "\xEF\xBF",
    "\xF0\x80\x80\x80",
    "\xF0\x90\x80",
    "\xF4\x90\x80\x80",
    "\xF5\x80\x80\x80",
    "\xFE",
    "\xFF",
    "\xF8\x88\x80\x80\x80",
    "\xE2\x82",
    "\xE2\x28\xA1",
    "\xF0\x9F\x98",
    "\xC3\x28",
    "\xA0\xA1",
    "\xF0\x28\x8C\xBC",
    "\xE1\x80\xC0",
};

// Code points from every plane, weighted towards where text lives.
char32_t random_code_point(Random& random) {
  static constexpr std::array<std::pair<char32_t, char32_t>, 12> kRanges = {{
      {0x20, 0x7E},
      {0xA0, 0x24F},
      {0x250, 0x2FFF},
      {0x3000, 0x9FFF},
      {0xA000, 0xD7FF},
      {0xE000, 0xFFFD},
      {0x10000, 0x1FFFF},
      {0x1F300, 0x1FAFF},
      {0x20000, 0x323AF},
      {0xE0000, 0xE01EF},
      {0x0, 0x1F},
      {0x80, 0x9F},
  }};
  const auto [low, high] = any_of(random, kRanges);
  return static_cast<char32_t>(std::uniform_int_distribution<std::uint32_t>(low, high)(random));
}

std::string random_code_points(Random& random, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += utf8(random_code_point(random));
  return out;
}

std::string random_bytes(Random& random, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(pick(random, 256));
  return out;
}

std::vector<std::string> read_sources(const std::filesystem::path& root) {
  static constexpr std::array kFiles = {
      "core/src/call.cpp",
      "core/src/tokenizer/byte_pair_merge.cpp",
      "sdk/include/llmrt/sdk/sse.h",
      "CMakeLists.txt",
      "README.md",
      "scripts/setup.sh",
      "tests/data/openai/basic.sse",
      "tokenizers/convert_ranks.mjs",
  };
  std::vector<std::string> texts;
  for (const char* file : kFiles) {
    std::ifstream in(root / file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!text.str().empty()) texts.push_back(text.str());
  }
  return texts;
}

std::string one_fragment(Random& random, const std::vector<std::string>& sources) {
  switch (pick(random, 10)) {
    case 0:
      return std::string(any_of(random, kEnglish));
    case 1:
      return std::string(any_of(random, kOtherScripts));
    case 2:
      return std::string(any_of(random, kEmoji));
    case 3:
      return std::string(any_of(random, kNumbers));
    case 4:
      return std::string(any_of(random, kContractions));
    case 5:
      return std::string(any_of(random, kWhitespace));
    case 6:
      return std::string(any_of(random, kSpecials));
    case 7:
      return std::string(any_of(random, kInvalid));
    case 8:
      return random_code_points(random, 1 + pick(random, 8));
    default: {
      const std::string& source = any_of(random, sources);
      return source.substr(pick(random, source.size()), 1 + pick(random, 40));
    }
  }
}

}  // namespace

std::vector<CorpusText> agreement_corpus(const std::filesystem::path& source_dir) {
  Random random(20261121);
  const std::vector<std::string> sources = read_sources(source_dir);
  std::vector<CorpusText> corpus;
  auto add = [&](std::string category, std::string bytes) {
    corpus.push_back({std::move(category), std::move(bytes)});
  };

  // Every fixed text alone, and each between the others' kinds of neighbour.
  for (auto text : kEnglish) add("english", std::string(text));
  for (auto text : kOtherScripts) add("scripts", std::string(text));
  for (auto text : kEmoji) add("emoji", std::string(text));
  for (auto text : kNumbers) add("numbers", std::string(text));
  for (auto text : kSpecials) add("special", "a" + std::string(text) + " b" + std::string(text));
  for (auto text : kInvalid) add("invalid-utf8", "ok " + std::string(text) + "ok");
  for (auto contraction : kContractions) {
    for (std::string_view word : {"it", "IT", "don", "we", " you", "他", "123", "!", " "}) {
      add("contractions", std::string(word) + std::string(contraction) + " x");
    }
  }
  for (auto a : kWhitespace) {
    for (auto b : kWhitespace) {
      add("whitespace", "x" + std::string(a) + std::string(b) + std::string(a) + "y");
      add("whitespace", std::string(a) + std::string(a) + std::string(b) + "!" + std::string(b));
    }
  }
  // Code: slices of real sources, at arbitrary offsets (some cut characters in half).
  for (int i = 0; i < 300; ++i) {
    const std::string& source = any_of(random, sources);
    add("code", source.substr(pick(random, source.size()), 1 + pick(random, 600)));
  }
  for (int i = 0; i < 200; ++i)
    add("code-points", random_code_points(random, 1 + pick(random, 40)));
  for (int i = 0; i < 150; ++i) add("random-bytes", random_bytes(random, 1 + pick(random, 60)));
  for (int i = 0; i < 600; ++i) {
    std::string text;
    const std::size_t parts = 2 + pick(random, 8);
    for (std::size_t k = 0; k < parts; ++k) text += one_fragment(random, sources);
    add("mixed", text);
  }
  for (std::string_view digits : {"0123456789", "9"}) {
    std::string run;
    while (run.size() < 5000) run += digits;
    add("long", run);
  }
  // Long pieces take the heap merge: a run of one letter, a base64 blob, a word with no spaces.
  add("long", std::string(5000, 'a'));
  add("long", "x" + std::string(3000, ' ') + "y" + std::string(3000, '\n'));
  add("long", std::string(2000, '!') + std::string(2000, '.'));
  add("long", to_base64(random_bytes(random, 6000)));
  {
    std::string word;
    for (int i = 0; i < 3000; ++i) word += static_cast<char>('a' + pick(random, 26));
    add("long", word);
    std::string chinese;
    for (int i = 0; i < 2000; ++i)
      chinese += utf8(0x4E00 + static_cast<char32_t>(pick(random, 0x5000)));
    add("long", chinese);
  }
  std::string book;
  while (book.size() < 200000) book += one_fragment(random, sources) + " ";
  add("long", book);
  return corpus;
}

std::vector<CorpusText> code_point_sweep(unsigned per_text) {
  std::vector<CorpusText> texts;
  std::string text;
  unsigned in_text = 0;
  static constexpr std::array<std::string_view, 4> kNeighbours = {"a", " ", "1", "."};
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    // Planes 4–13 are unassigned and 15–16 private use (Unicode 16): a sample of them is
    // enough, and keeps the reference's run short. Planes 0–3 and 14 are taken whole.
    if (cp >= 0x40000 && (cp < 0xE0000 || cp > 0xEFFFF) && cp % 61 != 0) continue;
    const std::string c = utf8(cp);
    // After a letter, after a space, before a digit, doubled before punctuation: each regex
    // branch sees the character from a side that depends on its class.
    text += std::string(kNeighbours[cp % 4]) + c + "x" + c + c + "1 " + c + ".";
    if (++in_text == per_text) {
      texts.push_back({"sweep", std::move(text)});
      text.clear();
      in_text = 0;
    }
  }
  if (!text.empty()) texts.push_back({"sweep", std::move(text)});
  return texts;
}

std::string to_base64(const std::string& bytes) {
  static constexpr std::string_view kDigits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kDigits[group >> 18 & 63];
    out += kDigits[group >> 12 & 63];
    out += i + 1 < bytes.size() ? kDigits[group >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[group & 63] : '=';
  }
  return out;
}

std::string escaped(const std::string& bytes, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (bytes.size() > limit) out += "… (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

}  // namespace llmrt::test
