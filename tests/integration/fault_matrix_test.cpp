// What real providers do, injected by the mock server, for each provider the fault applies to:
// each scenario ends in the documented result, with the attempts made, the keys used and the
// waits asserted (waits are recorded by ModelConfig::wait_hook, not slept).
#include <thread>

#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using std::chrono::milliseconds;

struct FaultFlavour {
  const char* name;
  const char* provider;
  const char* api_path;
  int events_before_content;  // the OpenAI-style role chunk
  const char* quota_code;     // the provider's "no quota" error, with its status
  int quota_status;
  const char* key_header;  // where the key goes, after key_prefix
  const char* key_prefix;
  const char* option = nullptr;  // a provider switch KEY=VALUE the flavour needs
  // No key configured: the provider needs none (Ollama), so no key header may be sent and key
  // rotation has nothing to rotate.
  bool keyless = false;
  friend void PrintTo(const FaultFlavour& f, std::ostream* os) { *os << f.name; }
};

const FaultFlavour kFaultFlavours[] = {
    {"openai", "openai", "/v1", 1, "insufficient_quota", 429, "Authorization", "Bearer "},
    {"qwen", "qwen", "/api/v1", 0, "Arrearage", 400, "Authorization", "Bearer "},
    {"internlm", "internlm", "/puyu/api/v1", 1, nullptr, 0, "Authorization", "Bearer "},
    // Azure OpenAI through the openai plugin: its prompt-filter chunk comes before the role
    // chunk; it reports exhausted quota as a plain 429.
    {"azure", "openai", "/openai/deployments/mock", 2, nullptr, 0, "api-key", "",
     "api_version=2024-10-21"},
    // message_start, content_block_start and a ping before the first text_delta.
    {"anthropic", "anthropic", "/v1", 3, "billing_error", 402, "x-api-key", ""},
    // The key in its own header; the quota message (not the status) tells quota from rate limit.
    {"gemini", "gemini", "/v1beta", 0, "RESOURCE_EXHAUSTED", 429, "x-goog-api-key", ""},
    // No key: Ollama needs none.
    {"ollama", "ollama", "", 0, nullptr, 0, "Authorization", "Bearer ", nullptr, true},
};

class Faults : public test::EndToEnd, public ::testing::WithParamInterface<FaultFlavour> {
 protected:
  core::ModelConfig faulty_config(std::vector<std::string> keys, int retries) const {
    core::ModelConfig c = config();
    c.provider = GetParam().provider;
    c.api_base = server_.base_url() + GetParam().api_path;
    c.keys = GetParam().keyless ? std::vector<std::string>{} : std::move(keys);
    c.retry.max_retries = retries;
    if (const std::string_view option = GetParam().option ? GetParam().option : "";
        !option.empty()) {
      const std::size_t eq = option.find('=');
      c.options[std::string(option.substr(0, eq))] = std::string(option.substr(eq + 1));
    }
    return c;
  }
  core::ChatModel model_with(std::vector<std::string> keys, int retries = 2) const {
    return runtime_.model(faulty_config(std::move(keys), retries));
  }
  // The keys the requests carried; "(none)" for a request without the key header.
  std::vector<std::string> keys_used() const {
    std::vector<std::string> keys;
    for (const auto& r : server_.requests()) {
      const std::string* value = find_header(r.headers, GetParam().key_header);
      keys.push_back(value == nullptr
                         ? "(none)"
                         : value->substr(std::string_view(GetParam().key_prefix).size()));
    }
    return keys;
  }
  static mock::Scenario status(int code, HttpHeaders headers = {}, std::string error_code = {}) {
    mock::Scenario s;
    s.status = code;
    s.headers = std::move(headers);
    s.error_code = std::move(error_code);
    return s;
  }
  // Drains a stream, returning the text received, or throws its Error.
  static std::string drain(core::ChatStream stream) {
    std::string text;
    for (const auto& chunk : stream) text += chunk.delta;
    return text;
  }
  // What keys_used() must be: `keys` when the provider takes keys; with none configured, as
  // many requests and not one key header.
  std::vector<std::string> expected_keys(std::vector<std::string> keys) const {
    if (GetParam().keyless) std::fill(keys.begin(), keys.end(), "(none)");
    return keys;
  }
  static constexpr const char* kKeyless =
      "the provider needs no key and none is configured: no keys to rotate";
  const std::string full_ = mock::Scenario{}.full_content();
};

