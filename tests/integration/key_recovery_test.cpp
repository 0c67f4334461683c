// A key rejected with a 401 is not lost for the life of the process: it comes back after the
// model's auth cool-down, or at once through ChatModel::reset_keys(). Real plugin, real HTTP.
#include <thread>

#include "llmrt/core/config.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using std::chrono::milliseconds;

class KeyRecovery : public test::EndToEnd {
 protected:
  static mock::Scenario rejected() {
    mock::Scenario s;
    s.status = 401;
    return s;
  }
  static std::string error_of(const core::ChatModel& m, const std::vector<Message>& messages) {
    try {
      m.chat(messages);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::auth) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "expected an error";
    return {};
  }
};

TEST_F(KeyRecovery, ResetKeysBringsTheRejectedKeyBack) {
  core::ChatModel m = model();
  server_.push(rejected());
  error_of(m, hello_);
  // Still out: no request is sent for it, and the error says when it is tried again.
  EXPECT_NE(error_of(m, hello_).find("rejected as invalid, tried again in"), std::string::npos);
  EXPECT_EQ(server_.requests().size(), 1u);

  m.reset_keys();
  EXPECT_FALSE(m.chat(hello_).content.empty());
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(KeyRecovery, TheRejectedKeyIsTriedAgainAfterTheAuthCooldown) {
  core::ModelConfig c = config();
  c.auth_cooldown = milliseconds(300);
  core::ChatModel m = runtime_.model(c);
  server_.push(rejected());
  error_of(m, hello_);
  error_of(m, hello_);
  EXPECT_EQ(server_.requests().size(), 1u);

  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_FALSE(m.chat(hello_).content.empty());
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(KeyRecovery, ZeroCooldownKeepsTheKeyOutUntilReset) {
  core::ModelConfig c = config();
  c.auth_cooldown = milliseconds(0);
  core::ChatModel m = runtime_.model(c);
  server_.push(rejected());
  error_of(m, hello_);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_NE(error_of(m, hello_).find("1 key: …0001 rejected as invalid"), std::string::npos);
  EXPECT_EQ(server_.requests().size(), 1u);
  m.reset_keys();
  EXPECT_FALSE(m.chat(hello_).content.empty());
}

TEST_F(KeyRecovery, ResetKeysBringsBackAKeyOutOfQuota) {
  core::ChatModel m = model();
  mock::Scenario quota;
  quota.status = 429;
  quota.error_code = "insufficient_quota";
  server_.push(quota);
  EXPECT_THROW(m.chat(hello_), Error);
  EXPECT_THROW(m.chat(hello_), Error);
  EXPECT_EQ(server_.requests().size(), 1u);
  m.reset_keys();
  EXPECT_FALSE(m.chat(hello_).content.empty());
}

TEST_F(KeyRecovery, TheConfigFileSetsTheAuthCooldown) {
  core::RuntimeConfig parsed = core::parse_config(
      R"({"models": {"m": {"model": "x", "auth_cooldown": 0.25}}})", "llmrt.json", ".");
  EXPECT_EQ(parsed.models.at("m").auth_cooldown, milliseconds(250));
  EXPECT_EQ(core::parse_config(R"({"models": {"m": {"model": "x"}}})", "llmrt.json", ".")
                .models.at("m")
                .auth_cooldown,
            milliseconds(60'000));
}

}  // namespace
}  // namespace llmrt
