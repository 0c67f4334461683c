// What a server sends while the request is still going out decides whether the send stops: an
// error or a redirect does (the rest is not wanted); interim responses and a 2xx, after which a
// server may read on, do not; a status line not whole yet waits for more.
#include "http/early_answer.h"

#include <gtest/gtest.h>

namespace llmrt::core {
namespace {

TEST(EarlyAnswer, AnErrorARedirectOrNoHttpStopsTheSend) {
  EXPECT_EQ(judge_early_input("HTTP/1.1 413 Payload Too Large\r\n"), EarlyInput::stop);
  EXPECT_EQ(judge_early_input("HTTP/1.0 401 Unauthorized\r\n\r\n"), EarlyInput::stop);
  EXPECT_EQ(judge_early_input("HTTP/1.1 307 Temporary Redirect\r\n"), EarlyInput::stop);
  EXPECT_EQ(judge_early_input("garbage that is no HTTP"), EarlyInput::stop);
  EXPECT_EQ(judge_early_input("SSH-2.0"), EarlyInput::stop);  // no HTTP from its first bytes
  EXPECT_EQ(judge_early_input("HTTP/1.1 999 Odd\r\n"), EarlyInput::stop);
}

TEST(EarlyAnswer, InterimResponsesAndA2xxLetItGoOn) {
  EXPECT_EQ(judge_early_input(""), EarlyInput::go_on);
  EXPECT_EQ(judge_early_input("HTTP/1.1 100 Continue\r\n\r\n"), EarlyInput::go_on);
  EXPECT_EQ(judge_early_input("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                              "HTTP/1.1 100 Continue\n\n"),
            EarlyInput::go_on);
  EXPECT_EQ(judge_early_input("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"),
            EarlyInput::go_on);
}

TEST(EarlyAnswer, WhatFollowsAnInterimResponseDecides) {
  EXPECT_EQ(judge_early_input("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Too Large\r\n"),
            EarlyInput::stop);
  EXPECT_EQ(judge_early_input("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"),
            EarlyInput::go_on);
}

TEST(EarlyAnswer, AStatusLineNotWholeYetWaitsForMore) {
  EXPECT_EQ(judge_early_input("HTTP/1.1 4"), EarlyInput::undecided);
  EXPECT_EQ(judge_early_input("HT"), EarlyInput::undecided);
  EXPECT_EQ(judge_early_input("HTTP/1.1 100 Contin"), EarlyInput::undecided);
  EXPECT_EQ(judge_early_input("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 5"), EarlyInput::undecided);
}

}  // namespace
}  // namespace llmrt::core
