// The content decoder on bytes given in every way a socket may give them: whatever the sizes of
// the reads coming in and of the room going out, the decoded text is the same, and broken data
// is refused the same way.
#include "http/content_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "llmrt/sdk/error.h"
#include "support/zlib_coding.h"

namespace llmrt::core {
namespace {

// Decodes `coded` given `in` bytes a read, into `out` bytes of room a call.
std::string decode(ContentCoding coding, std::string_view coded, std::size_t in, std::size_t out) {
  ContentDecoder decoder(coding);
  std::size_t at = 0;
  const ContentDecoder::Source source = [&](char* buffer, std::size_t capacity) {
    const std::size_t n = std::min({in, capacity, coded.size() - at});
    coded.copy(buffer, n, at);
    at += n;
    return n;
  };
  std::string text;
  std::string room(out, '\0');
  while (std::size_t n = decoder.read(source, room.data(), room.size())) text.append(room, 0, n);
  EXPECT_EQ(decoder.read(source, room.data(), room.size()), 0U) << "an end stays an end";
  return text;
}

std::string text_of(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; text.size() < size; ++i) text += "token " + std::to_string(i * i) + ' ';
  text.resize(size);
  return text;
}

TEST(ContentDecoder, EverySplitOfTheInputAndOutputDecodesAlike) {
  const std::string text = text_of(40'000);
  struct Coded {
    ContentCoding coding;
    std::string bytes;
  };
  for (const Coded& c : {Coded{ContentCoding::gzip, test::compress(text, test::kGzipBits)},
                         Coded{ContentCoding::deflate, test::compress(text, test::kZlibBits)},
                         Coded{ContentCoding::deflate, test::compress(text, test::kRawDeflateBits)},
                         // A gzip body under the name deflate: zlib finds it from its header.
                         Coded{ContentCoding::deflate, test::compress(text, test::kGzipBits)}}) {
    for (std::size_t in : {1, 2, 3, 7, 100, 16384, 1 << 20}) {
      for (std::size_t out : {1, 5, 4096, 65536}) {
        EXPECT_EQ(decode(c.coding, c.bytes, in, out), text)
            << "coded " << c.bytes.size() << " bytes, " << in << " in, " << out << " out";
      }
    }
  }
}

TEST(ContentDecoder, GzipMembersOneAfterAnotherMakeOneBody) {
  const std::string coded = test::gzip("first ") + test::gzip("") + test::gzip("second");
  for (std::size_t in : {1, 9, 1000}) {
    EXPECT_EQ(decode(ContentCoding::gzip, coded, in, 3), "first second");
  }
}

TEST(ContentDecoder, AnEmptyBodyIsNothingToDecode) {
  EXPECT_EQ(decode(ContentCoding::gzip, "", 10, 10), "");
  EXPECT_EQ(decode(ContentCoding::deflate, "", 10, 10), "");
}

// A partial flush lets what came before it out before the rest has arrived.
TEST(ContentDecoder, AFlushedPartDecodesBeforeTheRestArrives) {
  const std::string coded = test::compress("first second", test::kGzipBits, {6});
  const std::size_t first_part = coded.find(std::string("\x00\x00\xff\xff", 4)) + 4;
  ContentDecoder decoder(ContentCoding::gzip);
  bool first_given = false;
  const ContentDecoder::Source first_only = [&](char* buffer, std::size_t) {
    // A second read would block on a socket: here it fails the test.
    EXPECT_FALSE(first_given) << "read past the flushed part";
    first_given = true;
    return coded.copy(buffer, first_part);
  };
  char out[64];
  const std::size_t n = decoder.read(first_only, out, sizeof out);
  EXPECT_EQ(std::string_view(out, n), "first ");
}

void expect_refused(ContentCoding coding, std::string_view coded, std::string_view expected) {
  for (std::size_t in : {1, 4096}) {
    try {
      decode(coding, coded, in, 4096);
      ADD_FAILURE() << "decoded: " << expected;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol);
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

TEST(ContentDecoder, BrokenDataIsRefusedAndNamed) {
  const std::string gz = test::gzip(text_of(1000));
  expect_refused(ContentCoding::gzip, "plain text",
                 "the reply is not valid gzip data (Content-Encoding): incorrect header check");
  expect_refused(ContentCoding::gzip, gz.substr(0, gz.size() - 3), "the body ended inside it");
  expect_refused(ContentCoding::gzip, gz.substr(0, 5), "the body ended inside it");
  std::string bad_check = gz;
  bad_check[bad_check.size() - 5] ^= 1;  // the CRC-32 the trailer holds
  expect_refused(ContentCoding::gzip, bad_check, "incorrect data check");
  expect_refused(ContentCoding::gzip, gz + "xyz", "incorrect header check");
  const std::string z = test::compress("text", test::kZlibBits);
  expect_refused(ContentCoding::deflate, z + "x", "the reply is not valid deflate data");
  expect_refused(ContentCoding::deflate, "\xff\xff\xff\xff", "the reply is not valid deflate data");
}

// NULs and blanks after the coded data are padding some servers add, not a reply's fault; gzip
// members under the name deflate are read as under gzip.
TEST(ContentDecoder, PaddingAfterTheDataAndMembersUnderEitherNameAreRead) {
  const std::string gz = test::gzip("text");
  for (std::string_view padding : {std::string_view("\0\0\0\0", 4), std::string_view("\r\n")}) {
    for (std::size_t in : {1, 4096}) {
      EXPECT_EQ(decode(ContentCoding::gzip, gz + std::string(padding), in, 64), "text");
      EXPECT_EQ(decode(ContentCoding::gzip, gz + std::string(padding) + gz, in, 64), "texttext");
      EXPECT_EQ(decode(ContentCoding::deflate,
                       test::compress("text", test::kZlibBits) + std::string(padding), in, 64),
                "text");
    }
  }
  EXPECT_EQ(decode(ContentCoding::deflate, gz + gz, 3, 64), "texttext");
}

// The coded bytes may outrun what they decode to by a MiB at most, however they do it: endless
// empty gzip members, endless padding after the data, or empty members between single bytes.
// Since the body limits count decoded bytes, each would otherwise be read for ever.
TEST(ContentDecoder, CodedBytesThatOutrunWhatTheyDecodeToAreBounded) {
  const std::string empty_member = test::gzip("");
  const std::string one_byte = test::gzip("x");
  std::string padded = test::gzip("x");
  std::string many_empty;
  while (many_empty.size() < 64 * 1024) many_empty += empty_member;
  struct Case {
    const char* name;
    std::string first;  // given once
    std::string then;   // given for ever after
  };
  for (const Case& c :
       {Case{"empty members", "", empty_member}, Case{"padding", padded, std::string(4096, '\0')},
        Case{"empty members between bytes", "", many_empty + one_byte}}) {
    std::size_t given = 0;
    std::size_t at = 0;
    const ContentDecoder::Source endless = [&](char* buffer, std::size_t capacity) {
      const std::string& piece = given < c.first.size() ? c.first : c.then;
      if (at == piece.size()) at = 0;
      const std::size_t n = std::min(capacity, piece.size() - at);
      piece.copy(buffer, n, at);
      at += n;
      if (given < c.first.size() && at == c.first.size()) at = 0;
      given += n;
      return n;
    };
    ContentDecoder decoder(ContentCoding::gzip);
    char out[64];
    try {
      while (decoder.read(endless, out, sizeof out) != 0) {
      }
      ADD_FAILURE() << c.name << ": ended";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("MiB longer than what it decodes to"), std::string::npos)
          << c.name << ": " << e.what();
    }
    EXPECT_LT(given, 2 * ContentDecoder::kMostCodedSurplus) << c.name;
  }
}

// What was decoded before a fault in the same read is handed out before the fault is thrown.
TEST(ContentDecoder, WhatCameBeforeAFaultInTheSameReadIsHandedOut) {
  const std::string coded = test::compress("first ", test::kGzipBits, {6});
  const std::size_t flushed = coded.find(std::string("\x00\x00\xff\xff", 4)) + 4;
  const std::string body = coded.substr(0, flushed) + "\xff\xff\xff\xff";
  ContentDecoder decoder(ContentCoding::gzip);
  bool given = false;
  char none[1];
  EXPECT_EQ(decoder.read([](char*, std::size_t) { return std::size_t{1}; }, none, 0), 0U)
      << "no room: nothing is read";
  const ContentDecoder::Source once = [&](char* buffer, std::size_t) {
    if (std::exchange(given, true)) return std::size_t{0};
    return body.copy(buffer, body.size());
  };
  char out[64];
  const std::size_t n = decoder.read(once, out, sizeof out);
  EXPECT_EQ(std::string_view(out, n), "first ");
  try {
    decoder.read(once, out, sizeof out);
    ADD_FAILURE() << "the fault was lost";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the reply is not valid gzip data"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(decoder.read(once, out, 0), Error) << "a fault stays";
}

TEST(ContentCoding, TheFieldNamesTheCoding) {
  auto coding = [](HttpHeaders headers, int status = 200) {
    return content_coding(headers, status);
  };
  EXPECT_EQ(coding({}), std::nullopt);
  EXPECT_EQ(coding({{"Content-Type", "application/json"}}), std::nullopt);
  EXPECT_EQ(coding({{"content-encoding", " IDENTITY "}}), std::nullopt);
  EXPECT_EQ(coding({{"Content-Encoding", ""}}), std::nullopt);
  EXPECT_EQ(coding({{"Content-Encoding", "GZip"}}), ContentCoding::gzip);
  EXPECT_EQ(coding({{"Content-Encoding", "x-gzip"}}), ContentCoding::gzip);
  EXPECT_EQ(coding({{"Content-Encoding", "identity, deflate"}}), ContentCoding::deflate);
  EXPECT_EQ(coding({{"Content-Encoding", "identity"}, {"CONTENT-ENCODING", "gzip"}}),
            ContentCoding::gzip);
  EXPECT_EQ(coding({{"Content-Encoding", "br"}}, 500), std::nullopt);
  EXPECT_EQ(coding({{"Content-Encoding", "gzip, br"}}, 429), std::nullopt);
  for (const char* value : {"br", "gzip, deflate", "compress", "gzip\x01"}) {
    try {
      coding({{"Content-Encoding", value}});
      ADD_FAILURE() << value;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol);
      EXPECT_EQ(e.info().http_status, 200);
      EXPECT_NE(std::string(e.what()).find("which llmrt cannot read"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace llmrt::core
