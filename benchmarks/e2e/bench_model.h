#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "llmrt/core/runtime.h"
#include "workloads.h"

namespace llmrt::bench {

// The bench model on the mock server at `base_url`: the build tree's plugins, no retries (a
// failure must show up as an error, not be hidden by a retry).
core::ChatModel model_for(const std::string& base_url);

// The mock's scenario member for a request.
core::ParamOverrides mock(const std::string& json);

// The question every workload asks.
const std::vector<Message>& question();

// `count` non-streamed chats, `concurrency` at a time, through chat_batch (chat_c20 and its
// kin) on `threads` loops (BatchOptions::threads; 0, a loop per core, is how `llmrt batch`
// runs); with `keep`, every outcome kept and returned, else each handed to on_item and dropped.
Measurement chat_batch(const std::string& url, const char* name, std::size_t concurrency,
                       std::size_t count, bool keep, std::size_t threads);

// The workloads of each file, in the order they are listed.
std::vector<Workload> chat_workloads();
std::vector<Workload> wire_workloads();
std::vector<Workload> load_workloads();
std::vector<Workload> cli_workloads();

}  // namespace llmrt::bench