TEST_P(Faults, RetryAfterIsObeyed) {
  server_.push(status(429, {{"Retry-After", "2"}}));
  EXPECT_EQ(model_with({"key-one-0001"}).chat(hello_).content, full_);
  EXPECT_EQ(keys_used(), expected_keys({"key-one-0001", "key-one-0001"}));
  EXPECT_EQ(waits(), std::vector<milliseconds>{milliseconds(2000)});
}

TEST_P(Faults, RetryAfterMsWins) {
  server_.push(status(503, {{"retry-after-ms", "250"}, {"Retry-After", "9"}}));
  EXPECT_EQ(drain(model_with({"key-one-0001"}).stream_chat(hello_)), full_);
  EXPECT_EQ(waits(), std::vector<milliseconds>{milliseconds(250)});
}

TEST_P(Faults, RateLimitSwitchesToAFreeKeyWithoutWaiting) {
  if (GetParam().keyless) GTEST_SKIP() << kKeyless;
  server_.push(status(429));
  core::ChatModel m = model_with({"key-one-0001", "key-two-0002"});
  EXPECT_EQ(m.chat(hello_).content, full_);
  EXPECT_TRUE(waits().empty());
  // The first key cools down: the next call goes to the second again.
  m.chat(hello_);
  EXPECT_EQ(keys_used(),
            (std::vector<std::string>{"key-one-0001", "key-two-0002", "key-two-0002"}));
}

TEST_P(Faults, RateLimitLoopIsBounded) {
  server_.set_default(status(429));
  try {
    model_with({"key-one-0001"}).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::rate_limited);
  }
  EXPECT_EQ(server_.requests().size(), 3u);  // the first attempt and 2 retries
  EXPECT_EQ(waits().size(), 2u);
}

TEST_P(Faults, NoQuotaTakesTheKeyOutOfRotation) {
  if (GetParam().keyless) GTEST_SKIP() << kKeyless;
  if (GetParam().quota_code == nullptr) GTEST_SKIP() << "no quota error in this API";
  server_.push(status(GetParam().quota_status, {}, GetParam().quota_code));
  core::ChatModel m = model_with({"key-one-0001", "key-two-0002"});
  EXPECT_EQ(m.chat(hello_).content, full_);
  m.chat(hello_);
  m.chat(hello_);
  EXPECT_EQ(keys_used(), (std::vector<std::string>{"key-one-0001", "key-two-0002", "key-two-0002",
                                                   "key-two-0002"}));
  EXPECT_TRUE(waits().empty());
}

