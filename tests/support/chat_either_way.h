#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/chat_model.h"
#include "llmrt/core/model_config.h"

namespace llmrt::test {

// A model of the OpenAI plugin for a scripted test server at `api_base`: one key, no retries
// (only the transport's own resend may send a request twice), and a read timeout that only a
// server failing its script reaches.
inline core::ModelConfig scripted_server_config(std::string api_base) {
  core::ModelConfig c;
  c.model = "m";
  c.api_base = std::move(api_base);
  c.keys = {"sk-test-key-0001"};
  c.retry.max_retries = 0;
  c.transport.read_timeout = std::chrono::seconds(10);
  return c;
}

// One chat, blocking; or, `on_the_loop`, two at once in a batch, on its event loop (one item
// alone would run on a thread of its own): the first error is thrown, or the first item's reply
// returned. The transport's two paths, for tests that must hold on both.
inline std::string chat_either_way(const core::ChatModel& model,
                                   const std::vector<Message>& messages, bool on_the_loop) {
  if (!on_the_loop) return model.chat(messages).content;
  std::vector<core::BatchOutcome> out = model.chat_batch(
      {core::BatchItem{messages, {}}, core::BatchItem{messages, {}}}, {.concurrency = 2});
  for (const core::BatchOutcome& o : out) {
    if (o.error) throw *o.error;
  }
  return out[0].result->content;
}

}  // namespace llmrt::test
