// A host program written in the README's style (designated initializers naming only some
// fields of Message, ModelConfig, RetryPolicy, BatchItem and BatchOptions), run against the
// installed mock server with no environment set up for it. It chats, runs a small batch, has
// its only key rejected once (a 401 the mock server is asked for) and takes it back with
// reset_keys(). Everything it prints goes to stdout; llmrt itself must print nothing.
// Usage: host_program API_BASE
#include <iostream>

#include "llmrt/core/runtime.h"

namespace core = llmrt::core;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cout << "usage: host_program API_BASE\n";
    return 2;
  }
  core::Runtime runtime;
  for (const auto& error : runtime.load_errors()) std::cout << "skipped: " << error.message << "\n";

  core::ChatModel model = runtime.model({.provider = "openai",
                                         .model = "gpt-4o-mini",
                                         .api_base = argv[1],
                                         .keys = {"sk-host-program-0001"},
                                         .retry = {.max_retries = 0}});
  try {
    llmrt::ChatResult reply = model.chat(
        {{.role = "system", .content = "Be brief."}, {.role = "user", .content = "Hello!"}});
    std::cout << "chat: " << reply.content << "\n";

    std::vector<core::BatchItem> items;
    for (const char* question : {"One?", "Two?"}) {
      items.push_back({.messages = {{.role = "user", .content = question}}});
    }
    for (const core::BatchOutcome& outcome : model.chat_batch(items, {.concurrency = 2})) {
      std::cout << "batch: " << (outcome.ok() ? "ok" : outcome.error->what()) << "\n";
    }
  } catch (const llmrt::Error& e) {
    std::cout << "failed: " << e.what() << "\n";
    return 1;
  }

  // An object for the request body goes through set_json (set() would send a JSON string).
  try {
    model.chat({{.role = "user", .content = "Reject me."}},
               core::ParamOverrides().set_json("mock", R"({"status": 401})"));
    std::cout << "not rejected\n";
    return 1;
  } catch (const llmrt::Error& e) {
    std::cout << "rejected: " << to_string(e.kind()) << "\n";
  }
  model.reset_keys();
  try {
    llmrt::ChatResult again = model.chat({{.role = "user", .content = "Again."}});
    std::cout << "after reset: " << again.content << "\n";
  } catch (const llmrt::Error& e) {
    std::cout << "failed after reset: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