TEST_P(Faults, InvalidOnlyKeyFailsAtOnceSayingWhy) {
  server_.push(status(401));
  try {
    model_with({"key-one-0001"}).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
    if (GetParam().keyless) {  // a proxy in front of the server wants a key
      EXPECT_NE(std::string(e.what()).find("no key was sent: give one with --key"),
                std::string::npos)
          << e.what();
      EXPECT_EQ(server_.requests().size(), 1u);
      return;
    }
    EXPECT_NE(std::string(e.what()).find("1 key: …0001 rejected as invalid"), std::string::npos)
        << e.what();
    EXPECT_EQ(std::string(e.what()).find("key-one-0001"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_P(Faults, ServerErrorsBackOffThenSucceed) {
  server_.push(status(500));
  server_.push(status(502));
  EXPECT_EQ(drain(model_with({"key-one-0001"}).stream_chat(hello_)), full_);
  auto w = waits();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_GE(w[0], milliseconds(375));
  EXPECT_LE(w[0], milliseconds(500));
  EXPECT_GE(w[1], milliseconds(750));
  EXPECT_LE(w[1], milliseconds(1000));
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_P(Faults, ServerErrorsExhaustTheRetries) {
  for (int i = 0; i < 3; ++i) server_.push(status(500));
  try {
    model_with({"key-one-0001"}).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::server);
    EXPECT_EQ(e.info().http_status, 500);
  }
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_P(Faults, BadRequestIsNotRetried) {
  server_.push(status(400));
  EXPECT_THROW(model_with({"key-one-0001"}).chat(hello_), Error);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_P(Faults, ShouldRetryHeaderOverridesTheStatus) {
  server_.push(status(500, {{"x-should-retry", "false"}}));
  EXPECT_THROW(model_with({"key-one-0001"}).chat(hello_), Error);
  EXPECT_EQ(server_.requests().size(), 1u);
  server_.push(status(400, {{"x-should-retry", "true"}}));
  EXPECT_EQ(model_with({"key-one-0001"}).chat(hello_).content, full_);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_P(Faults, StallBeforeHeadersTimesOutAndIsRetried) {
  mock::Scenario stall;
  stall.stall_before_headers = milliseconds(1000);
  server_.push(stall);
  core::ModelConfig c = faulty_config({"key-one-0001"}, 2);
  c.transport.read_timeout = milliseconds(200);
  EXPECT_EQ(drain(runtime_.model(c).stream_chat(hello_)), full_);
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(waits().size(), 1u);
}

TEST_P(Faults, ConnectionCutBeforeAnyTextIsRetried) {
  mock::Scenario cut;
  cut.cut_after_events = GetParam().events_before_content;
  server_.push(cut);
  EXPECT_EQ(drain(model_with({"key-one-0001"}).stream_chat(hello_)), full_);
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_P(Faults, ConnectionCutAfterTextEndsWithThePartialText) {
  mock::Scenario cut;
  cut.cut_after_events = GetParam().events_before_content + 2;
  server_.push(cut);
  try {
    drain(model_with({"key-one-0001"}).stream_chat(hello_));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::network) << e.what();
    EXPECT_EQ(e.partial_content(), "Hello! This ");
  }
  EXPECT_EQ(server_.requests().size(), 1u);  // never retried once text reached the caller
}

TEST_P(Faults, MalformedEventIsAProtocolErrorKeepingThePartialText) {
  mock::Scenario bad;
  bad.malformed_after_events = GetParam().events_before_content + 1;
  server_.push(bad);
  try {
    drain(model_with({"key-one-0001"}).stream_chat(hello_));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_EQ(e.partial_content(), "Hello! ");
  }
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_P(Faults, EndlessLineIsAnErrorNotUnboundedGrowth) {
  mock::Scenario endless;
  endless.endless_line = true;
  server_.push(endless);
  core::ModelConfig c = faulty_config({"key-one-0001"}, 2);
  c.limits.max_event_bytes = 1 << 20;
  try {
    drain(runtime_.model(c).stream_chat(hello_));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("1048576 bytes"), std::string::npos) << e.what();
  }
}

TEST_P(Faults, CancelMidStreamEndsWithThePartialText) {
  mock::Scenario slow;
  slow.chunks = 50;
  slow.chunk_delay = milliseconds(100);
  server_.push(slow);
  core::ChatStream stream = model_with({"key-one-0001"}).stream_chat(hello_);
  std::string received;
  auto started = std::chrono::steady_clock::now();
  try {
    for (const auto& chunk : stream) {
      received += chunk.delta;
      if (received.size() > 10) {
        std::thread([&stream] { stream.cancel(); }).join();  // from another thread
      }
    }
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
    EXPECT_EQ(e.partial_content(), received);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

INSTANTIATE_TEST_SUITE_P(EachProvider, Faults, ::testing::ValuesIn(kFaultFlavours),
                         [](const auto& info) { return std::string(info.param.name); });

// Faults that concern the runtime, not a provider's wire format.
using CallLimits = test::EndToEnd;

TEST_F(CallLimits, CancelWhileWaitingToRetryIsImmediate) {
  server_.push([] {
    mock::Scenario s;
    s.status = 503;
    s.headers = {{"Retry-After", "30"}};
    return s;
  }());
  core::ModelConfig c = config();
  c.retry.max_retries = 2;
  c.wait_hook = nullptr;  // a real wait, which the cancellation must cut short
  auto cancel = std::make_shared<core::CancelToken>();
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel->cancel();
  });
  auto started = std::chrono::steady_clock::now();
  try {
    runtime_.model(c).chat(hello_, {}, core::CallControl{cancel, {}});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled);
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(CallLimits, TotalTimeoutBoundsTheWholeCall) {
  mock::Scenario stall;
  stall.stall_before_headers = milliseconds(2000);
  server_.set_default(stall);
  core::ModelConfig c = config();
  c.retry.max_retries = 5;
  c.transport.total_timeout = milliseconds(400);
  auto started = std::chrono::steady_clock::now();
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500));
}

TEST_F(CallLimits, RetryNoticesReachTheCaller) {
  server_.push([] {
    mock::Scenario s;
    s.status = 500;
    return s;
  }());
  core::ModelConfig c = config();
  c.retry.max_retries = 1;
  std::vector<core::RetryNotice> notices;
  runtime_.model(c).chat(hello_, {}, core::CallControl{nullptr, [&](const core::RetryNotice& n) {
                                                         notices.push_back(n);
                                                       }});
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].attempt, 1);
  EXPECT_EQ(notices[0].kind, ErrorKind::server);
  EXPECT_EQ(notices[0].http_status, 500);
  EXPECT_EQ(notices[0].key, "…0001");
  EXPECT_EQ(notices[0].delay, waits().at(0));
}

}  // namespace
}  // namespace llmrt
