#pragma once

#include <string>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/chat_model.h"

namespace llmrt::test {

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
