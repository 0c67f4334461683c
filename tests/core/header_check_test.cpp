#include "http/header_check.h"

#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(HeaderCheck, CrLfAndNulAreRefused) {
  EXPECT_TRUE(is_safe_header_value("Bearer sk-abc\tdef ~!"));
  EXPECT_TRUE(is_safe_header_value(""));
  for (const std::string& bad :
       std::vector<std::string>{"a\rb", "a\nb", std::string("a\0b", 3), "a\r\nX-Injected: 1"}) {
    EXPECT_FALSE(is_safe_header_value(bad));
  }
}

// Values are looked at in blocks of sixteen, then of eight, then byte by byte: each of the
// three is found at every position of values of every mix of those, and every other byte (the
// controls next to them among them, and bytes from 0x80 on) passes everywhere.
TEST(HeaderCheck, EveryPositionOfALongValue) {
  for (std::size_t size : {1, 7, 8, 9, 15, 16, 23, 24, 31, 45}) {
    const std::string base(size, 'a');
    for (std::size_t at = 0; at < base.size(); ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string value = base;
        value[at] = static_cast<char>(c);
        const bool unsafe = c == '\r' || c == '\n' || c == '\0';
        EXPECT_EQ(is_safe_header_value(value), !unsafe)
            << "byte " << c << " at " << at << " of " << size;
      }
    }
  }
}

TEST(HeaderCheck, TheErrorNamesTheSettingAndNotTheValue) {
  std::string message =
      error_of([] { require_safe_header_value("sk-secret\r\nX-Injected: 1", "key 2 (from $K)"); });
  EXPECT_NE(message.find("key 2 (from $K)"), std::string::npos) << message;
  EXPECT_EQ(message.find("sk-secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("X-Injected"), std::string::npos) << message;
}

TEST(HeaderCheck, EveryPartOfTheRequestHead) {
  HttpRequest good{.method = "POST",
                   .url = "http://h/v1",
                   .headers = {{"Authorization", "Bearer k"}, {"X-A", ""}}};
  EXPECT_NO_THROW(require_safe_request_head(good));
  auto with = [&](auto change) {
    HttpRequest r = good;
    change(r);
    return error_of([&] { require_safe_request_head(r); });
  };
  std::string value = with([](HttpRequest& r) { r.headers[1].second = "v\r\nX-Injected: 1"; });
  EXPECT_NE(value.find("'X-A'"), std::string::npos) << value;
  EXPECT_EQ(value.find("X-Injected"), std::string::npos) << value;
  std::string name = with([](HttpRequest& r) { r.headers[1].first = "X-Injected: 1\r\nX-A"; });
  EXPECT_NE(name.find("header 2"), std::string::npos) << name;
  EXPECT_EQ(name.find("X-Injected"), std::string::npos) << name;
  with([](HttpRequest& r) { r.headers[0].first = ""; });
  with([](HttpRequest& r) { r.headers[0].first = "Bad Name"; });
  with([](HttpRequest& r) { r.method = "POST /x HTTP/1.1\r\nX:"; });
  with([](HttpRequest& r) { r.url = "http://h\r\nX-Injected: 1/v1"; });
}

}  // namespace
}  // namespace llmrt::core
