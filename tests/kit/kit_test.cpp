// The plugin kit on providers made here: a replay that depends on how the body is split is
// caught, a golden file that differs is named with its line, --update writes goldens that then
// pass, request goldens compare bodies as JSON, and the --events lines repair bad UTF-8.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "llmrt/kit/cases.h"
#include "llmrt/kit/event_lines.h"
#include "llmrt/kit/replay.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

// Each line of the body is a delta; "!" ends the stream. With `per_read`, each read is a delta
// instead: a decoder that depends on the split, which the kit must catch.
class LineDecoder final : public StreamDecoder {
 public:
  explicit LineDecoder(bool per_read) : per_read_(per_read) {}
  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    if (per_read_) {
      out.push_back(ContentDelta{std::string(bytes)});
      return;
    }
    for (char c : bytes) {
      if (c != '\n') {
        line_ += c;
        continue;
      }
      if (line_ == "!") {
        out.push_back(FinishEvent{FinishReason::stop, "done"});
        out.push_back(DoneEvent{});
      } else {
        out.push_back(ContentDelta{line_});
      }
      line_.clear();
    }
  }
  void finish(std::vector<StreamEvent>& out) override {
    if (per_read_) out.push_back(DoneEvent{});
  }

 private:
  bool per_read_;
  std::string line_;
};

class FakeProvider final : public Provider {
 public:
  explicit FakeProvider(bool per_read = false) : per_read_(per_read) {}
  ProviderInfo info() const override { return {.name = "fake"}; }
  HttpRequest build_request(const ChatRequest& r, const Credentials& c) const override {
    HttpRequest http{.url = r.api_base + "/chat", .headers = {{"Authorization", c.api_key}}};
    http.body = R"({"model":")" + r.model + R"(","n":1,"list":[1,2]})";
    return http;
  }
  ChatResult parse_response(const HttpResponse& response) const override {
    return {.content = response.body, .finish_reason = FinishReason::stop};
  }
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext&) const override {
    return std::make_unique<LineDecoder>(per_read_);
  }
  ErrorInfo classify_error(const HttpResponse& response) const override {
    return {.kind = ErrorKind::rate_limited, .http_status = response.status, .message = "slow"};
  }

 private:
  bool per_read_;
};

std::string read(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(KitReplay, SameEventsInEverySplitOrTheFirstDifference) {
  kit::RecordedResponse response{.request = {.stream = true}, .body = "Hel\nlo\n!\n"};
  kit::SplitCheck good = kit::replay_every_split(FakeProvider(), response);
  EXPECT_FALSE(good.disagreement) << *good.disagreement;
  EXPECT_EQ(good.whole.lines,
            (std::vector<std::string>{R"({"type":"delta","content":"Hel"})",
                                      R"({"type":"delta","content":"lo"})",
                                      R"({"type":"end","finish_reason":"stop",)"
                                      R"("finish_reason_raw":"done","content":"Hello"})"}));
  kit::SplitCheck bad = kit::replay_every_split(FakeProvider(true), response);
  ASSERT_TRUE(bad.disagreement);
  EXPECT_NE(bad.disagreement->find("one byte at a time: event 1"), std::string::npos)
      << *bad.disagreement;
}

TEST(KitReplay, StreamCutBeforeItsEndIsANetworkErrorWithThePartialText) {
  kit::RecordedResponse response{.request = {.stream = true}, .body = "Hel\n"};
  auto lines = kit::replay(FakeProvider(), response, {response.body}).lines;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find(R"("kind":"network")"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(R"("partial_content":"Hel")"), std::string::npos) << lines[1];
}

TEST(KitCases, GoldenDifferenceNamesFileAndLineAndUpdateWritesGoldens) {
  test::TempDir dir("kit-cases");
  dir.write("a.body", "Hel\nlo\n!\n");
  dir.write("e.body", "{}");
  dir.write("e.status", "429\nretry-after: 3\n");
  kit::CaseOutcome missing = kit::run_case(FakeProvider(), dir.path(), "a");
  EXPECT_FALSE(missing.passed);
  EXPECT_NE(missing.difference.find("a.events.jsonl: missing"), std::string::npos);

  std::ostringstream out, err;
  EXPECT_EQ(kit::run_cases(FakeProvider(), dir.path(), {.update = true}, out, err), 0) << out.str();
  EXPECT_EQ(read(dir.path() + "/e.events.jsonl"),
            R"({"type":"error","kind":"rate_limited","status":429,"code":"","message":"slow",)"
            R"("url":"","partial_content":""})"
            "\n");
  EXPECT_TRUE(kit::run_case(FakeProvider(), dir.path(), "a").passed);

  // A golden line written by hand: spacing and member order do not matter, values do.
  dir.write(
      "a.events.jsonl",
      "{ \"content\": \"Hel\", \"type\": \"delta\" }\n{\"type\":\"delta\",\"content\":\"LO\"}\n");
  kit::CaseOutcome changed = kit::run_case(FakeProvider(), dir.path(), "a");
  EXPECT_FALSE(changed.passed);
  EXPECT_EQ(changed.difference,
            R"(a.events.jsonl:2: expected {"type":"delta","content":"LO"}, got )"
            R"({"type":"delta","content":"lo"})");

  std::ostringstream out2, err2;
  EXPECT_EQ(kit::run_cases(FakeProvider(), dir.path(), {}, out2, err2), 1);
  EXPECT_NE(out2.str().find("FAIL a: a.events.jsonl:2"), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("ok   e\n"), std::string::npos) << out2.str();
}

TEST(KitCases, RequestGoldenComparesTheBodyAsJsonAndOnlyTheListedHeaders) {
  test::TempDir dir("kit-request");
  dir.write("r.request.json", R"({"model":"m","api_base":"http://x","credentials":{"api_key":"k"},)"
                              R"("messages":[{"role":"user","content":"hi"}]})");
  dir.write("r.http.json",
            R"({"method":"POST","url":"http://x/chat","headers":{"authorization":"k"},
                              "body":{"list":[1,2],"n":1.0,"model":"m"}})");
  kit::CaseOutcome same = kit::run_case(FakeProvider(), dir.path(), "r");
  EXPECT_TRUE(same.passed) << same.difference;
  dir.write("r.http.json", R"({"url":"http://x/chat","body":{"list":[1,3],"n":1,"model":"m"}})");
  kit::CaseOutcome differs = kit::run_case(FakeProvider(), dir.path(), "r");
  EXPECT_EQ(differs.difference, "r.http.json: body.list[1]: expected 3, got 2");
}

TEST(KitCases, MissingFolderOrNoCasesIsAUsageError) {
  std::ostringstream out, err;
  EXPECT_EQ(kit::run_cases(FakeProvider(), "/nonexistent/kit", {}, out, err), 2);
  EXPECT_NE(err.str().find("/nonexistent/kit"), std::string::npos);
  test::TempDir empty("kit-empty");
  EXPECT_EQ(kit::run_cases(FakeProvider(), empty.path(), {}, out, err), 2);
}

TEST(KitCases, CaseRequestReadsOpenAiStyleMessagesAndNamesAWrongMember) {
  kit::CaseRequest r = kit::parse_case_request(R"({"model":"m","stream":true,"messages":[
      {"role":"user","content":[{"type":"text","text":"look"},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,QUJD"}}]},
      {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function",
        "function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"c1","content":"ok"}],
      "params":{"max_new_tokens":5,"tool_choice":"required","user":"u"}})");
  ASSERT_EQ(r.request.messages.size(), 3u);
  const auto& image = std::get<ImagePart>(r.request.messages[0].parts[1]);
  EXPECT_EQ(image.media_type, "image/png");
  EXPECT_EQ(image.data, "QUJD");
  EXPECT_EQ(r.request.messages[1].tool_calls.at(0).name, "f");
  EXPECT_EQ(r.request.messages[2].tool_call_id, "c1");
  EXPECT_EQ(r.request.params.max_new_tokens, 5);
  EXPECT_EQ(r.request.params.tool_choice->mode, ToolChoiceMode::required);
  EXPECT_EQ(r.request.params.extras.at("user"), "\"u\"");
  try {
    kit::parse_case_request(R"({"params":{"temperature":"hot"}})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("params.temperature: expected a number"),
              std::string::npos)
        << e.what();
  }
}

TEST(KitEventLines, IllFormedUtf8IsOneReplacementPerMaximalPart) {
  // F0 9F 98 is an emoji cut short: one U+FFFD, as a browser or Python shows it.
  EXPECT_EQ(*kit::event_line(ContentDelta{"a\xF0\x9F\x98z"}),
            "{\"type\":\"delta\",\"content\":\"a\xEF\xBF\xBDz\"}");
  EXPECT_FALSE(kit::event_line(ReasoningDelta{.signature = "sig"}));
}

// The end line of a long reply is written a piece at a time: the same bytes as the whole line,
// with escapes and multi-byte characters across every piece boundary, valid or repaired.
TEST(KitEventLines, EndLineWrittenInPiecesIsTheWholeLine) {
  for (const std::string unit : {"\u00e9\"\n\u4e2d", "ab\xF0\x9F\x98z\t"}) {
    ChatResult result;
    while (result.content.size() < 300'000) result.content += unit;
    result.finish_reason = FinishReason::stop;
    result.tool_calls.push_back(ToolCall{.index = 0, .id = "c1", .name = "f", .arguments = "{}"});
    std::string joined;
    for (const std::string& line : kit::end_lines(result, true)) joined += line + "\n";
    std::ostringstream written;
    kit::write_end_lines(written, result, true);
    EXPECT_EQ(written.str(), joined);
    EXPECT_EQ(joined.rfind("\"}\n"), joined.size() - 3);
  }
}

// So is the error line of a stream cut at its limit: its partial content is never escaped whole.
TEST(KitEventLines, ErrorLineWrittenInPiecesIsTheWholeLine) {
  ErrorInfo info{.kind = ErrorKind::protocol, .http_status = 200, .message = "too \"long\""};
  info.retry_after = std::chrono::milliseconds(1500);
  for (const std::string unit : {"\u00e9\"\n\u4e2d", "ab\xF0\x9F\x98z\t", ""}) {
    std::string partial;
    while (!unit.empty() && partial.size() < 300'000) partial += unit;
    std::ostringstream written;
    kit::write_error_line(written, info, partial);
    EXPECT_EQ(written.str(), kit::error_line(info, partial) + "\n");
  }
}

}  // namespace
}  // namespace llmrt
